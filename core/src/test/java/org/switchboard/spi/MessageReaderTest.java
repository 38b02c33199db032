package org.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.util.BufferUtil;
import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** MessageReader's two shapes: whole messages however the bytes are split, and never a buffer past the maximum. */
class MessageReaderTest {

    private static final int MAX_LINE = 100;
    private static final int MAX_FRAME = 300;
    /** A frame here: a 2-byte payload length, then the payload. */
    private static final MessageReader.FrameLength TWO_BYTE_LENGTH = header -> 2 + (header.getShort(0) & 0xFFFF);

    @Property
    void linesSplitAnywhereComeOutWholeAndTheBufferNeverGrowsPastTheMaximum(
        @ForAll("lines") List<byte[]> lines, @ForAll boolean crlf, @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 150) Integer> reads) throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            stream.writeBytes(line);
            stream.writeBytes(crlf ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
        }
        List<byte[]> read = feed(MessageReader.lines(MAX_LINE), stream.toByteArray(), reads, MAX_LINE + 2);
        assertThat(read).containsExactlyElementsOf(lines);
    }

    @Property
    void framesSplitAnywhereComeOutWholeAndTheBufferNeverGrowsPastTheMaximum(
        @ForAll("payloads") List<byte[]> payloads, @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 400) Integer> reads) throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<byte[]> frames = new ArrayList<>();
        for (byte[] payload : payloads) {
            ByteBuffer frame = ByteBuffer.allocate(2 + payload.length).putShort((short) payload.length).put(payload);
            frames.add(frame.array());
            stream.writeBytes(frame.array());
        }
        List<byte[]> read = feed(MessageReader.frames(2, TWO_BYTE_LENGTH, MAX_FRAME), stream.toByteArray(), reads, MAX_FRAME);
        assertThat(read).containsExactlyElementsOf(frames);
    }

    @Provide
    Arbitrary<List<byte[]>> lines() {
        // Any byte but LF; a CR inside a line is part of it (one at its end would read as CRLF).
        return Arbitraries.bytes().filter(b -> b != '\n').array(byte[].class).ofMaxSize(MAX_LINE)
            .filter(line -> line.length == 0 || line[line.length - 1] != '\r').list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<byte[]>> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX_FRAME - 2).list().ofMaxSize(20);
    }

    @Test
    void aLineOfTheMaximumIsReadWithItsCrlfAndOneByteMoreIsRefusedBeforeItsEnd() throws Exception {
        MessageReader reader = MessageReader.lines(5);
        assertThat(text(reader.next(buffer("12345\r\n")))).isEqualTo("12345");

        ByteBuffer almost = buffer("12345\r");
        assertThat(reader.next(almost)).isNull();
        assertThat(reader.needs()).isEqualTo(7);

        assertThatThrownBy(() -> MessageReader.lines(5).next(buffer("123456"))).isInstanceOf(ProtocolException.class)
            .hasMessage("line longer than 5 bytes");
        assertThatThrownBy(() -> MessageReader.lines(5).next(buffer("123456\n"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> MessageReader.lines(5).next(buffer("12345\r\r"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void anEmptyLineAndABareCrAreLines() throws Exception {
        MessageReader reader = MessageReader.lines(10);
        ByteBuffer buffer = buffer("\n\r\na\rb\n");
        assertThat(text(reader.next(buffer))).isEmpty();
        assertThat(text(reader.next(buffer))).isEmpty();
        assertThat(text(reader.next(buffer))).isEqualTo("a\rb");
        assertThat(reader.next(buffer)).isNull();
    }

    @Test
    void aFrameIsRefusedFromItsHeaderBeforeItsPayloadComes() throws Exception {
        ByteBuffer header = ByteBuffer.allocate(2).putShort(0, (short) 299);
        assertThatThrownBy(() -> MessageReader.frames(2, TWO_BYTE_LENGTH, MAX_FRAME).next(header))
            .isInstanceOf(ProtocolException.class).hasMessage("frame of 301 bytes is over the maximum 300");

        MessageReader.FrameLength refusing = h -> {
            throw new ProtocolException("unknown type");
        };
        assertThatThrownBy(() -> MessageReader.frames(2, refusing, MAX_FRAME).next(header)).hasMessage("unknown type");
        assertThatThrownBy(() -> MessageReader.frames(2, h -> 1, MAX_FRAME).next(header)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> MessageReader.frames(2, h -> -1L, MAX_FRAME).next(header)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void anIncompleteFrameSaysWhatItNeedsAndStaysWhereItIs() throws Exception {
        MessageReader reader = MessageReader.frames(2, TWO_BYTE_LENGTH, MAX_FRAME);
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0, 3, 'a'});
        assertThat(reader.next(buffer)).isNull();
        assertThat(reader.needs()).isEqualTo(5);
        assertThat(buffer.position()).isZero();
    }

    @Test
    void limitsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> MessageReader.lines(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageReader.frames(0, TWO_BYTE_LENGTH, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageReader.frames(11, TWO_BYTE_LENGTH, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Feeds {@code stream} to {@code reader} as UpgradedConnection does — the buffer grown to what
     * the reader needs, compacted, filled with at most {@code reads}' next size — and returns the
     * messages read, checking that the reader never asks for more than {@code maxBuffer} bytes.
     */
    private static List<byte[]> feed(MessageReader reader, byte[] stream, List<Integer> reads, int maxBuffer) throws Exception {
        List<byte[]> messages = new ArrayList<>();
        ByteBuffer buffer = BufferUtil.allocate(1);
        int offset = 0;
        for (int i = 0; offset < stream.length; i++) {
            int needs = reader.needs();
            assertThat(needs).isLessThanOrEqualTo(maxBuffer).isGreaterThan(buffer.remaining());
            if (buffer.capacity() < needs) {
                ByteBuffer bigger = BufferUtil.allocate(needs);
                BufferUtil.append(bigger, buffer);
                buffer = bigger;
            } else {
                BufferUtil.compact(buffer);
            }
            int position = BufferUtil.flipToFill(buffer);
            int n = Math.min(Math.min(reads.get(i % reads.size()), buffer.remaining()), stream.length - offset);
            buffer.put(stream, offset, n);
            offset += n;
            BufferUtil.flipToFlush(buffer, position);
            ByteBuffer message;
            while ((message = reader.next(buffer)) != null)
                messages.add(BufferUtil.toArray(message));
        }
        assertThat(buffer.hasRemaining()).as("bytes left after the last message").isFalse();
        return messages;
    }

    private static ByteBuffer buffer(String text) {
        return BufferUtil.toBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static String text(ByteBuffer message) {
        return BufferUtil.toString(message, StandardCharsets.ISO_8859_1);
    }
}
