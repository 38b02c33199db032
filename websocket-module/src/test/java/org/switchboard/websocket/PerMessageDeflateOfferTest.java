package org.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.websocket.HandshakeTest.SAMPLE_KEY;
import static org.switchboard.websocket.HandshakeTest.handshake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.Switchboard;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.SwitchboardServerExtension;

/**
 * W7, RFC 7692 §7: a {@code permessage-deflate} offer the server cannot honour, or that is invalid,
 * is declined — the next offer or no compression is used — and never answered with a {@code 101}
 * whose frames the client cannot decode, nor with a {@code 4xx}/{@code 5xx} for the whole handshake.
 * Raw sockets: each case sends a 4,000-byte text (a 2,000-character string twice, so a compressor
 * with a window over 2,000 bytes refers back 2,000 bytes) and decodes the echo as the client would.
 */
class PerMessageDeflateOfferTest {

    /** 2,000 pseudo-random letters, twice: compressible only by a back-reference 2,000 bytes long. */
    static final String TEXT;

    static {
        Random random = new Random(7692);
        StringBuilder half = new StringBuilder(2000);
        for (int i = 0; i < 2000; i++)
            half.append((char) ('a' + random.nextInt(26)));
        TEXT = half.toString() + half;
    }

    @RegisterExtension
    static final SwitchboardServerExtension server = SwitchboardServerExtension.of(Switchboard.builder()
        .handler(WebSocketProtocolHandler.builder()
            .endpoint("/echo", (rq, rs, cb) -> new EchoEndpoint())
            .endpoint(WebSocketEndpoint.builder("/plain", (rq, rs, cb) -> new EchoEndpoint())
                .compression(false)
                .build())
            .build())
        .build());

    /** What the client saw: the 101's extensions, whether the echo had RSV1, the echo decoded. */
    record Echo(String extensions, boolean compressed, String text) {
    }

    /** A handshake on {@code path} offering {@code extensions}, then {@link #TEXT} and its echo. */
    static Echo echo(String path, String extensions) throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(handshake(path, SAMPLE_KEY, "Sec-WebSocket-Extensions: " + extensions + "\r\n")).readHead();
            assertThat(head.status()).as("status for %s", extensions).isEqualTo(101);

