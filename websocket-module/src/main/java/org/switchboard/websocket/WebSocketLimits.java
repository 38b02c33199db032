package org.switchboard.websocket;

import java.time.Duration;
import java.util.Objects;

import org.eclipse.jetty.websocket.core.WebSocketConstants;

/**
 * Per-endpoint limits of a WebSocket session, applied by Jetty once the session opens (rule W8).
 * A text or binary message over its limit makes Jetty close the session with
 * {@code 1009 Message Too Big}; a session quiet for longer than {@link #idleTimeout()} is closed by
 * Jetty with {@code 1001}. These values win over the limits an annotated endpoint declares in
 * {@code @WebSocket(...)}.
 *
 * <p>{@link #maxFrameSize()} works as in Jetty: with {@link #autoFragment()} (the default) a data
 * frame over it, incoming or outgoing, is split into smaller frames, so the message limits are what
 * bound a session's memory; without it an incoming frame over it closes the session with
 * {@code 1009}, and an outgoing one fails to send — then it must be at least 125, the largest
 * control frame, or Jetty could not send its own close frames.
 *
 * @param maxTextMessageSize   the largest text message accepted, in bytes (UTF-8)
 * @param maxBinaryMessageSize the largest binary message accepted, in bytes
 * @param maxFrameSize         the largest single data frame handled in one piece, in bytes
 * @param autoFragment         split frames over {@code maxFrameSize} rather than refuse them
 * @param idleTimeout          how long a session may stay silent
 */
public record WebSocketLimits(long maxTextMessageSize, long maxBinaryMessageSize, long maxFrameSize, boolean autoFragment,
                              Duration idleTimeout) {

    private static final int MAX_CONTROL_PAYLOAD = 125;

    /** Jetty's own defaults: 64 KiB messages and frames, frames split, 30 seconds idle. */
    public static final WebSocketLimits DEFAULT = new WebSocketLimits(
        WebSocketConstants.DEFAULT_MAX_TEXT_MESSAGE_SIZE,
        WebSocketConstants.DEFAULT_MAX_BINARY_MESSAGE_SIZE,
        WebSocketConstants.DEFAULT_MAX_FRAME_SIZE,
        WebSocketConstants.DEFAULT_AUTO_FRAGMENT,
        WebSocketConstants.DEFAULT_IDLE_TIMEOUT);

    /**
     * Checks the limits.
     *
     * @param maxTextMessageSize   the largest text message accepted, in bytes, at least 1
     * @param maxBinaryMessageSize the largest binary message accepted, in bytes, at least 1
     * @param maxFrameSize         the largest data frame handled in one piece, in bytes, at least 1
     *                             (at least 125 without {@code autoFragment})
     * @param autoFragment         split frames over {@code maxFrameSize} rather than refuse them
     * @param idleTimeout          how long a session may stay silent, positive
     * @throws NullPointerException     if {@code idleTimeout} is null
     * @throws IllegalArgumentException if a size or the timeout is out of range
     */
    public WebSocketLimits {
        requirePositive(maxTextMessageSize, "maxTextMessageSize");
        requirePositive(maxBinaryMessageSize, "maxBinaryMessageSize");
        requirePositive(maxFrameSize, "maxFrameSize");
        // Jetty checks its own close frames against a strict limit too: one under the 125 bytes a
        // control frame may carry would leave it unable to send 1009 (it closes the TCP connection instead).
        if (!autoFragment && maxFrameSize < MAX_CONTROL_PAYLOAD)
            throw new IllegalArgumentException("without autoFragment, maxFrameSize must be at least " + MAX_CONTROL_PAYLOAD + ": " + maxFrameSize);
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero())
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }

    /**
     * A copy with another {@code maxTextMessageSize}.
     *
     * @param size the largest text message accepted, in bytes (UTF-8)
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the value is out of range (see the constructor)
     */
    public WebSocketLimits withMaxTextMessageSize(long size) {
        return new WebSocketLimits(size, maxBinaryMessageSize, maxFrameSize, autoFragment, idleTimeout);
    }

    /**
     * A copy with another {@code maxBinaryMessageSize}.
     *
     * @param size the largest binary message accepted, in bytes
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the value is out of range (see the constructor)
     */
    public WebSocketLimits withMaxBinaryMessageSize(long size) {
        return new WebSocketLimits(maxTextMessageSize, size, maxFrameSize, autoFragment, idleTimeout);
    }

    /**
     * A copy with another {@code maxFrameSize}.
     *
     * @param size the largest data frame handled in one piece, in bytes
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the value is out of range (see the constructor)
     */
    public WebSocketLimits withMaxFrameSize(long size) {
        return new WebSocketLimits(maxTextMessageSize, maxBinaryMessageSize, size, autoFragment, idleTimeout);
    }

    /**
     * A copy with another {@code autoFragment}.
     *
     * @param split split frames over {@code maxFrameSize} rather than refuse them
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the value is out of range (see the constructor)
     */
    public WebSocketLimits withAutoFragment(boolean split) {
        return new WebSocketLimits(maxTextMessageSize, maxBinaryMessageSize, maxFrameSize, split, idleTimeout);
    }

    /**
     * A copy with another {@code idleTimeout}.
     *
     * @param timeout how long a session may stay silent
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the value is out of range (see the constructor)
     */
    public WebSocketLimits withIdleTimeout(Duration timeout) {
        return new WebSocketLimits(maxTextMessageSize, maxBinaryMessageSize, maxFrameSize, autoFragment, timeout);
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0)
            throw new IllegalArgumentException(name + " must be positive: " + value);
    }
}
