package org.switchboard.spi;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

import org.switchboard.internal.FrameReader;
import org.switchboard.internal.LineReader;

/**
 * Cuts the bytes of a connection into messages, the two shapes most protocols use: lines
 * ({@link #lines}) and length-prefixed frames ({@link #frames}). A reader never copies and never
 * buffers: it finds whole messages in the caller's buffer, however the bytes were split across
 * reads, and says how big the buffer must be for the message it is waiting for
 * ({@link #needs()}), which is never more than the reader's maximum. A message over the maximum is
 * refused as soon as that is known, before the rest of it is waited for.
 *
 * <p>{@link UpgradedConnection} runs a reader for you (its read buffer, the bytes sent with the
 * upgrade request first, {@link UpgradedConnection#onMessage}); a client reading a blocking socket
 * can run one on its own buffer. A reader keeps state between calls (how far it has looked): one
 * per connection, used by one thread at a time, always with the same buffer contents at the
 * position it left (the buffer may be compacted or copied in between). Not thread-safe.
 */
public interface MessageReader {

    /**
     * Returns the next whole message in {@code buffer} (flush mode, as {@code EndPoint.fill} leaves
     * it) and moves the buffer's position past it, or returns {@code null} and leaves the position
     * at the start of an incomplete message. The message is a view of {@code buffer}'s bytes, valid
     * until the buffer is next changed: copy what must outlive that.
     *
     * @param buffer the bytes read so far, in flush mode; the same bytes at the position left by
     *               the last call, followed by any new ones
     * @return the next message, or {@code null} if the buffer holds only part of one
     * @throws ProtocolException if the message at the position is over the reader's maximum, or
     *                           its frame's header is refused; the buffer's position is then undefined
     */
    ByteBuffer next(ByteBuffer buffer) throws ProtocolException;

    /**
     * How many bytes, from the position {@link #next} left, the buffer must be able to hold to
     * receive the incomplete message: at least one more than it has now, and never more than the
     * reader's maximum message in bytes (terminator or header included).
     *
     * @return the buffer size in bytes the incomplete message needs
     */
    int needs();

    /**
     * Lines ending in LF or CRLF; a message is the line without its terminator (a CR is part of the
     * line unless it comes just before the LF). A line longer than {@code maxLineBytes} (terminator
     * not counted) is refused with {@link ProtocolException} as soon as it is known to be, without
     * waiting for its end; bytes after the last terminator wait for the next read.
     *
     * @param maxLineBytes the longest line in bytes, at least 1
     * @return a new reader, for one connection
     * @throws IllegalArgumentException if {@code maxLineBytes} is under 1 or over {@code Integer.MAX_VALUE - 2}
     */
    static MessageReader lines(int maxLineBytes) {
        return new LineReader(maxLineBytes);
    }

    /**
     * Frames whose first {@code headerBytes} bytes say how long the frame is; a message is the
     * whole frame, header included. {@code length} reads the header as soon as it is complete, so a
     * frame can be refused (by {@code length} throwing, or as too large) before its payload comes.
     *
     * @param headerBytes   the header's size in bytes, at least 1
     * @param length        the frame's total size in bytes from its header
     * @param maxFrameBytes the largest frame in bytes, header included; a bigger one is refused with
     *                      {@link ProtocolException}
     * @return a new reader, for one connection
     * @throws IllegalArgumentException if {@code headerBytes} is under 1 or over {@code maxFrameBytes}
     */
    static MessageReader frames(int headerBytes, FrameLength length, int maxFrameBytes) {
        return new FrameReader(headerBytes, length, maxFrameBytes);
    }

    /** Reads a frame's size from its header: for {@link #frames}. */
    @FunctionalInterface
    interface FrameLength {
        /**
         * The total size in bytes of the frame whose header is {@code header} (a buffer of exactly
         * the header's bytes, position 0), header included; a negative size or one under the header's
         * is refused, as a size over the maximum is.
         *
         * @param header the header's bytes, position 0, limit the header's size
         * @return the frame's total size in bytes
         * @throws ProtocolException to refuse the frame (an unknown type, say); its message should
         *                           be a one-line reason fit to send to the peer
         */
        long frameLength(ByteBuffer header) throws ProtocolException;
    }
}
