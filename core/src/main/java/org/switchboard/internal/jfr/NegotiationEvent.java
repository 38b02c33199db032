package org.switchboard.internal.jfr;

import java.util.List;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.switchboard.Negotiation;

/**
 * One upgrade request as the dispatcher ended it (SB6): the JFR face of a {@link Negotiation}.
 * Committed at the decision, so its own duration is zero; {@code negotiationTime} is the time from
 * the request head parsed to the decision. No stack trace: the negotiation, not the thread's
 * call chain, is the information.
 */
@Name(NegotiationEvent.NAME)
@Label("Upgrade Negotiation")
@Category("Switchboard")
@Description("An HTTP/1.1 upgrade request and what Switchboard answered: 101, a rejection, a fallback, 426 or a bad request")
@StackTrace(false)
public final class NegotiationEvent extends Event {

    /** The event's name in a recording. */
    public static final String NAME = "org.switchboard.Negotiation";

    @Label("Request Line")
    @Description("Method, path and query, and protocol")
    String requestLine;

    @Label("Offers")
    @Description("The Upgrade field as the client sent it (client text)")
    String offers;

    @Label("Steps")
    @Description("Each offer considered and what came of it, separated by '; '")
    String steps;

    @Label("Outcome")
    @Description("upgraded, rejected, fallback, upgrade_required or bad_request")
    String outcome;

    @Label("Protocol")
    @Description("The metric key: a registered protocol, none or other")
    String protocol;

    @Label("Status")
    @Description("The status Switchboard answered; 0 when the application answers (fallback)")
    int status;

    @Label("Answer")
    @Description("The answer in words")
    String answer;

    @Label("Negotiation Time")
    @Description("From the request head parsed to the decision, reading an upgrade request's body included")
    @Timespan(Timespan.NANOSECONDS)
    long negotiationTime;

    private NegotiationEvent() {
    }

    /** Asks whether the type is enabled, never committed: JFR's check is the type's, not the instance's. */
    private static final NegotiationEvent PROBE = new NegotiationEvent();

    /** Whether a recording wants this event now; call through {@link FlightRecording}, which keeps this class uninitialized until JFR is set up. */
    static boolean isRecording() {
        return PROBE.isEnabled();
    }

    /** Commits {@code negotiation}; call only when {@link #isRecording()}. */
    static void commit(Negotiation negotiation) {
        NegotiationEvent event = new NegotiationEvent();
        event.requestLine = negotiation.requestLine();
        event.offers = negotiation.upgrade();
        event.steps = join(negotiation.steps());
        event.outcome = negotiation.outcome().name().toLowerCase(java.util.Locale.ROOT);
        event.protocol = negotiation.protocol();
        event.status = negotiation.status();
        event.answer = negotiation.answer();
        event.negotiationTime = negotiation.durationNanos();
        event.commit();
    }

    private static String join(List<Negotiation.Step> steps) {
        StringBuilder text = new StringBuilder();
        for (Negotiation.Step step : steps)
            text.append(text.length() == 0 ? "" : "; ").append(step);
        return text.toString();
    }
}
