package org.switchboard.relay;

import static org.switchboard.relay.RelayFrames.ACK;
import static org.switchboard.relay.RelayFrames.BINARY;
import static org.switchboard.relay.RelayFrames.CLOSE;
import static org.switchboard.relay.RelayFrames.HEADER_LENGTH;
import static org.switchboard.relay.RelayFrames.ID_LENGTH;
import static org.switchboard.relay.RelayFrames.MAX_CONTROL_PAYLOAD;
import static org.switchboard.relay.RelayFrames.PING;
import static org.switchboard.relay.RelayFrames.PONG;
import static org.switchboard.relay.RelayFrames.TEXT;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

import org.switchboard.spi.MessageReader;

/**
 * Decodes relay frames, for both sides of a connection (PROTOCOL.md, "Frames" and "Protocol
 * errors"). The cutting is core's length-prefixed {@link MessageReader} ({@link #frames}), with
 * relay's header check: a header is checked as soon as its 5 bytes are there, so an oversized or
 * unknown frame is refused before its payload is waited for. The server's connection runs that
 * reader and hands each frame to {@link #deliver}; the blocking client calls {@link #parse} on its
 * own buffer. It never blocks and never buffers: an incomplete frame stays where it is.
 */
final class FrameParser {

    /** Receives decoded frames. Payload buffers are only valid during the call. */
    interface Sink {
        void onText(String text) throws RelayProtocolException;

        void onBinary(ByteBuffer data) throws RelayProtocolException;

        void onPing(ByteBuffer payload) throws RelayProtocolException;

        void onPong(ByteBuffer payload);

        void onAck(int id) throws RelayProtocolException;

        void onClose(int code, String reason);
    }

    private final int version;
    private final Sink sink;
    private int lastMessageId;
    private boolean closeReceived;

    private final MessageReader reader;

    FrameParser(int version, int maxMessageSize, Sink sink) {
        this(version, maxMessageSize, sink, 0);
    }

    /** A parser for a resumed relay/2 session, whose peer's next message id is {@code lastMessageId + 1}. */
    FrameParser(int version, int maxMessageSize, Sink sink, int lastMessageId) {
        this.lastMessageId = lastMessageId;
        this.version = version;
        this.sink = sink;
        this.reader = frames(version, maxMessageSize);
    }

    /**
     * Relay frames of {@code version} whose message is at most {@code maxMessageSize} bytes: a
     * refused header throws {@link RelayProtocolException} with its close code.
     */
    static MessageReader frames(int version, int maxMessageSize) {
        long maxFrame = (long) RelayFrames.messageFrameLength(version, 0) + maxMessageSize;
        return MessageReader.frames(HEADER_LENGTH, header -> frameLength(version, maxMessageSize, header),
            (int) Math.min(maxFrame, Integer.MAX_VALUE - 8));
    }

    private static long frameLength(int version, int maxMessageSize, ByteBuffer header) throws RelayProtocolException {
        byte type = header.get(0);
        int length = header.getInt(1);
        checkHeader(version, maxMessageSize, type, length);
        return HEADER_LENGTH + Integer.toUnsignedLong(length);
    }

