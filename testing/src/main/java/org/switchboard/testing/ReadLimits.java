package org.switchboard.testing;

import java.time.Duration;

/**
 * How long and how much a {@link RawConnection} reads before it gives up: every read is bounded in
 * time and size, whatever the server sends (or does not send).
 *
 * @param timeout      the longest one read call waits, for the whole of what it reads (a response,
 *                     {@code n} bytes, a line); positive. Default 10 seconds
 * @param maxHeadBytes the longest response head, status line through blank line, and the longest
 *                     line {@link RawConnection#readLine()} reads, in bytes; positive. Default 64 KiB
 * @param maxBodyBytes the largest response body (after chunked decoding) and the most
 *                     {@link RawConnection#readUntilClosed()} collects, in bytes; positive. Default 4 MiB
 */
public record ReadLimits(Duration timeout, int maxHeadBytes, int maxBodyBytes) {

    /** 10 seconds, 64 KiB of head, 4 MiB of body. */
    public static final ReadLimits DEFAULT = new ReadLimits(Duration.ofSeconds(10), 64 * 1024, 4 * 1024 * 1024);

    /**
     * Checks the limits.
     *
     * @param timeout      the longest one read call waits, positive
     * @param maxHeadBytes the longest response head or line, in bytes, at least 1
     * @param maxBodyBytes the largest body, in bytes, at least 1
     * @throws IllegalArgumentException if the timeout is not positive or a size is under 1
     */
    public ReadLimits {
        if (timeout == null || timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        if (maxHeadBytes < 1 || maxBodyBytes < 1)
            throw new IllegalArgumentException("sizes must be positive: head " + maxHeadBytes + ", body " + maxBodyBytes);
    }

    /**
     * These limits with {@code timeout} for each read call.
     *
     * @param timeout the longest one read call waits, positive
     * @return a copy with that one value replaced
     */
    public ReadLimits withTimeout(Duration timeout) {
        return new ReadLimits(timeout, maxHeadBytes, maxBodyBytes);
    }

    /**
     * These limits with {@code bytes} as the longest head (and line).
     *
     * @param bytes the longest head, in bytes, at least 1
     * @return a copy with that one value replaced
     */
    public ReadLimits withMaxHeadBytes(int bytes) {
        return new ReadLimits(timeout, bytes, maxBodyBytes);
    }

    /**
     * These limits with {@code bytes} as the largest body.
     *
     * @param bytes the largest body, in bytes, at least 1
     * @return a copy with that one value replaced
     */
    public ReadLimits withMaxBodyBytes(int bytes) {
        return new ReadLimits(timeout, maxHeadBytes, bytes);
    }
}
