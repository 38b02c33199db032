package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the codec (PROTOCOL.md sections 2 and 6): whatever frames are encoded come back
 * decoded the same however the bytes are split into reads; any byte string is either decoded or
 * refused with 1002 or 1009, never anything else, never by consuming half a frame.
 */
class FrameCodecPropertyTest {

    private static final int MAX = 512;

    /**
     * A frame to encode and the event the parser must report for it.
     *
     * @param type    the frame type
     * @param data    a message's data, or a control frame's payload
     * @param control the encoded frame if it is a control frame ({@code null} for messages, which
     *                are encoded per version, with their id)
     * @param event   what {@link RecordingSink} must record
     */
    record Sample(byte type, byte[] data, byte[] control, String event) {
    }

    @Provide
    Arbitrary<List<Sample>> frames() {
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX);
        Arbitrary<byte[]> control = Arbitraries.bytes().array(byte[].class).ofMaxSize(RelayFrames.MAX_CONTROL_PAYLOAD);
        Arbitrary<Sample> text = Arbitraries.strings().ofMaxLength(100).map(s -> message(RelayFrames.TEXT, s.getBytes(StandardCharsets.UTF_8), "TEXT " + s));
        Arbitrary<Sample> binary = data.map(d -> message(RelayFrames.BINARY, d, "BINARY " + HexFormat.of().formatHex(d)));
        Arbitrary<Sample> ping = control.map(p -> control(RelayFrames.PING, p, "PING "));
        Arbitrary<Sample> pong = control.map(p -> control(RelayFrames.PONG, p, "PONG "));
        Arbitrary<Sample> close = Combinators.combine(Arbitraries.oneOf(Arbitraries.of(1000, 1001, 1002, 1009, 1011, 4001, 4002),
                Arbitraries.integers().between(3000, 3999)), Arbitraries.strings().alpha().ofMaxLength(123))
            .as((code, reason) -> new Sample(RelayFrames.CLOSE, null, WireFrames.close(code, reason), "CLOSE " + code + " " + reason));
        Arbitrary<Sample> oneFrame = Arbitraries.oneOf(text, binary, ping, pong);
        // A CLOSE, if any, ends the sequence: nothing after it is decoded.
        return Combinators.combine(oneFrame.list().ofMaxSize(20), close.injectNull(0.5)).as((list, last) -> {
            List<Sample> all = new ArrayList<>(list);
            if (last != null)
                all.add(last);
            return all;
        });
    }

    private static Sample message(byte type, byte[] data, String event) {
        return new Sample(type, data, null, event);
    }

    private static Sample control(byte type, byte[] payload, String event) {
        return new Sample(type, payload, WireFrames.control(type, payload), event + HexFormat.of().formatHex(payload));
    }

    @Property
    void everyEncodedSequenceDecodesTheSameWhateverTheReadSizes(@ForAll("frames") List<Sample> frames,
                                                               @ForAll @IntRange(min = 1, max = 64) int readSize,
                                                               @ForAll @IntRange(min = 1, max = 2) int version) throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int id = 0;
        for (Sample frame : frames)
            wire.writeBytes(frame.control() == null ? WireFrames.message(frame.type(), version, ++id, frame.data()) : frame.control());
        byte[] bytes = wire.toByteArray();

        RecordingSink sink = new RecordingSink();
        FrameParser parser = new FrameParser(version, MAX, sink);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.limit(0);
        while (buffer.limit() < bytes.length && !parser.closeReceived()) {
            // Each "read" makes readSize more bytes visible; the parser keeps what it cannot finish.
            buffer.limit(Math.min(bytes.length, buffer.limit() + readSize));
            int needs = parser.parse(buffer);
            if (!parser.closeReceived())
                assertThat(needs).isGreaterThan(buffer.remaining());
        }

        assertThat(sink.events).containsExactlyElementsOf(frames.stream().map(Sample::event).toList());
        assertThat(parser.lastMessageId()).isEqualTo(version == 2 ? id : 0);
    }

    @Property
    void anyBytesAreDecodedOrRefusedWithProtocolErrorOrTooBig(@ForAll @Size(max = 300) byte[] garbage,
                                                            @ForAll @IntRange(min = 1, max = 2) int version) {
        ByteBuffer buffer = ByteBuffer.wrap(garbage);
        try {
            int needs = new FrameParser(version, MAX, new RecordingSink()).parse(buffer);
            // Accepted so far: either a CLOSE ended it or the rest is an incomplete frame, left in place.
            assertThat(needs == 0 || needs > buffer.remaining()).isTrue();
        } catch (RelayProtocolException x) {
            assertThat(x.code()).isIn(CloseCode.PROTOCOL_ERROR, CloseCode.TOO_BIG);
        }
    }

    @Property
    void unknownTypesAreRefusedWith1002WhateverTheLength(@ForAll byte type, @ForAll int length) {
        List<Byte> known = List.of(RelayFrames.TEXT, RelayFrames.BINARY, RelayFrames.CLOSE, RelayFrames.PING, RelayFrames.PONG, RelayFrames.ACK);
        if (known.contains(type))
            return;
        try {
            new FrameParser(2, MAX, new RecordingSink()).parse(ByteBuffer.wrap(WireFrames.header(type, length)));
            throw new AssertionError("accepted type " + type);
        } catch (RelayProtocolException x) {
            assertThat(x.code()).isEqualTo(CloseCode.PROTOCOL_ERROR);
        }
    }

    @Property
    void aMessageLongerThanTheMaximumIsRefusedWith1009BeforeItsPayloadArrives(@ForAll @IntRange(min = MAX + 1) int length,
                                                                             @ForAll boolean text) {
        try {
            new FrameParser(1, MAX, new RecordingSink()).parse(ByteBuffer.wrap(WireFrames.header(text ? RelayFrames.TEXT : RelayFrames.BINARY, length)));
            throw new AssertionError("accepted length " + length);
        } catch (RelayProtocolException x) {
            assertThat(x.code()).isEqualTo(CloseCode.TOO_BIG);
        }
    }
}