    /**
     * Consumes every complete frame in {@code buffer} (flush mode), up to and including a CLOSE
     * frame, after which nothing more is read.
     *
     * @return the size in bytes of the incomplete frame left at the buffer's position (at least
     *         {@link RelayFrames#HEADER_LENGTH}), or 0 after a CLOSE frame
     * @throws RelayProtocolException if a frame breaks the protocol; the buffer's position is then undefined
     */
    int parse(ByteBuffer buffer) throws RelayProtocolException {
        while (!closeReceived) {
            ByteBuffer frame;
            try {
                frame = reader.next(buffer);
            } catch (RelayProtocolException x) {
                throw x;
            } catch (ProtocolException x) {
                throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR, x.getMessage());
            }
            if (frame == null)
                return reader.needs();
            deliver(frame);
        }
        return 0;
    }

    /** Hands one whole frame, as {@link #frames} cut it (header included), to the sink. */
    void deliver(ByteBuffer frame) throws RelayProtocolException {
        byte type = frame.get(frame.position());
        deliver(type, frame.slice(frame.position() + HEADER_LENGTH, frame.remaining() - HEADER_LENGTH));
    }

    /** The id of the last relay/2 message decoded (0 before the first), what an ACK acknowledges. */
    int lastMessageId() {
        return lastMessageId;
    }

    /** Whether a CLOSE frame was decoded. */
    boolean closeReceived() {
        return closeReceived;
    }

    private static void checkHeader(int version, int maxMessageSize, byte type, int length) throws RelayProtocolException {
        switch (type) {
            case TEXT, BINARY -> {
                int idLength = version == 2 ? ID_LENGTH : 0;
                // A negative int is a length of 2 GiB or more: too big as well.
                if (length < 0 || length - idLength > maxMessageSize)
                    throw new RelayProtocolException(CloseCode.TOO_BIG, "frame of " + Integer.toUnsignedString(length)
                        + " bytes is over the maximum message size " + maxMessageSize);
                if (length < idLength)
                    throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR, "relay/2 message without its 4-byte id");
            }
            case PING, PONG -> checkControl(type, length);
            case CLOSE -> {
                checkControl(type, length);
                if (length == 1)
                    throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR, "CLOSE payload of 1 byte");
            }
            case ACK -> {
                if (version != 2)
                    throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR, "ACK is a relay/2 frame");
                if (length != ID_LENGTH)
                    throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR, "ACK payload must be 4 bytes");
            }
            default -> throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR,
                String.format("unknown frame type 0x%02X", type & 0xFF));
        }
    }

    private static void checkControl(byte type, int length) throws RelayProtocolException {
        if (length < 0 || length > MAX_CONTROL_PAYLOAD)
            throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR, String.format("control frame 0x%02X with %s bytes, over %d",
                type, Integer.toUnsignedString(length), MAX_CONTROL_PAYLOAD));
    }

    private void deliver(byte type, ByteBuffer payload) throws RelayProtocolException {
        switch (type) {
            case TEXT, BINARY -> {
                if (version == 2) {
                    int id = payload.getInt();
                    if (id != lastMessageId + 1)
                        throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR, "message id " + Integer.toUnsignedString(id)
                            + " out of sequence, expected " + Integer.toUnsignedString(lastMessageId + 1));
                    lastMessageId = id;
                }
                if (type == TEXT)
                    sink.onText(utf8(payload, "text message"));
                else
                    sink.onBinary(payload);
            }
            case PING -> sink.onPing(payload);
            case PONG -> sink.onPong(payload);
            case ACK -> sink.onAck(payload.getInt());
            case CLOSE -> {
                int code = payload.remaining() == 0 ? CloseCode.NORMAL : payload.getShort() & 0xFFFF;
                if (!CloseCode.isValid(code))
                    throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR, "invalid close code " + code);
                String reason = utf8(payload, "close reason");
                closeReceived = true;
                sink.onClose(code, reason);
            }
            default -> throw new IllegalStateException("checked by checkHeader");
        }
    }

    private static String utf8(ByteBuffer bytes, String what) throws RelayProtocolException {
        // The JDK decodes array-backed buffers with a vectorised ASCII fast path, direct ones a
        // character at a time: decode from an array.
        ByteBuffer decodable = bytes;
        if (!bytes.hasArray()) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            decodable = ByteBuffer.wrap(copy);
        }
        try {
            // newDecoder() reports malformed input instead of replacing it, as the spec requires.
            return StandardCharsets.UTF_8.newDecoder().decode(decodable).toString();
        } catch (CharacterCodingException x) {
            throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR, what + " is not valid UTF-8");
        }
    }
}
