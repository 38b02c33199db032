package org.switchboard;

import java.util.Map;

/**
 * Counts every upgrade outcome per protocol (SB6). The dispatcher calls {@link #record} once per
 * request that asked to upgrade (or that a required route turned away) and {@link #closed} when
 * an upgraded connection ends; the application reads {@link #snapshot()}. Implementations must be
 * thread-safe and cheap: they sit on the request path. {@link UpgradeCounters} is the default.
 */
public interface UpgradeMetrics {

    /**
     * @param protocol the protocol switched to or rejecting; for the other outcomes the client's
     *                 most preferred offer, or {@code "none"} if it offered nothing
     * @param outcome  what happened
     * @param reason   the rejection's or bad request's reason; {@code null} for the other outcomes
     */
    void record(String protocol, Outcome outcome, String reason);

    /** An upgraded connection to {@code protocol} closed. */
    void closed(String protocol);

    /** The counts so far. */
    Snapshot snapshot();

    /** The outcome of one upgrade request. */
    enum Outcome {
        /** 101 Switching Protocols. */
        UPGRADED,
        /** A handler's rejection was the answer (SB3). */
        REJECTED,
        /** Served as if {@code Upgrade} were absent (U7). */
        FALLBACK,
        /** 426 on a required route (U8). */
        UPGRADE_REQUIRED,
        /** 400: headers over the limits (SB5) or {@code Connection: upgrade} missing (U6). */
        BAD_REQUEST
    }

    /**
     * @param outcomes   per protocol, per outcome, how many requests
     * @param open       per protocol, how many upgraded connections are open now
     * @param rejections per protocol, per reason, how many rejections and bad requests
     */
    record Snapshot(Map<String, Map<Outcome, Long>> outcomes, Map<String, Long> open,
                    Map<String, Map<String, Long>> rejections) {

        public Snapshot {
            outcomes = Map.copyOf(outcomes);
            open = Map.copyOf(open);
            rejections = Map.copyOf(rejections);
        }

        /** How many requests for {@code protocol} ended in {@code outcome}. */
        public long count(String protocol, Outcome outcome) {
            return outcomes.getOrDefault(protocol, Map.of()).getOrDefault(outcome, 0L);
        }

        /** How many upgraded connections to {@code protocol} are open. */
        public long open(String protocol) {
            return open.getOrDefault(protocol, 0L);
        }
    }
}
