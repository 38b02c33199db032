package org.switchboard.examples;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.switchboard.Negotiation;
import org.switchboard.NegotiationListener;

/**
 * {@code GET /negotiations}: the last {@value #KEPT} upgrade negotiations, then each new one as it
 * ends, as server-sent events ({@code text/event-stream}): one {@code data:} JSON
 * {@link NegotiationEvent} per negotiation, with its number as the event's {@code id:}. Fed by the
 * sample's {@link NegotiationListener}, so it shows every request the dispatcher decided (SB6) —
 * and nothing else: {@code /negotiate}'s dry runs are not negotiations.
 *
 * <p>Every visitor sees it, so it shows only what the dispatcher decided on: request lines lose
 * their query string (where tokens and names often travel), and client text is cut to
 * {@value #MAX_TEXT} characters ({@value #MAX_UPGRADE} for the {@code Upgrade} field).
 *
 * <p>Bounded: {@value #KEPT} events kept, each stream's queue bounded by {@link EventStreamEndpoint} —
 * a reader {@value EventStreamEndpoint#MAX_QUEUED} events behind is disconnected, and its
 * {@code EventSource} reconnects and starts again from the last {@value #KEPT}.
 * {@link #negotiated} is called on the dispatcher's thread, often an I/O thread: it keeps the
 * negotiation and, only while a stream is open, encodes the event and queues it for each stream,
 * under one short lock, and never waits for a write. With no reader — most of a server's life — a
 * negotiation costs a clock read and a queue slot: the JSON of the kept ones is written when a
 * reader arrives.
 */
final class NegotiationFeed extends EventStreamEndpoint implements NegotiationListener {

    /** How many negotiations a new reader gets first. */
    static final int KEPT = 50;
    /** The longest request line, offer or verdict shown. */
    static final int MAX_TEXT = 256;
    /** The longest {@code Upgrade} field shown: what the dispatcher's default limit lets through (SB5). */
    static final int MAX_UPGRADE = 1024;

    /**
     * One negotiation as the panel shows it.
     *
     * @param at          when it ended
     * @param requestLine method, path (never the query) and protocol: {@code GET /chat HTTP/1.1}
     * @param upgrade     the {@code Upgrade} field as sent, empty if none: client text, show it as text
     * @param steps       each offer considered and its verdict, in order (client text, too)
     * @param outcome     {@code UPGRADED}, {@code REJECTED}, {@code UPGRADE_REQUIRED}, {@code FALLBACK}, {@code BAD_REQUEST}
     * @param protocol    the protocol it is counted under: a registered one, {@code none} or {@code other}
     * @param status      the answer's status; 0 when the application answered
     * @param answer      the answer in words: {@code 101 relay/2}, {@code 426 Upgrade: relay/2, relay/1}
     * @param micros      microseconds from the request head to the decision
     */
    record NegotiationEvent(Instant at, String requestLine, String upgrade, List<Negotiation.Step> steps, String outcome,
                            String protocol, int status, String answer, long micros) {

        static NegotiationEvent of(Negotiation negotiation, Instant at) {
            return new NegotiationEvent(at, cut(withoutQuery(negotiation.requestLine()), MAX_TEXT),
                cut(negotiation.upgrade(), MAX_UPGRADE),
                negotiation.steps().stream()
                    .map(step -> new Negotiation.Step(cut(step.offer(), MAX_TEXT), cut(step.verdict(), MAX_TEXT)))
                    .toList(),
                negotiation.outcome().name(), negotiation.protocol(), negotiation.status(), negotiation.answer(),
                negotiation.durationNanos() / 1_000);
        }
    }

    /** One kept negotiation, its event encoded once, when first needed. */
    private static final class Kept {
        private final long id;
        private final Negotiation negotiation;
        private final Instant at;
        private ByteBuffer event;

        Kept(long id, Negotiation negotiation, Instant at) {
            this.id = id;
            this.negotiation = negotiation;
            this.at = at;
        }

        /** The server-sent event; called under the feed's lock. */
        ByteBuffer event() {
            if (event == null)
                event = EventStream.encode("id: " + id + "\ndata: " + Json.write(NegotiationEvent.of(negotiation, at)) + "\n\n");
            return event;
        }
    }

    private final Clock clock;
    /** The last negotiations, oldest first; guards {@link #count} and the order in which streams get events. */
    private final ArrayDeque<Kept> kept = new ArrayDeque<>(KEPT);
    private long count;

    NegotiationFeed(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void negotiated(Negotiation negotiation) {
        Instant at = clock.instant();
        synchronized (kept) {
            Kept event = new Kept(++count, negotiation, at);
            if (kept.size() == KEPT)
                kept.removeFirst();
            kept.addLast(event);
            // Checked under the lock: a reader that subscribes later gets this one with the kept ones.
            if (watched())
                broadcast(event.event());
        }
    }

    @Override
    protected void subscribe(Request request, Response response, Callback callback) {
        // Under the lock, so that no event falls between the kept ones and the live ones.
        synchronized (kept) {
            open(request, response, callback, stream -> {
                stream.send(": the last " + kept.size() + " negotiations, then each as it ends; request lines without their query\n\n");
                kept.forEach(event -> stream.send(event.event()));
            });
        }
    }

    /** {@code GET /chat?token=x HTTP/1.1} without {@code ?token=x}: the query stays private. */
    static String withoutQuery(String requestLine) {
        int query = requestLine.indexOf('?');
        int version = requestLine.lastIndexOf(' ');
        return query < 0 || query > version ? requestLine : requestLine.substring(0, query) + requestLine.substring(version);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + '…';
    }
}
