package org.switchboard.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * The relay frame encoder, the one both ends use (PROTOCOL.md section 2, "Frames"): a 5-byte
 * header — 1 byte type, 4 bytes payload length, big-endian — then the payload. {@link FrameParser}
 * is its inverse, likewise for both ends.
 *
 * <p>Nothing here depends on which side encodes: unlike WebSocket, whose client masks its frames
 * (RFC 6455 section 5.3, the reason Netty's encoder takes a side), relay has one frame layout in
 * both directions, so there is no side parameter. Only the version matters: relay/2 messages start
 * with their 4-byte id.
 *
 * <p>The {@code put*} methods append one whole frame to a {@link RetainableByteBuffer.Mutable}: the
 * server's outbound queue, so that its write path encodes straight into the queue with no buffer
 * of its own per frame, or a buffer of the frame's exact size for the blocking client. They do not
 * check for room: the caller makes it first, with the frame's length from the methods below.
 */
final class RelayFrames {

    static final int HEADER_LENGTH = 5;
    /** relay/2 message frames start their payload with a 4-byte message id. */
    static final int ID_LENGTH = 4;
    /** PING, PONG and CLOSE payloads are at most this long, so that control frames stay small. */
    static final int MAX_CONTROL_PAYLOAD = 125;
    /** A CLOSE reason is at most this many UTF-8 bytes (the 2-byte code comes first). */
    static final int MAX_CLOSE_REASON = MAX_CONTROL_PAYLOAD - 2;
    static final int ACK_FRAME_LENGTH = HEADER_LENGTH + ID_LENGTH;

    static final byte TEXT = 0x01;
    static final byte BINARY = 0x02;
    static final byte CLOSE = 0x08;
    static final byte PING = 0x09;
    static final byte PONG = 0x0A;
    static final byte ACK = 0x0B;

    private RelayFrames() {
    }

    /** The size of a TEXT or BINARY frame carrying {@code dataLength} bytes in {@code version}. */
    static int messageFrameLength(int version, int dataLength) {
        return HEADER_LENGTH + (version == 2 ? ID_LENGTH : 0) + dataLength;
    }

    /**
     * The size of the TEXT or BINARY frame for {@code data}, a message to a peer that announced
     * {@code peerMaxMessageSize}: a sender never sends a bigger message (PROTOCOL.md section 3), and
     * {@link RelaySession#sendText} promises the application an exception instead.
     *
     * @throws IllegalArgumentException if {@code data} is over {@code peerMaxMessageSize}
     */
    static int messageFrameLength(int version, ByteBuffer data, int peerMaxMessageSize) {
        if (data.remaining() > peerMaxMessageSize)
            throw new IllegalArgumentException("message of " + data.remaining() + " bytes is over the peer's maximum " + peerMaxMessageSize);
        return messageFrameLength(version, data.remaining());
    }

    /**
     * Appends a TEXT or BINARY frame with the bytes between {@code data}'s position and limit,
     * leaving {@code data} as it was: it is the application's ({@link RelaySession#sendBinary}
     * promises so) and may be sent to several sessions at once, by several threads. {@code id} is
     * written only in relay/2.
     */
    static void putMessage(RetainableByteBuffer.Mutable out, byte type, int version, int id, ByteBuffer data) {
        out.put(type).putInt(messageFrameLength(version, data.remaining()) - HEADER_LENGTH);
        if (version == 2)
            out.putInt(id);
        out.append(data.slice());
    }

    /**
     * Appends a PING or PONG frame, consuming {@code payload}: a control payload is the codec's
     * own (a PING's, or the parser's slice for the PONG that answers it), never the application's,
     * so it needs no copy of the buffer around it.
     */
    static void putControl(RetainableByteBuffer.Mutable out, byte type, ByteBuffer payload) {
        out.put(type).putInt(payload.remaining()).append(payload);
    }

    /** Appends an ACK frame (relay/2), {@link #ACK_FRAME_LENGTH} bytes. */
    static void putAck(RetainableByteBuffer.Mutable out, int id) {
        out.put(ACK).putInt(ID_LENGTH).putInt(id);
    }

    /** Appends a CLOSE frame; {@code reason} comes from {@link #closeReason}. */
    static void putClose(RetainableByteBuffer.Mutable out, int code, byte[] reason) {
        out.put(CLOSE).putInt(2 + reason.length).putShort((short) code).put(reason);
    }

    /** The size of a CLOSE frame with {@code reason}. */
    static int closeFrameLength(byte[] reason) {
        return HEADER_LENGTH + 2 + reason.length;
    }

    /** {@code reason} in UTF-8, cut to {@link #MAX_CLOSE_REASON} bytes without splitting a character. */
    static byte[] closeReason(String reason) {
        byte[] bytes = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_CLOSE_REASON)
            return bytes;
        int end = MAX_CLOSE_REASON;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
            end--;
        byte[] cut = new byte[end];
        System.arraycopy(bytes, 0, cut, 0, end);
        return cut;
    }
}
