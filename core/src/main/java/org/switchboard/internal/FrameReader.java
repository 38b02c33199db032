package org.switchboard.internal;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Objects;

import org.switchboard.spi.MessageReader;

/** {@link MessageReader#frames}: reads each header once, when it is complete. */
public final class FrameReader implements MessageReader {

    private final int headerBytes;
    private final FrameLength length;
    private final int maxFrameBytes;
    /** The size of the frame at the buffer's position once its header was read, else 0. */
    private int frameBytes;

    public FrameReader(int headerBytes, FrameLength length, int maxFrameBytes) {
        if (headerBytes < 1 || headerBytes > maxFrameBytes)
            throw new IllegalArgumentException("headerBytes must be between 1 and maxFrameBytes (" + maxFrameBytes + "): " + headerBytes);
        this.headerBytes = headerBytes;
        this.length = Objects.requireNonNull(length, "length");
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public ByteBuffer next(ByteBuffer buffer) throws ProtocolException {
        int start = buffer.position();
        int available = buffer.remaining();
        if (frameBytes == 0) {
            if (available < headerBytes)
                return null;
            long size = length.frameLength(buffer.slice(start, headerBytes));
            if (size < headerBytes)
                throw new ProtocolException("frame size " + size + " is under its header's " + headerBytes + " bytes");
            if (size > maxFrameBytes)
                throw new ProtocolException("frame of " + size + " bytes is over the maximum " + maxFrameBytes);
            frameBytes = (int) size;
        }
        if (available < frameBytes)
            return null;
        ByteBuffer frame = buffer.slice(start, frameBytes);
        buffer.position(start + frameBytes);
        frameBytes = 0;
        return frame;
    }

    @Override
    public int needs() {
        return frameBytes == 0 ? headerBytes : frameBytes;
    }
}
