package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.relay.RelaySession;
import org.switchboard.testing.RawHttp;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelayClient;

/**
 * One room, three protocols: a WebSocket client (JDK), a relay client and an SSE reader over HTTP/2
 * (after an h2c upgrade) on the running sample; a message from each reaches the other two.
 */
class EndToEndTest {

    @RegisterExtension
    final RunningSample sample = new RunningSample();

    @Test
    void SB1_aMessageFromEachProtocolReachesTheOtherTwo() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();

        TextSocket atWebSocket = TextSocket.open(URI.create("ws://127.0.0.1:" + sample.port() + "/chat"), "chat");

        BlockingQueue<String> atRelay = new LinkedBlockingQueue<>();
        RelayClient relay = RelayClient.connect(URI.create("http://127.0.0.1:" + sample.port() + "/relay"), new RelayListener() {
            @Override
            public void onText(RelaySession session, String text) {
                atRelay.add(text);
            }
        });
        assertThat(relay.protocol()).isEqualTo("relay/2");

        HttpResponse<InputStream> events = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sample.port() + "/events")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertThat(events.version()).isEqualTo(HttpClient.Version.HTTP_2);
        BufferedReader sse = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8));
        assertThat(sse.readLine()).isEqualTo(": joined the room");

        atWebSocket.send("wendy: hello from websocket");
        assertThat(atRelay.poll(5, TimeUnit.SECONDS)).isEqualTo("wendy: hello from websocket");
        assertThat(SseEvents.next(sse).path("text").asText()).isEqualTo("hello from websocket");
        assertThat(atWebSocket.next()).isEqualTo("wendy: hello from websocket");

        relay.sendText("rita: hello from relay");
        assertThat(atWebSocket.next()).isEqualTo("rita: hello from relay");
        JsonNode fromRelay = SseEvents.next(sse);
        assertThat(fromRelay.path("sender").asText()).isEqualTo("rita");
        assertThat(fromRelay.path("protocol").asText()).isEqualTo("relay/2");  // the room names the version its member speaks
        assertThat(atRelay.poll(5, TimeUnit.SECONDS)).isEqualTo("rita: hello from relay");

        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sample.port() + "/messages"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"sender\":\"hal\",\"text\":\"hello from http/2\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(posted.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(posted.statusCode()).isEqualTo(201);
        assertThat(atWebSocket.next()).isEqualTo("hal: hello from http/2");
        assertThat(atRelay.poll(5, TimeUnit.SECONDS)).isEqualTo("hal: hello from http/2");
        assertThat(SseEvents.next(sse).path("protocol").asText()).isEqualTo("h2");

        relay.close();
        atWebSocket.close();
        events.body().close();
    }

    @Test
    void U8_aPlainGetOnRelayIs426ListingBothVersions() throws Exception {
        try (RawHttp client = RawHttp.connect(sample.port())) {
            RawHttp.Response response = client.send("GET /relay HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(426);
            assertThat(response.header("Upgrade")).isEqualTo("relay/2, relay/1");
            assertThat(response.header("Connection")).isEqualTo("Upgrade");
        }
    }

    @Test
    void W8_gracefulStopSaysGoodbyeOnEveryProtocol() throws Exception {
        TextSocket echo = TextSocket.open(URI.create("ws://127.0.0.1:" + sample.port() + "/echo"));
        RelayClient relay = RelayClient.connect(URI.create("http://127.0.0.1:" + sample.port() + "/relay"), new RelayListener() { });

        sample.server().stop();

        assertThat(echo.closeCode()).isEqualTo(1001);
        assertThat(relay.closed().get(5, TimeUnit.SECONDS)).isEqualTo(1001);
    }
}
