package org.switchboard.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's limits for relay connections (PROTOCOL.md, "Limits").
 *
 * @param maxMessageSize the largest message, in bytes, this side accepts; announced to the peer in
 *                       {@code Relay-Max-Message-Size}; a bigger frame closes the connection with
 *                       {@link CloseCode#TOO_BIG}
 * @param maxQueuedBytes the most bytes of frames waiting for a slow reader per connection, besides
 *                       the batch being written; one more frame closes the connection with
 *                       {@link CloseCode#SLOW_CONSUMER}
 * @param idleTimeout    after this long with nothing read or written the server sends a PING, and
 *                       if nothing was read since, after as long again idle it closes with
 *                       {@link CloseCode#IDLE_TIMEOUT}; it also bounds the wait for a closing
 *                       handshake
 * @param deferredAcknowledge relay/2: when {@code false} (the default) a message is acknowledged
 *                       once {@link RelayListener#onText}/{@link RelayListener#onBinary} returned;
 *                       when {@code true} only when the application calls
 *                       {@link RelaySession#acknowledge(long)}, once the message is durably handled
 *                       (PROTOCOL.md, "Resume": what makes a resend after {@code m} exactly-once)
 * @param resumeTimeout  how long the upgrade waits for a {@link RelayResumption}'s answer before
 *                       answering {@code 503} with {@code Retry-After}; 5 s by default
 */
public record RelayConfig(int maxMessageSize, int maxQueuedBytes, Duration idleTimeout, boolean deferredAcknowledge,
                          Duration resumeTimeout) {

    /** 64 KiB messages, 1 MiB of queued frames, 30 s idle timeout, ACKs once the listener returned, 5 s to resume. */
    public static final RelayConfig DEFAULT = new RelayConfig(64 * 1024, 1024 * 1024, Duration.ofSeconds(30));

    /** The smallest maximum message size a peer may announce: a control frame's payload. */
    public static final int MIN_MESSAGE_SIZE = RelayFrames.MAX_CONTROL_PAYLOAD;

    /**
     * The limits, with acknowledgement once the listener returned and a 5 s resume timeout.
     *
     * @param maxMessageSize the largest message accepted, in bytes, from {@link #MIN_MESSAGE_SIZE} to 2^31-17
     * @param maxQueuedBytes bytes of frames queued for a slow reader, at least one frame of {@code maxMessageSize}
     * @param idleTimeout    time with nothing read or written before a PING, positive
     * @throws NullPointerException     if {@code idleTimeout} is null
     * @throws IllegalArgumentException if a value is out of range
     */
    public RelayConfig(int maxMessageSize, int maxQueuedBytes, Duration idleTimeout) {
        this(maxMessageSize, maxQueuedBytes, idleTimeout, false, Duration.ofSeconds(5));
    }

    /**
     * Checks the limits.
     *
     * @param maxMessageSize the largest message accepted, in bytes, from {@link #MIN_MESSAGE_SIZE} to 2^31-17
     * @param maxQueuedBytes bytes of frames queued for a slow reader, at least one frame of {@code maxMessageSize}
     * @param idleTimeout    time with nothing read or written before a PING, positive
     * @param deferredAcknowledge whether relay/2 messages are acknowledged only by {@link RelaySession#acknowledge(long)}
     * @param resumeTimeout  how long to wait for a {@link RelayResumption}, positive
     * @throws NullPointerException     if {@code idleTimeout} or {@code resumeTimeout} is null
     * @throws IllegalArgumentException if a value is out of range
     */
    public RelayConfig {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(resumeTimeout, "resumeTimeout");
        if (resumeTimeout.isNegative() || resumeTimeout.isZero())
            throw new IllegalArgumentException("resumeTimeout must be positive: " + resumeTimeout);
        if (maxMessageSize < MIN_MESSAGE_SIZE || maxMessageSize > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException("maxMessageSize must be in [" + MIN_MESSAGE_SIZE + ", 2^31-17]: " + maxMessageSize);
        if (maxQueuedBytes < RelayFrames.messageFrameLength(2, maxMessageSize))
            throw new IllegalArgumentException("maxQueuedBytes must hold one frame of maxMessageSize: " + maxQueuedBytes);
        if (idleTimeout.isNegative() || idleTimeout.isZero())
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }

    /**
     * A copy with another {@code maxMessageSize}.
     *
     * @param maxMessageSize the largest message accepted, in bytes
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the result breaks a bound of the constructor
     */
    public RelayConfig withMaxMessageSize(int maxMessageSize) {
        return new RelayConfig(maxMessageSize, maxQueuedBytes, idleTimeout, deferredAcknowledge, resumeTimeout);
    }

    /**
     * A copy with another {@code maxQueuedBytes}.
     *
     * @param maxQueuedBytes bytes of frames queued for a slow reader
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the result breaks a bound of the constructor
     */
    public RelayConfig withMaxQueuedBytes(int maxQueuedBytes) {
        return new RelayConfig(maxMessageSize, maxQueuedBytes, idleTimeout, deferredAcknowledge, resumeTimeout);
    }

    /**
     * A copy with another {@code idleTimeout}.
     *
     * @param idleTimeout time with nothing read or written before a PING
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the result breaks a bound of the constructor
     */
    public RelayConfig withIdleTimeout(Duration idleTimeout) {
        return new RelayConfig(maxMessageSize, maxQueuedBytes, idleTimeout, deferredAcknowledge, resumeTimeout);
    }

    /**
     * A copy with another {@code deferredAcknowledge}.
     *
     * @param deferredAcknowledge {@code true}: relay/2 messages are acknowledged only by
     *                            {@link RelaySession#acknowledge(long)}; {@code false}: once the listener returned
     * @return a copy with that one value replaced
     */
    public RelayConfig withDeferredAcknowledge(boolean deferredAcknowledge) {
        return new RelayConfig(maxMessageSize, maxQueuedBytes, idleTimeout, deferredAcknowledge, resumeTimeout);
    }

    /**
     * A copy with another {@code resumeTimeout}.
     *
     * @param resumeTimeout how long the upgrade waits for a {@link RelayResumption}'s answer
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the result breaks a bound of the constructor
     */
    public RelayConfig withResumeTimeout(Duration resumeTimeout) {
        return new RelayConfig(maxMessageSize, maxQueuedBytes, idleTimeout, deferredAcknowledge, resumeTimeout);
    }
}
