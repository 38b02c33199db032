package org.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.TestServer;

/** The README's snippet runs, and the README shows it as compiled. */
class ReadmeExampleTest {

    @Test
    void theReadmeSnippetServesAChatEndpoint() throws Exception {
        Server server = ReadmeExample.chatServer(0, new RequestSummaryHandler());
        try {
            int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
            CompletableFuture<String> reply = new CompletableFuture<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("chat.v1")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                })
                .get(10, TimeUnit.SECONDS);

            assertThat(ws.getSubprotocol()).isEqualTo("chat.v1");
            ws.sendText("hi", true);
            assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("echo: hi");
            try (RawUpgradeClient plain = RawUpgradeClient.connect(port)) {
                assertThat(plain.send("GET /chat HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().status()).isEqualTo(426);
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void theReadmeQuotesTheSnippetVerbatim() throws Exception {
        String source = Files.readString(Path.of("src/test/java/org/switchboard/websocket/ReadmeExample.java"), StandardCharsets.UTF_8);
        String snippet = source.substring(source.indexOf("// --- README snippet starts ---\n") + "// --- README snippet starts ---\n".length(),
            source.indexOf("    // --- README snippet ends ---"));
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        // The snippet is a class member, indented by 4; the README shows it flush left.
        String flush = snippet.lines().map(line -> line.startsWith("    ") ? line.substring(4) : line)
            .collect(java.util.stream.Collectors.joining("\n", "", "\n"));

        assertThat(readme).contains(flush);
    }
}
