package org.switchboard.internal;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

import org.switchboard.spi.MessageReader;

/** {@link MessageReader#lines}: remembers how far it looked, so that a long line is scanned once. */
public final class LineReader implements MessageReader {

    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private final int maxLineBytes;
    /** Bytes from the buffer's position known to hold no LF. */
    private int scanned;

    public LineReader(int maxLineBytes) {
        if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 2)
            throw new IllegalArgumentException("maxLineBytes must be between 1 and " + (Integer.MAX_VALUE - 2) + ": " + maxLineBytes);
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public ByteBuffer next(ByteBuffer buffer) throws ProtocolException {
        int start = buffer.position();
        int limit = buffer.limit();
        // A line of the maximum with its CR may be max + 1 bytes before its LF, never more.
        int end = Math.min(limit, start + maxLineBytes + 2);
        for (int i = start + scanned; i < end; i++) {
            if (buffer.get(i) == LF) {
                int lineEnd = i > start && buffer.get(i - 1) == CR ? i - 1 : i;
                if (lineEnd - start > maxLineBytes)
                    throw tooLong();
                scanned = 0;
                buffer.position(i + 1);
                return buffer.slice(start, lineEnd - start);
            }
        }
        scanned = end - start;
        if (scanned > maxLineBytes + 1 || scanned == maxLineBytes + 1 && buffer.get(end - 1) != CR)
            throw tooLong();
        return null;
    }

    @Override
    public int needs() {
        // Room to grow geometrically, so that a long line is not copied once per read.
        return (int) Math.min(maxLineBytes + 2L, Math.max(scanned + 1L, 2L * scanned));
    }

    private ProtocolException tooLong() {
        return new ProtocolException("line longer than " + maxLineBytes + " bytes");
    }
}
