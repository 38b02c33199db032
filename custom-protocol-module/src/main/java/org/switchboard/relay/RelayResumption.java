package org.switchboard.relay;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What the application remembers of resumable relay/2 sessions, asked when a client presents
 * {@code Relay-Resume: <token>; received=<n>} (PROTOCOL.md, "Resume (relay/2, optional
 * extension)"). Given to {@link RelayProtocolHandler#RelayProtocolHandler(RelayListener, RelayConfig,
 * RelayResumption)}; with one, every relay/2 session gets a token ({@link RelaySession#sessionToken()}).
 *
 * <p>The handler knows nothing of the application's messages: the store answers only whether the
 * session can go on and how many of the client's messages it holds ({@link Resumed#received()}, the
 * client then resends the rest). Replaying the server's messages after the client's {@code n}
 * ({@link RelaySession#peerReceivedAtResume()}) is the application's, in
 * {@link RelayListener#onOpen}, before anything live. For that to be exactly-once the application
 * acknowledges a client message only once it is durably handled ({@link RelayConfig#deferredAcknowledge()}),
 * and handling message {@code k} of a session twice (a resend after a lost ACK, or the old
 * connection still delivering) has the effect of handling it once.
 *
 * <p>Called on a worker thread during the upgrade, which waits for the answer up to
 * {@link RelayConfig#resumeTimeout()}: a store that does not answer in time, or whose stage fails,
 * gets the client {@code 503} with {@code Retry-After}, never a hang.
 */
@FunctionalInterface
public interface RelayResumption {

    /**
     * Whether the session {@code token} can resume with the client having handled {@code received}
     * of the server's messages. Must not block: return a stage that the store completes (for a
     * store in memory, an already completed one).
     *
     * @param token    the session token the client presented, as a previous 101's {@code Relay-Session}
     *                 gave it: 16 to 128 characters of the URL-safe base64 alphabet (checked before this call)
     * @param received {@code n}: how many of the server's messages in that session the client has
     *                 handled, 0 or more (a 64-bit count; ids are this count modulo 2^32)
     * @return completes with {@link Resumed} or {@link NotResumed}; completing exceptionally (the
     *         store is unreachable) answers the client {@code 503} with {@code Retry-After}
     */
    CompletionStage<Decision> resume(String token, long received);

    /** The store's answer: {@link Resumed} or {@link NotResumed}. */
    sealed interface Decision permits Resumed, NotResumed {
    }

    /**
     * The session goes on: the 101 says {@code Relay-Resumed: yes; received=<m>} and keeps the token.
     *
     * @param received {@code m}: how many of the client's messages the application has durably
     *                 handled in this session; the client resends from {@code m + 1}, and its next
     *                 message id is {@code m + 1} modulo 2^32
     */
    record Resumed(long received) implements Decision {
        /**
         * Checks the count.
         *
         * @param received how many of the client's messages the application holds, 0 or more
         * @throws IllegalArgumentException if {@code received} is negative
         */
        public Resumed {
            if (received < 0)
                throw new IllegalArgumentException("received must be 0 or more: " + received);
        }
    }

    /**
     * The session cannot go on (unknown or expired token, the client's position trimmed from the
     * store's history, the store lost its data…): the client gets a fresh session, with a new token
     * and ids from 1, and the 101 says {@code Relay-Resumed: no; reason="<reason>"}.
     *
     * @param reason one line for the client, e.g. {@code session expired}; control characters are
     *               replaced by spaces, and it is cut to 200 characters on the wire
     */
    record NotResumed(String reason) implements Decision {
        /**
         * Checks the reason is there.
         *
         * @param reason why the session cannot resume
         * @throws NullPointerException if {@code reason} is null
         */
        public NotResumed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