            Frames.Frame first = Frames.read(client.send(Frames.text(TEXT)));
            assertThat(first.opcode()).isEqualTo(Frames.TEXT);
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            payload.writeBytes(first.payload());
            for (Frames.Frame frame = first; !frame.fin(); ) {
                frame = Frames.read(client);
                assertThat(frame.opcode()).as("continuation").isZero();
                payload.writeBytes(frame.payload());
            }
            boolean compressed = (first.rsv() & 0x4) != 0;
            byte[] bytes = payload.toByteArray();
            return new Echo(head.header("Sec-WebSocket-Extensions"), compressed,
                compressed ? inflate(bytes) : new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** RFC 7692 §7.2.2: append 0x00 0x00 0xff 0xff to the message's payload and inflate it raw. */
    static String inflate(byte[] payload) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            byte[] input = new byte[payload.length + 4];
            System.arraycopy(payload, 0, input, 0, payload.length);
            System.arraycopy(new byte[]{0, 0, (byte) 0xff, (byte) 0xff}, 0, input, payload.length, 4);
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = inflater.inflate(buffer)) > 0)
                out.write(buffer, 0, n);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            inflater.end();
        }
    }

    /** The offer was declined: no permessage-deflate in the 101, RSV1 clear, the text as sent. */
    static void assertDeclined(String extensions) throws Exception {
        Echo echo = echo("/echo", extensions);
        assertThat(echo.extensions()).as("Sec-WebSocket-Extensions for %s", extensions).isNull();
        assertThat(echo.compressed()).as("RSV1 for %s", extensions).isFalse();
        assertThat(echo.text()).isEqualTo(TEXT);
    }

    /** Accepted: the 101 says {@code expected}, the echo has RSV1 and inflates to the text. */
    static void assertAccepted(String extensions, String expected) throws Exception {
        Echo echo = echo("/echo", extensions);
        assertThat(parameters(echo.extensions())).as("Sec-WebSocket-Extensions for %s", extensions).isEqualTo(parameters(expected));
        assertThat(echo.compressed()).as("RSV1 for %s", extensions).isTrue();
        assertThat(echo.text()).isEqualTo(TEXT);
    }

    /** An answer's extension and parameters, in any order and spacing (Jetty's order is a hash map's). */
    static Set<String> parameters(String extensions) {
        if (extensions == null)
            return Set.of();
        Set<String> parts = new TreeSet<>();
        for (String part : extensions.split(";"))
            parts.add(part.strip());
        return parts;
    }

    @Test
    void W7_serverMaxWindowBitsUnder15IsDeclined() throws Exception {
        assertDeclined("permessage-deflate; server_max_window_bits=10");
    }

    @Test
    void W7_serverMaxWindowBits8IsDeclined() throws Exception {
        assertDeclined("permessage-deflate; server_max_window_bits=8");
    }

    @Test
    void W7_aDeclinedOfferLetsTheNextOfferWin() throws Exception {
        // The bare second offer lets the server use its 15-bit window; the 101 must not claim the first.
        assertAccepted("permessage-deflate; server_max_window_bits=10, permessage-deflate", "permessage-deflate");
        assertAccepted("permessage-deflate; server_max_window_bits=9, permessage-deflate; client_no_context_takeover",
            "permessage-deflate; client_no_context_takeover");
    }

    @Test
    void W7_aDeclinedOfferOnItsOwnLineLetsTheNextLineWin() throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(handshake("/echo", SAMPLE_KEY,
                "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n")).readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(parameters(head.header("Sec-WebSocket-Extensions")))
                .isEqualTo(parameters("permessage-deflate; server_no_context_takeover"));
        }
    }

    @Test
    void W7_clientMaxWindowBitsOutOfRangeIsDeclined() throws Exception {
        assertDeclined("permessage-deflate; client_max_window_bits=16");
        assertDeclined("permessage-deflate; client_max_window_bits=7");
    }

    @Test
    void W7_aWindowBitsValueWithALeadingZeroIsDeclined() throws Exception {
        assertDeclined("permessage-deflate; client_max_window_bits=010");
        assertDeclined("permessage-deflate; server_max_window_bits=015");
    }

    @Test
    void W7_serverMaxWindowBitsWithoutAValueIsDeclined() throws Exception {
        assertDeclined("permessage-deflate; server_max_window_bits");
    }

    @Test
    void W7_aRepeatedParameterIsDeclined() throws Exception {
        assertDeclined("permessage-deflate; server_no_context_takeover; server_no_context_takeover");
        assertDeclined("permessage-deflate; client_max_window_bits; client_max_window_bits=10");
    }

    @Test
    void W7_aValueOnAFlagIsDeclined() throws Exception {
        assertDeclined("permessage-deflate; client_no_context_takeover=1");
        assertDeclined("permessage-deflate; server_no_context_takeover=\"1\"");
    }

    @Test
    void W7_anUnknownParameterDeclinesTheOfferNotTheHandshake() throws Exception {
        assertDeclined("permessage-deflate; x_bogus_param");
    }

    @Test
    void W7_anEmptyParameterValueIsDroppedNeverA500() throws Exception {
        assertDeclined("permessage-deflate; foo; server_no_context_takeover=");
    }

    @Test
    void W7_serverMaxWindowBits15IsStillAccepted() throws Exception {
        // Jetty's answer leaves the parameter out (noted in the README): a 15-bit window either way.
        assertAccepted("permessage-deflate; server_max_window_bits=15", "permessage-deflate");
    }

    @Test
    void W7_clientMaxWindowBitsWithoutAValueIsStillAccepted() throws Exception {
        assertAccepted("permessage-deflate; client_max_window_bits", "permessage-deflate");
    }

    @Test
    void W7_clientMaxWindowBits10IsStillAccepted() throws Exception {
        assertAccepted("permessage-deflate; client_max_window_bits=10", "permessage-deflate");
        assertAccepted("permessage-deflate; client_max_window_bits=\"10\"", "permessage-deflate");
    }

    @Test
    void W7_contextTakeoverFlagsAreStillAccepted() throws Exception {
        assertAccepted("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    }

    @Test
    void W7_anEndpointWithCompressionOffStaysOffWhateverTheOffer() throws Exception {
        for (String offer : new String[]{"permessage-deflate; client_max_window_bits",
            "permessage-deflate; server_max_window_bits=10, permessage-deflate"}) {
            Echo echo = echo("/plain", offer);
            assertThat(echo.extensions()).as(offer).isNull();
            assertThat(echo.compressed()).isFalse();
            assertThat(echo.text()).isEqualTo(TEXT);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "permessage-deflate; =1",
        "permessage-deflate;;",
        "permessage-deflate; client_max_window_bits=",
        "permessage-deflate; client_max_window_bits=\"1 0\"",
        "permessage-deflate; client_max_window_bits=\"10",
        "permessage-deflate; client_max_window_bits=10 11",
        "permessage-deflate; a=\"b,c\"",
        "permessage-deflate; a=\"\"",
        "permessage-deflate x",
        "\"permessage-deflate\"",
        "permessage-deflate/1",
        ";permessage-deflate",
        ", ,",
        "permessage-deflate; server_max_window_bits=99999999999999999999",
        "permessage-deflate; server_max_window_bits=-15",
        "permessage-deflate; client_max_window_bits=1\u00e9",
    })
    void W7_aMalformedValueIsDroppedNeverA5xx(String extensions) throws Exception {
        assertDeclined(extensions);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "x-bad; a=\"b,c\", permessage-deflate",
        "x-bad;;, permessage-deflate",
        "permessage-deflate; foo=, permessage-deflate",
        ",, permessage-deflate ,",
        "permessage-deflate; client_max_window_bits=\"unterminated, permessage-deflate; x",
    })
    void W7_aMalformedElementIsDroppedAndAValidOfferAfterItStillWins(String extensions) throws Exception {
        Echo echo = echo("/echo", extensions);
        if (extensions.contains("unterminated")) {
            // The open quote swallows the rest of the line: nothing valid is left.
            assertThat(echo.extensions()).isNull();
            assertThat(echo.compressed()).isFalse();
        } else {
            assertThat(parameters(echo.extensions())).as(extensions).isEqualTo(parameters("permessage-deflate"));
            assertThat(echo.compressed()).isTrue();
        }
        assertThat(echo.text()).isEqualTo(TEXT);
    }

    /**
     * Interop with an independent inflater: {@code src/test/python/deflate_client.py} decodes the
     * echo with python3's {@code zlib.decompressobj(-bits)} and the window its offer and the answer
     * allow it, so a server compressing with a bigger window than the client asked for fails here
     * ("invalid distance too far back"), which the JDK's Inflater, always 32 KiB, cannot show.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "permessage-deflate; server_max_window_bits=10",
        "permessage-deflate; server_max_window_bits=8",
        "permessage-deflate; server_max_window_bits=10, permessage-deflate",
        "permessage-deflate; x_bogus_param, permessage-deflate; server_max_window_bits=9",
        "permessage-deflate; server_max_window_bits=15",
        "permessage-deflate; client_max_window_bits",
    })
    void W7_python3ZlibInflatesEveryEchoWithTheWindowItAskedFor(String offer) throws Exception {
        Process python = new ProcessBuilder("python3", "src/test/python/deflate_client.py",
            String.valueOf(server.port()), "/echo", offer)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        });
        if (!python.waitFor(30, TimeUnit.SECONDS)) {
            python.destroyForcibly();
            throw new AssertionError("python3 did not finish within 30 s");
        }
        assertThat(python.exitValue()).as("python3 exit code").isZero();
        JsonNode seen = new ObjectMapper()
            .readTree(output.get(10, TimeUnit.SECONDS));

        assertThat(seen.path("status").asInt()).as("%s", seen).isEqualTo(101);
        assertThat(seen.path("error").isMissingNode()).as("%s", seen).isTrue();
        assertThat(seen.path("echoed").asBoolean()).as("%s", seen).isTrue();
    }
}
