package org.switchboard.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An h2c client (RFC 7540 §3.2, H1–H2): {@code GET /echo} with {@code Upgrade: h2c} and
 * {@code HTTP2-Settings}, then the connection preface; the server's first frame must be its
 * SETTINGS, and stream 1 must be answered {@code 200}. In {@link Mode#LOOP}, {@code inFlight}
 * further GET streams are kept open at a time on the same connection, each answered {@code 200}.
 * {@code /echo} is the one path every target answers alike: the sample's cheapest route that
 * allows h2c (a short fixed text, where {@code /} is its page and {@code /health} builds JSON),
 * {@code ok} on the others, which answer every path.
 *
 * <p>Frames are read only as far as the harness needs: headers, SETTINGS/PING acknowledgements,
 * end of stream, and the status, which both servers encode as HPACK static index 8
 * ({@code :status 200}, byte {@code 0x88}).
 */
final class H2cConversation implements Conversation {

    private static final int DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, PING = 0x6, GOAWAY = 0x7;
    private static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8, PRIORITY = 0x20;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** SETTINGS_MAX_CONCURRENT_STREAMS = 100, base64url: a non-empty, valid HTTP2-Settings. */
    private static final String HTTP2_SETTINGS = "AAMAAABk";
    private static final int WINDOW_TOP_UP = 1 << 30;
    private static final String PATH = "/echo";

    private final Mode mode;
    private final String host;
    private final int inFlight;
    private boolean open;
    private boolean settingsSeen;
    private boolean done;
    private int nextStream = 3;
    private long unacknowledgedData;

    H2cConversation(Mode mode, String host, int inFlight) {
        this.mode = mode;
        this.host = host;
        this.inFlight = inFlight;
    }

    @Override
    public void start(Wire wire) {
        wire.send(Conversation.upgradeRequest(PATH, host,
            "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: " + HTTP2_SETTINGS));
    }

    @Override
    public void received(ByteBuffer in, Wire wire) throws ProtocolViolation {
        if (!open) {
            if (HttpHead.readSwitchTo(in, "h2c") == null)
                return;
            open = true;
            ByteBuffer preface = ByteBuffer.allocate(PREFACE.length + 9 + 13);
            preface.put(PREFACE);
            header(preface, 0, SETTINGS, 0, 0);
            header(preface, 4, 0x8, 0, 0).putInt(WINDOW_TOP_UP);
            wire.send(preface.flip());
        }
        while (!done && in.remaining() >= 9) {
            int start = in.position();
            int length = ((in.get(start) & 0xFF) << 16) | ((in.get(start + 1) & 0xFF) << 8) | (in.get(start + 2) & 0xFF);
            int type = in.get(start + 3) & 0xFF;
            int flags = in.get(start + 4) & 0xFF;
            int stream = in.getInt(start + 5) & 0x7FFFFFFF;
            if (length > in.capacity() - 9)
                throw new ProtocolViolation("HTTP/2 frame of " + length + " bytes");
            if (in.remaining() < 9 + length)
                return;
            int from = start + 9;
            in.position(from + length);
            if (!settingsSeen) {
                if (type != SETTINGS || (flags & ACK) != 0)
                    throw new ProtocolViolation("first frame after the 101 is type " + type + ", not SETTINGS (H2)");
                settingsSeen = true;
            }
            switch (type) {
                case SETTINGS -> {
                    if ((flags & ACK) == 0)
                        wire.send(header(ByteBuffer.allocate(9), 0, SETTINGS, ACK, 0).flip());
                }
                case PING -> {
                    if ((flags & ACK) == 0) {
                        ByteBuffer pong = header(ByteBuffer.allocate(9 + length), length, PING, ACK, 0);
                        pong.put(in.slice(from, length));
                        wire.send(pong.flip());
                    }
                }
                case HEADERS -> {
                    int at = from;
                    if ((flags & PADDED) != 0)
                        at++;
                    if ((flags & PRIORITY) != 0)
                        at += 5;
                    at = skipTableSizeUpdates(in, at, from + length);
                    if ((flags & END_HEADERS) == 0 || at >= from + length || in.get(at) != (byte) 0x88)
                        throw new ProtocolViolation("stream " + stream + " not answered with a single :status 200 HEADERS");
                    if ((flags & END_STREAM) != 0)
                        streamDone(stream, wire);
                }
                case DATA -> {
                    unacknowledgedData += length;
                    if (unacknowledgedData > WINDOW_TOP_UP / 2) {
                        wire.send(header(ByteBuffer.allocate(13), 4, 0x8, 0, 0).putInt((int) unacknowledgedData).flip());
                        unacknowledgedData = 0;
                    }
                    if ((flags & END_STREAM) != 0)
                        streamDone(stream, wire);
                }
                case RST_STREAM -> throw new ProtocolViolation("stream " + stream + " reset by the server");
                case GOAWAY -> throw new ProtocolViolation("GOAWAY from the server");
                default -> { }
            }
        }
    }

    /** Jetty opens its first header block with an HPACK dynamic table size update (001xxxxx, RFC 7541 §6.3). */
    private static int skipTableSizeUpdates(ByteBuffer in, int at, int end) {
        while (at < end && (in.get(at) & 0xE0) == 0x20) {
            boolean continued = (in.get(at) & 0x1F) == 0x1F;
            at++;
            while (continued && at < end)
                continued = (in.get(at++) & 0x80) != 0;
        }
        return at;
    }

    private void streamDone(int stream, Wire wire) {
        if (stream == 1) {
            wire.upgraded();
            if (mode == Mode.ONE_SHOT) {
                wire.completed();
                done = true;
                wire.finish();
            } else if (mode == Mode.LOOP) {
                for (int i = 0; i < inFlight; i++)
                    request(wire);
            }
            return;
        }
        wire.completed();
        request(wire);
    }

    private void request(Wire wire) {
        byte[] authority = host.getBytes(StandardCharsets.US_ASCII);
        byte[] path = PATH.getBytes(StandardCharsets.US_ASCII);
        // :method GET, :scheme http (static table), :path and :authority as literals without indexing.
        int block = 2 + 2 + path.length + 2 + authority.length;
        ByteBuffer frame = header(ByteBuffer.allocate(9 + block), block, HEADERS, END_STREAM | END_HEADERS, nextStream);
        frame.put((byte) 0x82).put((byte) 0x86).put((byte) 0x04).put((byte) path.length).put(path)
            .put((byte) 0x01).put((byte) authority.length).put(authority);
        nextStream += 2;
        wire.send(frame.flip());
    }

    private static ByteBuffer header(ByteBuffer out, int length, int type, int flags, int stream) {
        return out.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length)
            .put((byte) type).put((byte) flags).putInt(stream);
    }
}
