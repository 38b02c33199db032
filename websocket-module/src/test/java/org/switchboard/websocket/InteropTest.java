package org.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.Switchboard;
import org.switchboard.UpgradePolicy;
import org.switchboard.testing.SwitchboardServerExtension;

/**
 * Three independent real clients against one server: the JDK's {@code java.net.http.WebSocket},
 * Jetty's {@code WebSocketClient} and Node's {@code ws} (a separate process). Each echoes text and
 * binary, gets the subprotocol the endpoint picks (W6), and those that speak permessage-deflate
 * (Jetty, ws) round-trip compressed messages (W7).
 */
class InteropTest {

    private static final byte[] BYTES = {0, 1, 2, (byte) 254, (byte) 255};
    private static final String BIG = "switchboard ".repeat(2000);

    @RegisterExtension
    static final SwitchboardServerExtension server = SwitchboardServerExtension.of(Switchboard.builder()
        .handler(WebSocketProtocolHandler.builder()
            .endpoint(WebSocketEndpoint.builder("/chat", (rq, rs, cb) -> new EchoEndpoint())
                .subprotocols("chat.v2", "chat.v1")
                .build())
            .build())
        .route("/chat", UpgradePolicy.required("websocket"))
        .build());

    private static URI chat() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/chat");
    }

    @Test
    void jdkHttpClient_echoesTextAndBinaryWithTheSubprotocolPicked() throws Exception {
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();
            private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                binary.writeBytes(bytes);
                if (last) {
                    received.add(binary.toByteArray());
                    binary.reset();
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                received.add(statusCode);
                return null;
            }
        };
        HttpClient http = HttpClient.newHttpClient();
        WebSocket ws = http.newWebSocketBuilder()
            .subprotocols("chat.v1", "chat.v2")
            .buildAsync(chat(), listener)
            .get(10, TimeUnit.SECONDS);

        assertThat(ws.getSubprotocol()).isEqualTo("chat.v2");
        ws.sendText("hello from the JDK", true).get(10, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("hello from the JDK");
        ws.sendBinary(ByteBuffer.wrap(BYTES), true).get(10, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(BYTES);
        ws.sendText(BIG, true).get(10, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(BIG);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void jettyWebSocketClient_echoesTextAndBinaryCompressedWithTheSubprotocolPicked() throws Exception {
        WebSocketClient client = new WebSocketClient();
        client.start();
        try {
            ClientUpgradeRequest request = new ClientUpgradeRequest(chat());
            request.setSubProtocols("chat.v1", "mqtt");
            request.addExtensions("permessage-deflate");
            MessageCollector collector = new MessageCollector();
            Session session = client.connect(collector, request).get(10, TimeUnit.SECONDS);

            assertThat(session.getUpgradeResponse().getAcceptedSubProtocol()).isEqualTo("chat.v1");
            assertThat(session.getUpgradeResponse().getExtensions()).extracting(e -> e.getName()).containsExactly("permessage-deflate");
            session.sendText("hello from Jetty", Callback.NOOP);
            assertThat(collector.next()).isEqualTo("hello from Jetty");
            session.sendBinary(ByteBuffer.wrap(BYTES), Callback.NOOP);
            assertThat(collector.next()).isEqualTo(BYTES);
            session.sendText(BIG, Callback.NOOP);
            assertThat(collector.next()).isEqualTo(BIG);
            session.close(1000, "bye", Callback.NOOP);
            assertThat(collector.next()).isEqualTo(1000);
        } finally {
            client.stop();
        }
    }

    @Test
    void nodeWs_echoesTextAndBinaryCompressedWithTheSubprotocolPicked() throws Exception {
        Path dir = Path.of("src/test/node");
        assertThat(dir.resolve("node_modules/ws/package.json"))
            .as("Node's ws is missing: run .ci/setup.d/websocket-module.sh (or npm ci --prefix websocket-module/src/test/node)")
            .exists();
        Process node = new ProcessBuilder("node", "client.mjs", chat().toString(), "mqtt", "chat.v1", "chat.v2")
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
        });
        if (!node.waitFor(30, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("node did not finish within 30 s");
        }
        assertThat(node.exitValue()).isZero();
        JsonNode seen = new ObjectMapper().readTree(output.get(10, TimeUnit.SECONDS));

        assertThat(seen.path("protocol").asText()).isEqualTo("chat.v2");
        assertThat(seen.path("extensions").asText()).startsWith("permessage-deflate");
        assertThat(seen.path("text").asText()).isEqualTo("hello from node");
        assertThat(Base64.getDecoder().decode(seen.path("binary").asText())).isEqualTo(BYTES);
        assertThat(seen.path("bigEchoed").asBoolean()).isTrue();
        assertThat(seen.path("closeCode").asInt()).isEqualTo(1000);
    }
}
