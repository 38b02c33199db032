package org.switchboard;

import java.util.Map;
import org.switchboard.spi.ProtocolHandler;

/**
 * Counts every upgrade outcome per protocol (SB6). The dispatcher calls {@link #record} once per
 * request that asked to upgrade (or that a required route turned away), {@link #opened} and
 * {@link #closed} once each per upgraded connection, and {@link #handlerFault} when a handler
 * breaks its contract; the application reads {@link #snapshot()}. Implementations must be
 * thread-safe and cheap: they sit on the request path.
 *
 * <p>Every key is bounded: a protocol key is a registered handler's {@link ProtocolHandler#protocol()},
 * {@link #NONE} when the client offered nothing usable, or {@link #OTHER} for offers no handler
 * speaks — never a name the client made up — and rejections are counted by status, never by
 * reason (a reason may quote client input). So no client can grow the server's memory through
 * its metrics. {@link UpgradeCounters} is the default.
 */
public interface UpgradeMetrics {

    /** The protocol key of requests that offered no well-formed protocol. */
    String NONE = "none";

    /** The protocol key of requests whose offers name no registered protocol. */
    String OTHER = "other";

    /**
     * @param protocol a registered protocol: the one switched to or rejecting, for the other
     *                 outcomes the client's most preferred registered offer; else {@link #NONE} or
     *                 {@link #OTHER}
     * @param outcome  what happened
     * @param status   the status Switchboard answered: 101, 426, the rejection's or bad request's
     *                 4xx/5xx; 0 for {@link Outcome#FALLBACK} (the application answers)
     */
    void record(String protocol, Outcome outcome, int status);

    /**
     * A connection switched to {@code protocol} opened: Jetty handed it the endpoint after the 101.
     *
     * @param protocol the registered protocol the connection speaks
     */
    void opened(String protocol);

    /**
     * A connection counted by {@link #opened} closed, however it ended; called once per {@link #opened}.
     *
     * @param protocol the protocol given to {@link #opened}
     */
    void closed(String protocol);

    /**
     * {@code protocol}'s handler broke its contract on one offer (threw, returned {@code null}, or
     * accepted a protocol other than the offer it answered, U3/SB4); the offer was treated as declined.
     *
     * @param protocol the registered protocol of the faulty handler
     */
    void handlerFault(String protocol);

    /**
     * The counts so far.
     *
     * @return an immutable copy; later requests do not change it
     */
    Snapshot snapshot();

    /** The outcome of one upgrade request. */
    enum Outcome {
        /** 101 Switching Protocols; 200 for an extended CONNECT (C3). */
        UPGRADED,
        /**
         * A handler's rejection was the answer (SB3); or the 501 of an extended CONNECT that no
         * handler accepted on an optional route (C4).
         */
        REJECTED,
        /** Served as if {@code Upgrade} were absent (U7). */
        FALLBACK,
        /** 426 on a required route (U8); 501 for an extended CONNECT there (C4). */
        UPGRADE_REQUIRED,
        /**
         * 400 or 431: headers over the limits (SB5) or {@code Connection: upgrade} missing (U6); 408: the
         * request body stopped arriving before the switch (U10).
         */
        BAD_REQUEST
    }

    /**
     * @param outcomes      per protocol, per outcome, how many requests
     * @param open          per protocol, how many upgraded connections are open now
     * @param rejections    per protocol, per status, how many rejections and bad requests
     * @param handlerFaults per protocol, how many offers its handler answered against its contract
     */
    record Snapshot(Map<String, Map<Outcome, Long>> outcomes, Map<String, Long> open,
                    Map<String, Map<Integer, Long>> rejections, Map<String, Long> handlerFaults) {

        /**
         * Copies the maps, so a snapshot never changes.
         *
         * @param outcomes      per protocol, per outcome, how many requests
         * @param open          per protocol, how many upgraded connections are open now
         * @param rejections    per protocol, per status, how many rejections and bad requests
         * @param handlerFaults per protocol, how many offers its handler answered against its contract
         */
        public Snapshot {
            outcomes = Map.copyOf(outcomes);
            open = Map.copyOf(open);
            rejections = Map.copyOf(rejections);
            handlerFaults = Map.copyOf(handlerFaults);
        }

        /**
         * How many requests for {@code protocol} ended in {@code outcome}.
         *
         * @param protocol a protocol key: a registered protocol, {@link #NONE} or {@link #OTHER}
         * @param outcome  the outcome
         * @return the count; 0 for a key never seen
         */
        public long count(String protocol, Outcome outcome) {
            return outcomes.getOrDefault(protocol, Map.of()).getOrDefault(outcome, 0L);
        }

        /**
         * How many upgraded connections to {@code protocol} are open.
         *
         * @param protocol a registered protocol
         * @return the count; 0 for a protocol never switched to
         */
        public long open(String protocol) {
            return open.getOrDefault(protocol, 0L);
        }

        /**
         * How many contract breaches {@code protocol}'s handler made.
         *
         * @param protocol a registered protocol
         * @return the count; 0 if none
         */
        public long handlerFaults(String protocol) {
            return handlerFaults.getOrDefault(protocol, 0L);
        }
    }
}
