package org.switchboard.internal.jfr;

import jdk.jfr.FlightRecorder;
import org.eclipse.jetty.io.Connection;
import org.switchboard.Negotiation;

/**
 * The way in to Switchboard's events, for the dispatcher. The first initialization of an event class
 * sets up part of Flight Recorder, hundreds of milliseconds on a cold JVM, so no event class is
 * touched until Flight Recorder itself is initialized (a recording was started from the command
 * line, jcmd or the API); until then each check is one volatile read.
 */
public final class FlightRecording {

    private FlightRecording() {
    }

    /** Whether a recording wants {@link NegotiationEvent}s now. */
    public static boolean recordsNegotiations() {
        return FlightRecorder.isInitialized() && NegotiationEvent.isRecording();
    }

    /** Records {@code negotiation}; call only when {@link #recordsNegotiations()}. */
    public static void negotiated(Negotiation negotiation) {
        NegotiationEvent.commit(negotiation);
    }

    /**
     * An {@link UpgradedConnectionEvent} begun for {@code connection}, switched to {@code protocol}:
     * {@code null} (nothing built) unless a recording wants it. Pass it to {@link #closed} at the close.
     */
    public static UpgradedConnectionEvent opened(String protocol, Connection connection) {
        return FlightRecorder.isInitialized() ? UpgradedConnectionEvent.begin(protocol, connection) : null;
    }

    /** Commits {@code lifetime}, from {@link #opened}, as its connection closes; nothing for {@code null}. */
    public static void closed(UpgradedConnectionEvent lifetime) {
        if (lifetime != null)
            lifetime.closed();
    }
}
