package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.testing.ExtendedConnect;

/**
 * Every protocol of the sample over HTTP/2 extended CONNECT (RFC 8441; RULES.md C1–C6) with real
 * clients: Debian's python3-h2 ({@code src/test/python/h2_extended_connect.py}) on prior-knowledge
 * h2c and on h2c after an HTTP/1.1 upgrade, and Jetty's {@code HTTP2Client} for the graceful stop.
 * The handlers are the sample's, unchanged: the same as HTTP/1.1 {@code Upgrade} reaches.
 */
class ExtendedConnectClientsTest {

    /** Debian's interpreter, where {@code python3-h2} installs (.ci/setup.d/examples.sh). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("src/test/python/h2_extended_connect.py");
    private static final HexFormat HEX = HexFormat.of();

    @RegisterExtension
    final RunningSample sample = new RunningSample();

    /** Runs the python3-h2 client; its JSON answer. */
    private JsonNode h2(String mode, String path, String protocol, List<String> headers, String... steps) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON, SCRIPT.toString(), "--port", Integer.toString(sample.port()),
            "--mode", mode, "--path", path, "--protocol", protocol));
        for (String header : headers)
            command.addAll(List.of("--header", header));
        command.addAll(List.of(steps));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getInputStream().readAllBytes();
            } catch (IOException x) {
                throw new IllegalStateException(x);
            }
        });
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("python3-h2 client finished").isTrue();
        assertThat(process.exitValue()).as("python3-h2 client exit status").isZero();
        return new ObjectMapper().readTree(output.get(10, TimeUnit.SECONDS));
    }

    /** A client's masked WebSocket text frame (RFC 6455 5.2, 5.3), payload under 126 bytes. */
    private static String maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        ByteBuffer frame = ByteBuffer.allocate(6 + payload.length);
        frame.put((byte) 0x81).put((byte) (0x80 | payload.length)).put(mask);
        for (int i = 0; i < payload.length; i++)
            frame.put((byte) (payload[i] ^ mask[i % 4]));
        return HEX.formatHex(frame.array());
    }

    /** A relay/1 TEXT frame (PROTOCOL.md): type, 4-byte length, UTF-8. */
    private static String relay1Text(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return HEX.formatHex(ByteBuffer.allocate(5 + payload.length).put((byte) 0x01).putInt(payload.length).put(payload).array());
    }

    /** A relay/2 TEXT frame: type, length, 4-byte message id, UTF-8. */
    private static String relay2Text(int id, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return HEX.formatHex(ByteBuffer.allocate(9 + payload.length).put((byte) 0x01).putInt(4 + payload.length).putInt(id)
            .put(payload).array());
    }

    @ParameterizedTest
    @ValueSource(strings = {"prior", "upgrade"})
    void C3_RFC8441_websocketOnEchoOverHttp2(String mode) throws Exception {
        JsonNode answer = h2(mode, "/echo", "websocket", List.of("sec-websocket-version: 13"),
            "send:" + maskedText("hello over h2"), "read:15");
        assertThat(answer.get("status").asInt()).isEqualTo(200);
        // The server's echo: unmasked, FIN + text, 13 bytes.
        assertThat(answer.get("reads").get(0).asText()).isEqualTo("810d" + HEX.formatHex("hello over h2".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prior", "upgrade"})
    void C3_relay1JoinsTheRoomOverHttp2(String mode) throws Exception {
        JsonNode answer = h2(mode, "/relay", "relay/1", List.of("relay-max-message-size: 65536"), "send:" + relay1Text("bob: hi over h2"),
            "read:20");
        assertThat(answer.get("status").asInt()).isEqualTo(200);
        assertThat(answer.get("headers").get("relay-max-message-size").asText()).isEqualTo(Integer.toString(ChatRoom.MAX_INCOMING_BYTES));
        assertThat(answer.get("reads").get(0).asText()).isEqualTo(relay1Text("bob: hi over h2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prior", "upgrade"})
    void C3_relay2JoinsTheRoomOverHttp2AndIsAcknowledged(String mode) throws Exception {
        JsonNode answer = h2(mode, "/relay", "relay/2", List.of(), "send:" + relay2Text(1, "bob: hi"), "read:16", "read:9");
        assertThat(answer.get("status").asInt()).isEqualTo(200);
        assertThat(answer.get("reads").get(0).asText()).isEqualTo(relay2Text(1, "bob: hi"));
        assertThat(answer.get("reads").get(1).asText()).isEqualTo("0b0000000400000001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"prior", "upgrade"})
    void C3_time1TicksOverHttp2(String mode) throws Exception {
        JsonNode answer = h2(mode, "/", "time/1", List.of(), "line");
        assertThat(answer.get("status").asInt()).isEqualTo(200);
        assertThat(answer.get("reads").get(0).asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"prior", "upgrade"})
    void C4_W4_aRejectionIsItsStatusOnTheStreamNotAReset(String mode) throws Exception {
        JsonNode answer = h2(mode, "/echo", "websocket", List.of("sec-websocket-version: 8"));
        assertThat(answer.get("status").asInt()).isEqualTo(426);
        assertThat(answer.get("headers").get("sec-websocket-version").asText()).isEqualTo("13");
        assertThat(answer.get("body").asText()).contains("this server speaks 13");
        assertThat(answer.get("reset").isNull() || answer.get("reset").asInt() == 0).as("no reset but NO_ERROR").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"prior", "upgrade"})
    void C4_aDeclineIs501NamingWhatTheRouteSpeaks(String mode) throws Exception {
        // No WebSocket endpoint at /health: the handler declines, and the route speaks nothing else for CONNECT.
        JsonNode declined = h2(mode, "/health", "websocket", List.of("sec-websocket-version: 13"));
        assertThat(declined.get("status").asInt()).isEqualTo(501);
        assertThat(declined.get("body").asText()).contains(":protocol websocket at /health");
        // What a client may try there instead; h2c, which replaces the connection, is not among them.
        assertThat(declined.get("headers").get("connect-protocol").asText()).contains("websocket", "relay/2", "relay/1", "time/1")
            .doesNotContain("h2c");
        assertThat(declined.get("reset").isNull() || declined.get("reset").asInt() == 0).as("no reset but NO_ERROR").isTrue();
        // A relay version the server does not speak, on the route that requires relay.
        JsonNode unspoken = h2(mode, "/relay", "relay/3", List.of());
        assertThat(unspoken.get("status").asInt()).isEqualTo(501);
        assertThat(unspoken.get("headers").get("connect-protocol").asText()).isEqualTo("relay/2, relay/1");
    }

    @Test
    void C1_aMalformedProtocolIs400() throws Exception {
        JsonNode answer = h2("prior", "/relay", "relay/1/2", List.of());
        assertThat(answer.get("status").asInt()).isEqualTo(400);
        assertThat(answer.get("body").asText()).startsWith(":protocol must be one protocol");
    }

    @Test
    void C5_W8_aGracefulStopSaysCloseGoingAwayToARelaySessionOnAStream() throws Exception {
        try (ExtendedConnect tunnel = ExtendedConnect.open(sample.port(), "/relay", "relay/1")) {
            assertThat(tunnel.status()).isEqualTo(200);
            tunnel.send(HEX.parseHex(relay1Text("bob: before the stop"))).get(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(HEX.formatHex(tunnel.read(25))).isEqualTo(relay1Text("bob: before the stop"));

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    sample.server().stop();
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });
            // CLOSE (0x08), length 22: code 1001 and "server shutting down".
            byte[] reason = "server shutting down".getBytes(StandardCharsets.UTF_8);
            byte[] close = ByteBuffer.allocate(7 + reason.length).put((byte) 0x08).putInt(2 + reason.length).putShort((short) 1001)
                .put(reason).array();
            assertThat(tunnel.read(close.length)).isEqualTo(close);
            tunnel.send(ByteBuffer.allocate(7).put((byte) 0x08).putInt(2).putShort((short) 1001).array());
            stopped.get(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
