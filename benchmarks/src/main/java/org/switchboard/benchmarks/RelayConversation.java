package org.switchboard.benchmarks;

import java.nio.ByteBuffer;

/**
 * A relay/1 client (custom-protocol-module/PROTOCOL.md): upgrade with {@code Upgrade: relay/1},
 * then TEXT messages each answered by its echo, compared byte for byte; in {@link Mode#ONE_SHOT}
 * one echo and a CLOSE handshake. Server PINGs are answered.
 */
final class RelayConversation implements Conversation {

    private static final int TEXT = 0x01, BINARY = 0x02, CLOSE = 0x08, PING = 0x09, PONG = 0x0A;

    private final Mode mode;
    private final String host;
    private final ByteBuffer payload;
    private final ByteBuffer frame;
    private boolean open;
    private boolean closing;
    private boolean done;

    RelayConversation(Mode mode, String host, byte[] message) {
        this.mode = mode;
        this.host = host;
        this.payload = ByteBuffer.wrap(message);
        this.frame = frame(TEXT, message);
    }

    @Override
    public void start(Wire wire) {
        wire.send(Conversation.upgradeRequest("/relay", host, "Connection: Upgrade", "Upgrade: relay/1"));
    }

    @Override
    public void received(ByteBuffer in, Wire wire) throws ProtocolViolation {
        if (!open) {
            if (HttpHead.readSwitchTo(in, "relay/1") == null)
                return;
            open = true;
            wire.upgraded();
            if (mode != Mode.IDLE)
                wire.send(frame.duplicate());
        }
        while (!done && in.remaining() >= 5) {
            int start = in.position();
            int type = in.get(start) & 0xFF;
            int length = in.getInt(start + 1);
            if (length < 0 || length > in.capacity() - 5)
                throw new ProtocolViolation("relay frame of " + Integer.toUnsignedString(length) + " bytes");
            if (in.remaining() < 5 + length)
                return;
            int from = start + 5;
            switch (type) {
                case TEXT, BINARY -> {
                    if (mode == Mode.IDLE || closing)
                        throw new ProtocolViolation("unexpected message");
                    if (length != payload.capacity() || in.slice(from, length).mismatch(payload.duplicate().clear()) >= 0)
                        throw new ProtocolViolation("echo differs from the message sent");
                    wire.completed();
                    if (mode == Mode.ONE_SHOT) {
                        closing = true;
                        wire.send(frame(CLOSE, new byte[]{0x03, (byte) 0xE8}));
                    } else {
                        wire.send(frame.duplicate());
                    }
                }
                case CLOSE -> {
                    if (!closing)
                        throw new ProtocolViolation("server closed the relay session");
                    done = true;
                    wire.finish();
                }
                case PING -> {
                    byte[] ping = new byte[length];
                    in.get(from, ping);
                    wire.send(frame(PONG, ping));
                }
                case PONG -> { }
                default -> throw new ProtocolViolation("unexpected relay frame type " + type);
            }
            in.position(from + length);
        }
    }

    @Override
    public boolean endOfStreamExpected() {
        return closing;
    }

    static ByteBuffer frame(int type, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put((byte) type).putInt(payload.length).put(payload).flip();
    }
}
