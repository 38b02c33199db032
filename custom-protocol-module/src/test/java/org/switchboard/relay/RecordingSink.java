package org.switchboard.relay;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Records what a {@link FrameParser} decodes as readable strings, e.g. {@code TEXT hello}, {@code CLOSE 1000 bye}. */
final class RecordingSink implements FrameParser.Sink {

    final List<String> events = new ArrayList<>();

    static String hex(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return HexFormat.of().formatHex(copy);
    }

    @Override
    public void onText(String text) {
        events.add("TEXT " + text);
    }

    @Override
    public void onBinary(ByteBuffer data) {
        events.add("BINARY " + hex(data));
    }

    @Override
    public void onPing(ByteBuffer payload) {
        events.add("PING " + hex(payload));
    }

    @Override
    public void onPong(ByteBuffer payload) {
        events.add("PONG " + hex(payload));
    }

    @Override
    public void onAck(int id) {
        events.add("ACK " + Integer.toUnsignedString(id));
    }

    @Override
    public void onClose(int code, String reason) {
        events.add("CLOSE " + code + " " + reason);
    }
}
