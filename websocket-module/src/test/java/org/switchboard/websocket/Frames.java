package org.switchboard.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/**
 * RFC 6455 §5 frames on raw bytes, for tests that check the wire: client frames are masked (§5.3),
 * server frames are read unmasked.
 */
final class Frames {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;

    private Frames() {
    }

    /** A complete masked client text frame. */
    static byte[] text(String text) {
        return frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A complete masked client close frame with {@code code}. */
    static byte[] close(int code) {
        return frame(CLOSE, new byte[]{(byte) (code >> 8), (byte) code});
    }

    /** A final, masked client frame. */
    static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        int n = payload.length;
        if (n < 126) {
            out.write(0x80 | n);
        } else if (n <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x80 | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(n).array());
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.writeBytes(mask);
        for (int i = 0; i < n; i++)
            out.write(payload[i] ^ mask[i & 3]);
        return out.toByteArray();
    }

    /** Reads one server frame. */
    static Frame read(RawUpgradeClient client) throws IOException {
        byte[] head = client.readExactly(2);
        boolean fin = (head[0] & 0x80) != 0;
        int rsv = (head[0] >> 4) & 0x7;
        int opcode = head[0] & 0x0F;
        if ((head[1] & 0x80) != 0)
            throw new IOException("a server frame must not be masked (RFC 6455 5.1)");
        long length = head[1] & 0x7F;
        if (length == 126)
            length = ByteBuffer.wrap(client.readExactly(2)).getShort() & 0xFFFF;
        else if (length == 127)
            length = ByteBuffer.wrap(client.readExactly(8)).getLong();
        return new Frame(fin, rsv, opcode, client.readExactly((int) length));
    }

    /** A server frame. */
    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, or 1005 if it carries none (RFC 6455 7.1.5). */
        int closeCode() {
            if (opcode != CLOSE)
                throw new AssertionError("not a close frame: opcode " + opcode);
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }
}
