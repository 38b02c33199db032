package org.switchboard.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An RFC 6455 client: upgrade on {@code /echo} with a random {@code Sec-WebSocket-Key}, check
 * {@code Sec-WebSocket-Accept} (W2), then masked text messages, each answered by its echo, compared
 * byte for byte; in {@link Mode#ONE_SHOT} one echo and a close handshake (W8).
 */
final class WebSocketConversation implements Conversation {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final Mode mode;
    private final String host;
    private final ByteBuffer payload;
    private final ByteBuffer frame;
    private String expectedAccept;
    private boolean open;
    private boolean closing;
    private boolean done;
    private int echoed;

    WebSocketConversation(Mode mode, String host, byte[] message) {
        this.mode = mode;
        this.host = host;
        this.payload = ByteBuffer.wrap(message);
        this.frame = maskedFrame(0x1, message);
    }

    @Override
    public void start(Wire wire) {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        expectedAccept = accept(key);
        wire.send(Conversation.upgradeRequest("/echo", host,
            "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: " + key, "Sec-WebSocket-Version: 13"));
    }

    @Override
    public void received(ByteBuffer in, Wire wire) throws ProtocolViolation {
        if (!open) {
            HttpHead head = HttpHead.readSwitchTo(in, "websocket");
            if (head == null)
                return;
            if (!expectedAccept.equals(head.field("Sec-WebSocket-Accept")))
                throw new ProtocolViolation("wrong Sec-WebSocket-Accept " + head.field("Sec-WebSocket-Accept"));
            open = true;
            wire.upgraded();
            if (mode != Mode.IDLE)
                wire.send(frame.duplicate());
        }
        while (!done && in.remaining() >= 2) {
            int start = in.position();
            int b0 = in.get(start) & 0xFF;
            int b1 = in.get(start + 1) & 0xFF;
            if ((b1 & 0x80) != 0)
                throw new ProtocolViolation("masked frame from the server");
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126) {
                if (in.remaining() < 4)
                    return;
                length = in.getShort(start + 2) & 0xFFFF;
                header = 4;
            } else if (length == 127) {
                if (in.remaining() < 10)
                    return;
                length = in.getLong(start + 2);
                header = 10;
            }
            if (length > in.capacity() - header)
                throw new ProtocolViolation("frame of " + length + " bytes is larger than expected");
            if (in.remaining() < header + length)
                return;
            int from = start + header;
            int to = from + (int) length;
            frame(b0, in, from, to, wire);
            in.position(to);
        }
    }

    private void frame(int b0, ByteBuffer in, int from, int to, Wire wire) throws ProtocolViolation {
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        switch (opcode) {
            case 0x0, 0x1 -> {
                if (mode == Mode.IDLE || closing)
                    throw new ProtocolViolation("unexpected message");
                int length = to - from;
                if (echoed + length > payload.capacity()
                    || in.slice(from, length).mismatch(payload.slice(echoed, length)) >= 0)
                    throw new ProtocolViolation("echo differs from the message sent");
                echoed += length;
                if (!fin)
                    return;
                if (echoed != payload.capacity())
                    throw new ProtocolViolation("echo of " + echoed + " bytes, sent " + payload.capacity());
                echoed = 0;
                wire.completed();
                if (mode == Mode.ONE_SHOT) {
                    closing = true;
                    wire.send(maskedFrame(0x8, new byte[]{0x03, (byte) 0xE8}));
                } else {
                    wire.send(frame.duplicate());
                }
            }
            case 0x8 -> {
                if (!closing)
                    throw new ProtocolViolation("server closed the WebSocket");
                done = true;
                wire.finish();
            }
            case 0x9 -> {
                byte[] ping = new byte[to - from];
                in.get(from, ping);
                wire.send(maskedFrame(0xA, ping));
            }
            case 0xA -> { }
            default -> throw new ProtocolViolation("unexpected opcode " + opcode);
        }
    }

    @Override
    public boolean endOfStreamExpected() {
        return closing;
    }

    /** A client frame: FIN, {@code opcode}, masked with a random key (RFC 6455 §5.3). */
    static ByteBuffer maskedFrame(int opcode, byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(header + 4 + n);
        frame.put((byte) (0x80 | opcode));
        if (n < 126) {
            frame.put((byte) (0x80 | n));
        } else if (n < 65536) {
            frame.put((byte) (0x80 | 126)).putShort((short) n);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(n);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.put(mask);
        for (int i = 0; i < n; i++)
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        return frame.flip();
    }

    /** W2: base64(SHA-1(key + GUID)). */
    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
    }
}
