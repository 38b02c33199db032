package org.switchboard.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The relay frame layout (PROTOCOL.md, "Frames"): a 5-byte header — 1 byte type, 4 bytes payload
 * length, big-endian — then the payload. The {@code put*} methods write whole frames into a buffer
 * in fill mode (plain NIO: position is where the next byte goes), shared by the server connection
 * and {@link RelayClient}.
 */
final class RelayFrames {

    static final int HEADER_LENGTH = 5;
    /** relay/2 message frames start their payload with a 4-byte message id. */
    static final int ID_LENGTH = 4;
    /** PING, PONG and CLOSE payloads are at most this long, so that control frames stay small. */
    static final int MAX_CONTROL_PAYLOAD = 125;
    /** A CLOSE reason is at most this many UTF-8 bytes (the 2-byte code comes first). */
    static final int MAX_CLOSE_REASON = MAX_CONTROL_PAYLOAD - 2;

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

    /** Writes a TEXT or BINARY frame; {@code id} is written only in relay/2. */
    static void putMessage(ByteBuffer out, byte type, int version, int id, ByteBuffer data) {
        int length = data.remaining() + (version == 2 ? ID_LENGTH : 0);
        out.put(type).putInt(length);
        if (version == 2)
            out.putInt(id);
        out.put(data.slice());
    }

    /** Writes a PING or PONG frame. */
    static void putControl(ByteBuffer out, byte type, ByteBuffer payload) {
        out.put(type).putInt(payload.remaining()).put(payload.slice());
    }

    /** Writes an ACK frame (relay/2). */
    static void putAck(ByteBuffer out, int id) {
        out.put(ACK).putInt(ID_LENGTH).putInt(id);
    }

    /** Writes a CLOSE frame; {@code reason} comes from {@link #closeReason}. */
    static void putClose(ByteBuffer out, int code, byte[] reason) {
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
