package org.switchboard;

/**
 * Told of every upgrade request's {@link Negotiation} as the dispatcher ends it (SB6), beside the
 * counts in {@link UpgradeMetrics}: for live views, tracing and audit logs. Register with
 * {@link Switchboard.Builder#listener}. With no listener registered the dispatcher builds no
 * {@link Negotiation} at all.
 *
 * <p>Called on the thread that decided, before the answer is written — often a Jetty selector or
 * I/O thread — so it must be thread-safe, quick and non-blocking: hand slow work to a queue. What
 * it throws is logged (once per listener at WARN) and ignored; the request is answered regardless.
 */
@FunctionalInterface
public interface NegotiationListener {

    /**
     * {@code negotiation} has ended as it says; its answer is about to be written.
     *
     * @param negotiation the request's offers, the handlers' verdicts and the answer
     */
    void negotiated(Negotiation negotiation);
}
