package org.switchboard;

import java.util.List;
import java.util.Objects;

/**
 * One upgrade request as the dispatcher ended it (SB6): what the client offered, what each
 * handler said, and what was answered — what a {@link NegotiationListener} receives, and what
 * {@link UpgradeDispatcher#dryRun} returns. The requests it describes are those
 * {@link UpgradeMetrics#record} counts: every request that asked to upgrade, and every request a
 * required route turned away.
 *
 * @param requestLine   method, path and query, and protocol, as in {@code GET /chat HTTP/1.1}
 * @param upgrade       the {@code Upgrade} field as the client sent it (several field lines joined
 *                      with {@code ", "}), or an extended CONNECT's {@code :protocol} (C1); empty if
 *                      it sent none. Client text, bounded only by the
 *                      connector's request header size: escape it before showing it
 * @param steps         each offer the negotiation considered and what came of it, in the order
 *                      considered; empty when no handler was asked (a bad request, a 426 without
 *                      offers, {@code Connection: close})
 * @param outcome       what happened
 * @param protocol      the bounded metric key: a registered protocol, {@link UpgradeMetrics#NONE}
 *                      or {@link UpgradeMetrics#OTHER} (as {@link UpgradeMetrics#record})
 * @param status        the status Switchboard answered: 101 (200 for extended CONNECT), 426 (501
 *                      for extended CONNECT), the rejection's or bad
 *                      request's 4xx/5xx; 0 for {@link UpgradeMetrics.Outcome#FALLBACK} (the
 *                      application answers)
 * @param answer        the answer in words, at most {@value #MAX_ANSWER} characters:
 *                      {@code 101 relay/2}, {@code 426 Upgrade: websocket},
 *                      {@code 403 Origin not allowed}, {@code served by the application}
 * @param durationNanos nanoseconds from the moment the request head was parsed to the decision,
 *                      reading an upgrade request's body included; 0 for {@link UpgradeDispatcher#dryRun}
 */
public record Negotiation(String requestLine, String upgrade, List<Step> steps, UpgradeMetrics.Outcome outcome,
                          String protocol, int status, String answer, long durationNanos) {

    /** The longest {@link #answer()}: a rejection's reason may be long, or quote the client. */
    public static final int MAX_ANSWER = 256;

    /**
     * Checks that nothing is missing, copies the steps and cuts the answer to {@link #MAX_ANSWER}.
     *
     * @param requestLine   method, path and query, and protocol
     * @param upgrade       the {@code Upgrade} field as sent; empty if none
     * @param steps         each offer considered and what came of it
     * @param outcome       what happened
     * @param protocol      the bounded metric key
     * @param status        the status answered; 0 for a fallback
     * @param answer        the answer in words
     * @param durationNanos nanoseconds from the parsed head to the decision
     * @throws NullPointerException if a text, the steps or the outcome is null
     */
    public Negotiation {
        Objects.requireNonNull(requestLine, "requestLine");
        Objects.requireNonNull(upgrade, "upgrade");
        steps = List.copyOf(steps);
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(protocol, "protocol");
        answer = answer.length() > MAX_ANSWER ? answer.substring(0, MAX_ANSWER - 1) + '…' : answer;
    }

    /**
     * One offer considered and what came of it.
     *
     * @param offer   the offer, normalized ({@code relay/2}); client text, escape it before showing it
     * @param verdict what came of it: {@code accept}, {@code decline: <reason>},
     *                {@code reject <status> <reason>}, {@code no handler}, {@code version not spoken},
     *                {@code not allowed on this route}, {@code handler fault, …}
     */
    public record Step(String offer, String verdict) {

        /**
         * Checks that nothing is missing.
         *
         * @param offer   the offer, normalized
         * @param verdict what came of it
         * @throws NullPointerException if either is null
         */
        public Step {
            Objects.requireNonNull(offer, "offer");
            Objects.requireNonNull(verdict, "verdict");
        }

        @Override
        public String toString() {
            return offer + ": " + verdict;
        }
    }
}
