package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.relay.WireFrames.concat;
import static org.switchboard.relay.WireFrames.header;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame codec against PROTOCOL.md sections 2, 3 and 6: what each frame decodes to, and the
 * close code every kind of bad input gets.
 */
class FrameParserTest {

    private static final int MAX = 1024;

    private final RecordingSink sink = new RecordingSink();

    private int parse(int version, byte[] bytes) throws RelayProtocolException {
        return new FrameParser(version, MAX, sink).parse(ByteBuffer.wrap(bytes));
    }

    private static int codeOf(int version, byte[] bytes) {
        try {
            new FrameParser(version, MAX, new RecordingSink()).parse(ByteBuffer.wrap(bytes));
            throw new AssertionError("accepted");
        } catch (RelayProtocolException x) {
            return x.code();
        }
    }

    @Test
    void relay1FramesDecode() throws Exception {
        byte[] bytes = concat(WireFrames.text(1, 0, "héllo"), WireFrames.message(RelayFrames.BINARY, 1, 0, new byte[] {1, 2}),
            WireFrames.text(1, 0, ""), WireFrames.control(RelayFrames.PING, new byte[] {(byte) 0xCA}),
            WireFrames.control(RelayFrames.PONG, new byte[0]), WireFrames.close(3000, "bye"));

        assertThat(parse(1, bytes)).isZero();
        assertThat(sink.events).containsExactly("TEXT héllo", "BINARY 0102", "TEXT ", "PING ca", "PONG ", "CLOSE 3000 bye");
    }

    @Test
    void relay2MessagesCarrySequentialIdsAndAcksDecode() throws Exception {
        FrameParser parser = new FrameParser(2, MAX, sink);
        parser.parse(ByteBuffer.wrap(concat(WireFrames.text(2, 1, "a"), WireFrames.ack(7), WireFrames.text(2, 2, "b"))));

        assertThat(sink.events).containsExactly("TEXT a", "ACK 7", "TEXT b");
        assertThat(parser.lastMessageId()).isEqualTo(2);
    }

    @Test
    void anEmptyClosePayloadMeansNormal() throws Exception {
        parse(1, header(RelayFrames.CLOSE, 0));
        assertThat(sink.events).containsExactly("CLOSE 1000 ");
    }

    @Test
    void nothingAfterCloseIsDecoded() throws Exception {
        byte[] bytes = concat(WireFrames.close(1000, ""), WireFrames.text(1, 0, "late"), header(0x77, 0));
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(new FrameParser(1, MAX, sink).parse(buffer)).isZero();
        assertThat(sink.events).containsExactly("CLOSE 1000 ");
        assertThat(buffer.remaining()).isEqualTo(bytes.length - WireFrames.close(1000, "").length);
    }

    @Test
    void anIncompleteFrameIsLeftInPlaceWithTheSizeItNeeds() throws Exception {
        byte[] frame = WireFrames.text(1, 0, "hello");
        ByteBuffer buffer = ByteBuffer.wrap(concat(WireFrames.text(1, 0, "a"), frame), 0, 6 + 7);
        FrameParser parser = new FrameParser(1, MAX, sink);

        assertThat(parser.parse(buffer)).isEqualTo(frame.length);
        assertThat(buffer.position()).isEqualTo(6);
        assertThat(sink.events).containsExactly("TEXT a");

        // A parser remembers the header it read: a buffer with other bytes needs a parser of its own.
        ByteBuffer headerOnly = ByteBuffer.wrap(frame, 0, 3);
        assertThat(new FrameParser(1, MAX, sink).parse(headerOnly)).isEqualTo(RelayFrames.HEADER_LENGTH);
        assertThat(headerOnly.position()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x03, 0x07, 0x0C, 0x7F, 0x80, 0xFF})
    void unknownFrameTypesClose1002(int type) {
        assertThat(codeOf(2, header(type, 0))).isEqualTo(CloseCode.PROTOCOL_ERROR);
    }

    @Test
    void anOversizedMessageCloses1009FromItsHeaderAlone() {
        assertThat(codeOf(1, header(RelayFrames.TEXT, MAX + 1))).isEqualTo(CloseCode.TOO_BIG);
        assertThat(codeOf(2, header(RelayFrames.BINARY, MAX + 5))).isEqualTo(CloseCode.TOO_BIG);
        assertThat(codeOf(1, header(RelayFrames.BINARY, -1))).as("length 2^32-1").isEqualTo(CloseCode.TOO_BIG);
    }

    @Test
    void theMaximumMessageSizeItselfIsAccepted() throws Exception {
        parse(2, WireFrames.message(RelayFrames.BINARY, 2, 1, new byte[MAX]));
        assertThat(sink.events).hasSize(1);
    }

    @Test
    void oversizedControlFramesClose1002() {
        assertThat(codeOf(1, header(RelayFrames.PING, 126))).isEqualTo(CloseCode.PROTOCOL_ERROR);
        assertThat(codeOf(1, header(RelayFrames.PONG, 126))).isEqualTo(CloseCode.PROTOCOL_ERROR);
        assertThat(codeOf(1, header(RelayFrames.CLOSE, 126))).isEqualTo(CloseCode.PROTOCOL_ERROR);
    }

    @Test
    void malformedFramesClose1002() {
        assertThat(codeOf(1, WireFrames.ack(1))).as("ACK in relay/1").isEqualTo(CloseCode.PROTOCOL_ERROR);
        assertThat(codeOf(2, concat(header(RelayFrames.ACK, 3), new byte[3]))).as("short ACK").isEqualTo(CloseCode.PROTOCOL_ERROR);
        assertThat(codeOf(2, concat(header(RelayFrames.TEXT, 2), new byte[2]))).as("no id").isEqualTo(CloseCode.PROTOCOL_ERROR);
        assertThat(codeOf(2, WireFrames.text(2, 2, "skipped 1"))).as("id out of sequence").isEqualTo(CloseCode.PROTOCOL_ERROR);
        assertThat(codeOf(1, concat(header(RelayFrames.TEXT, 2), new byte[] {(byte) 0xC3, 0x28}))).as("bad UTF-8").isEqualTo(CloseCode.PROTOCOL_ERROR);
        assertThat(codeOf(1, concat(header(RelayFrames.CLOSE, 1), new byte[1]))).as("1-byte CLOSE").isEqualTo(CloseCode.PROTOCOL_ERROR);
        assertThat(codeOf(1, concat(header(RelayFrames.CLOSE, 4), new byte[] {0x03, (byte) 0xE8, (byte) 0xFF, (byte) 0xFE}))).as("bad reason").isEqualTo(CloseCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1003, 1005, 1006, 1010, 1012, 2999, 4000, 4003, 4999, 5000, 65535})
    void closeCodesOutsideTheAllowedRangesClose1002(int code) {
        assertThat(codeOf(1, WireFrames.close(code, ""))).isEqualTo(CloseCode.PROTOCOL_ERROR);
    }

    @Test
    void aCloseReasonIsCutTo123BytesWithoutSplittingACharacter() {
        byte[] reason = RelayFrames.closeReason("é".repeat(100));
        assertThat(reason).hasSize(122);
        assertThat(new String(reason, StandardCharsets.UTF_8)).isEqualTo("é".repeat(61));
    }
}
