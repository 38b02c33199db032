package org.switchboard.probe.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.RawResponse;

import static org.assertj.core.api.Assertions.assertThat;

class FramesAndQuotingTest {

    @Test
    void w2_acceptValueMatchesTheVectorsOfRulesMd() {
        assertThat(WebSocketFrames.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(WebSocketFrames.accept("x3JJHMbDL1EzLkh9GBhXDw==")).isEqualTo("HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
    }

    @Test
    void w1_aNewKeyIsSixteenBytesInBase64() {
        assertThat(java.util.Base64.getDecoder().decode(WebSocketFrames.newKey())).hasSize(16);
    }

    @Test
    void w8_aCloseFrameIsMaskedAndCarriesItsCode() {
        byte[] close = WebSocketFrames.close(1005, "x");
        assertThat(close[0] & 0xFF).isEqualTo(0x80 | OpCode.CLOSE);
        assertThat(close[1] & 0x80).as("masked").isEqualTo(0x80);
        assertThat(close[1] & 0x7F).isEqualTo(3);
        byte[] mask = {close[2], close[3], close[4], close[5]};
        assertThat(((close[6] ^ mask[0]) & 0xFF) << 8 | ((close[7] ^ mask[1]) & 0xFF)).isEqualTo(1005);
        Frame frame = new Frame(OpCode.CLOSE, true, ByteBuffer.wrap(new byte[] {0x03, (byte) 0xE8, 'o', 'k'}));
        assertThat(WebSocketFrames.closeCode(frame)).isEqualTo(1000);
        assertThat(WebSocketFrames.describe(frame)).isEqualTo("close 1000 ok");
    }

    @Test
    void aQuotedHeadIsOneBoundedLine() {
        byte[] head = ("HTTP/1.1 200 OK\r\nX: \u0001\u00ff\\\r\n" + "y".repeat(1000) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        String quoted = Bytes.escape(head, ResponseHeads.QUOTE_LIMIT);
        assertThat(quoted).startsWith("HTTP/1.1 200 OK\\r\\nX: \\x01\\xFF\\\\\\r\\nyyy").doesNotContain("\r", "\n")
            .endsWith("…(" + head.length + " bytes)");
        assertThat(quoted.length()).isLessThan(ResponseHeads.QUOTE_LIMIT + 30);
    }

    @Test
    void u1_protocolTokens() {
        assertThat(Tokens.isProtocol("relay/1")).isTrue();
        assertThat(Tokens.isProtocol("websocket")).isTrue();
        assertThat(Tokens.isProtocol("relay/")).isFalse();
        assertThat(Tokens.isProtocol("re lay")).isFalse();
        assertThat(Tokens.isProtocol("\"q\"")).isFalse();
    }

    @Test
    void aHeadsListFieldsAreReadElementByElement() {
        RawResponse head = new RawResponse("HTTP/1.1 426 Upgrade Required\r\n\r\n", 426, "Upgrade Required",
            HttpFields.build().add("Upgrade", "relay/2, relay/1").add("upgrade", " , x").add("connection", "upgrade"), new byte[0]);
        assertThat(ResponseHeads.elements(head, "UPGRADE")).containsExactly("relay/2", "relay/1", "x");
        assertThat(ResponseHeads.has(head, "Connection", "Upgrade")).isTrue();
        assertThat(ResponseHeads.proof(head)).isEqualTo("got 426: HTTP/1.1 426 Upgrade Required\\r\\n\\r\\n");
    }
}
