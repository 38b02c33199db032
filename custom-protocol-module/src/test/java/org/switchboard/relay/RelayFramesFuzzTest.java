package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.Tag;
import org.switchboard.testing.Fuzz;

/**
 * Fuzzing the relay frame parser (PROTOCOL.md "Frames", "Protocol errors"): sequences of frames
 * that are mostly well-formed — any type byte, lengths near the limits, CLOSE with any code, text
 * that may not be UTF-8, acks in and out of order — with some bytes flipped, cut into reads of any
 * size. Every input is decoded or refused with 1002 or 1009, and the parser never asks for less
 * than what is left.
 */
@Tag("fuzz")
class RelayFramesFuzzTest {

    private static final int MAX = 1024;

    record Input(byte[] wire, int version, int readSize) {
        @Override
        public String toString() {
            return "version " + version + ", reads of " + readSize + ", wire " + java.util.HexFormat.of().formatHex(wire);
        }
    }

    @Example
    void anyFrameSequenceIsDecodedOrRefusedWith1002Or1009() {
        Fuzz.run("relay frames", inputs(), input -> {
            ByteBuffer buffer = ByteBuffer.wrap(input.wire());
            buffer.limit(0);
            FrameParser parser = new FrameParser(input.version(), MAX, new RecordingSink());
            try {
                while (buffer.limit() < input.wire().length && !parser.closeReceived()) {
                    buffer.limit(Math.min(input.wire().length, buffer.limit() + input.readSize()));
                    int needs = parser.parse(buffer);
                    assertThat(needs == 0 || needs > buffer.remaining()).isTrue();
                }
            } catch (RelayProtocolException x) {
                assertThat(x.code()).isIn(CloseCode.PROTOCOL_ERROR, CloseCode.TOO_BIG);
            }
        });
    }

    private static Arbitrary<Input> inputs() {
        Arbitrary<byte[]> frame = Arbitraries.oneOf(
            Combinators.combine(Arbitraries.of(RelayFrames.TEXT, RelayFrames.BINARY), Arbitraries.integers().between(0, 5_000),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40)).as((type, id, data) -> WireFrames.message(type, 2, id, data)),
            Combinators.combine(Arbitraries.integers().between(0, 65_535), Arbitraries.strings().ofMaxLength(20))
                .as(WireFrames::close),
            Arbitraries.integers().between(0, 5_000).map(WireFrames::ack),
            Combinators.combine(Arbitraries.of(RelayFrames.PING, RelayFrames.PONG), Arbitraries.bytes().array(byte[].class).ofMaxSize(130))
                .as(WireFrames::control),
            Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.oneOf(Arbitraries.integers().between(0, 64),
                Arbitraries.of(MAX - 1, MAX, MAX + 1, 125, 126, Integer.MAX_VALUE, -1))).as(WireFrames::header),
            Arbitraries.strings().ofMaxLength(10).map(s -> WireFrames.message(RelayFrames.TEXT, 1, 0, s.getBytes(StandardCharsets.UTF_16BE))));
        Arbitrary<byte[]> wire = frame.list().ofMaxSize(8).map(frames -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            frames.forEach(out::writeBytes);
            return out.toByteArray();
        });
        Arbitrary<byte[]> mutated = Combinators.combine(wire, Arbitraries.integers().between(0, 3).list().ofMaxSize(4),
            Arbitraries.integers().between(0, 10_000).list().ofSize(4)).as((bytes, flips, where) -> {
                for (int i = 0; i < flips.size() && bytes.length > 0; i++)
                    bytes[where.get(i) % bytes.length] ^= (byte) (1 << (flips.get(i) * 2));
                return bytes;
            });
        return Combinators.combine(mutated, Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 64)).as(Input::new);
    }
}
