package org.switchboard.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.ExtendedConnect;

/** Builds and reads relay frames as raw bytes, for tests that check what is on the wire. */
final class WireFrames {

    private WireFrames() {
    }

    static byte[] text(int version, int id, String text) {
        return message(RelayFrames.TEXT, version, id, text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] message(byte type, int version, int id, byte[] data) {
        return encode(RelayFrames.messageFrameLength(version, data.length), frame -> RelayFrames.putMessage(frame, type, version, id, ByteBuffer.wrap(data)));
    }

    static byte[] control(byte type, byte[] payload) {
        return encode(RelayFrames.HEADER_LENGTH + payload.length, frame -> RelayFrames.putControl(frame, type, ByteBuffer.wrap(payload)));
    }

    static byte[] ack(int id) {
        return encode(RelayFrames.ACK_FRAME_LENGTH, frame -> RelayFrames.putAck(frame, id));
    }

    static byte[] close(int code, String reason) {
        byte[] bytes = RelayFrames.closeReason(reason);
        return encode(RelayFrames.closeFrameLength(bytes), frame -> RelayFrames.putClose(frame, code, bytes));
    }

    /** The bytes {@code encoder} writes into a buffer of {@code length} bytes, which it must fill. */
    private static byte[] encode(int length, Consumer<RetainableByteBuffer.Mutable> encoder) {
        RetainableByteBuffer.Mutable frame = RetainableByteBuffer.wrap(BufferUtil.allocate(length));
        encoder.accept(frame);
        if (frame.remaining() != length)
            throw new IllegalStateException("encoded " + frame.remaining() + " bytes, expected " + length);
        return BufferUtil.toArray(frame.getByteBuffer());
    }

    /** A raw header: any type byte and any length, for frames the encoder would never make. */
    static byte[] header(int type, int length) {
        return ByteBuffer.allocate(RelayFrames.HEADER_LENGTH).put((byte) type).putInt(length).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts)
            out.writeBytes(part);
        return out.toByteArray();
    }

    static byte[] concat(String http, byte[]... frames) {
        return concat(http.getBytes(StandardCharsets.ISO_8859_1), concat(frames));
    }

    /** Reads one frame from the socket. */
    static Frame read(RawUpgradeClient client) throws IOException {
        ByteBuffer header = ByteBuffer.wrap(client.readExactly(RelayFrames.HEADER_LENGTH));
        byte type = header.get();
        int length = header.getInt();
        return new Frame(type, client.readExactly(length));
    }

    /** Reads one frame from an HTTP/2 stream (extended CONNECT). */
    static Frame read(ExtendedConnect tunnel) throws Exception {
        ByteBuffer header = ByteBuffer.wrap(tunnel.read(RelayFrames.HEADER_LENGTH));
        byte type = header.get();
        int length = header.getInt();
        return new Frame(type, tunnel.read(length));
    }

    /**
     * A frame as read.
     *
     * @param type    the type byte
     * @param payload the payload bytes
     */
    record Frame(byte type, byte[] payload) {

        int id() {
            return ByteBuffer.wrap(payload).getInt();
        }

        /** A relay/1 TEXT frame's text, or a relay/2 one's with {@code idLength} 4. */
        String text(int idLength) {
            return new String(payload, idLength, payload.length - idLength, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ByteBuffer.wrap(payload).getShort() & 0xFFFF;
        }

        String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }
}
