package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.relay.CloseCode;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelayListener;
import org.switchboard.testing.RawHttp;

/**
 * The page's views over plain HTTP, no browser: {@code GET /negotiations} (the last 50
 * negotiations, then live; request lines without their query; client text kept as text in JSON;
 * a reader that does not read is dropped), {@code GET /negotiate} (a dry run: JSON of the
 * negotiation, bounded input answered 400 with one line, nothing counted or shown) and
 * {@code GET /members} (the room by protocol, live).
 */
class NegotiationEndpointsTest {

    private static final String MARKUP = "<img src=x onerror=alert(\"x\")>";

    @RegisterExtension
    final RunningSample sample = new RunningSample();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void SB6_negotiationsGivesTheLast50ThenEachAsItEnds_withoutQueryStrings() throws Exception {
        for (int i = 0; i < 55; i++)
            assertThat(upgrade("/relay?secret=s" + i, "n" + i).status()).isEqualTo(426);
        HttpResponse<InputStream> stream = open("/negotiations");
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        try (BufferedReader events = reader(stream)) {
            for (int i = 5; i < 55; i++) {
                JsonNode event = SseEvents.next(events);
                assertThat(event.path("upgrade").asText()).isEqualTo("n" + i);
                assertThat(event.path("requestLine").asText()).isEqualTo("GET /relay HTTP/1.1");
                assertThat(event.path("status").asInt()).isEqualTo(426);
                assertThat(event.path("outcome").asText()).isEqualTo("UPGRADE_REQUIRED");
                assertThat(event.path("steps").get(0).path("offer").asText()).isEqualTo("n" + i);
                assertThat(event.toString()).doesNotContain("secret");
            }
            assertThat(upgrade("/relay?secret=live", "relay/2").status()).isEqualTo(101);
            JsonNode live = SseEvents.next(events);
            assertThat(live.path("requestLine").asText()).isEqualTo("GET /relay HTTP/1.1");
            assertThat(live.path("answer").asText()).isEqualTo("101 relay/2");
            assertThat(live.path("protocol").asText()).isEqualTo("relay");
            assertThat(live.path("at").asText()).isNotEmpty();
        }
    }

    @Test
    void SB6_markupInAnUpgradeValueStaysTextInTheJson() throws Exception {
        HttpResponse<InputStream> stream = open("/negotiations");
        try (BufferedReader events = reader(stream)) {
            assertThat(upgrade("/", MARKUP + ", relay/9").status()).isEqualTo(200);
            JsonNode event = SseEvents.next(events);
            assertThat(event.path("upgrade").asText()).isEqualTo(MARKUP + ", relay/9");
            assertThat(event.path("steps").get(0).path("offer").asText()).isEqualTo("relay/9");
            assertThat(event.path("answer").asText()).startsWith("served by the application");
        }
        HttpResponse<String> dryRun = negotiate("/", MARKUP);
        assertThat(dryRun.statusCode()).isEqualTo(200);
        assertThat(dryRun.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(Json.MAPPER.readTree(dryRun.body()).path("negotiation").path("upgrade").asText()).isEqualTo(MARKUP);
    }

    @Test
    void SB1_negotiateAnswersAsTheServerWouldWithWhatABrowserSends() throws Exception {
        JsonNode websocket = dryRun("/chat", "websocket, relay/2");
        assertThat(websocket.path("path").asText()).isEqualTo("/chat");
        assertThat(websocket.path("headers").path("Connection").asText()).isEqualTo("Upgrade");
        assertThat(websocket.path("headers").path("Upgrade").asText()).isEqualTo("websocket, relay/2");
        assertThat(websocket.path("headers").path("Sec-WebSocket-Version").asText()).isEqualTo("13");
        assertThat(websocket.path("headers").path("Origin").asText()).isEqualTo("http://127.0.0.1:" + sample.port());
        JsonNode chosen = websocket.path("negotiation");
        assertThat(chosen.path("requestLine").asText()).isEqualTo("GET /chat HTTP/1.1");
        assertThat(chosen.path("status").asInt()).isEqualTo(101);
        assertThat(chosen.path("outcome").asText()).isEqualTo("UPGRADED");
        assertThat(chosen.path("answer").asText()).isEqualTo("101 websocket");
        assertThat(chosen.path("steps").get(0).path("offer").asText()).isEqualTo("websocket");
        assertThat(chosen.path("steps").get(0).path("verdict").asText()).startsWith("accept");

        JsonNode relay = dryRun("/relay", "websocket, relay/2").path("negotiation");
        assertThat(relay.path("answer").asText()).isEqualTo("101 relay/2");
        assertThat(relay.path("steps").toString()).contains("not allowed on this route");

        JsonNode required = dryRun("/relay", "websocket").path("negotiation");
        assertThat(required.path("status").asInt()).isEqualTo(426);
        assertThat(required.path("answer").asText()).isEqualTo("426 Upgrade: relay/2, relay/1");

        JsonNode plainGet = dryRun("/relay", "");
        assertThat(plainGet.path("headers").has("Upgrade")).isFalse();
        assertThat(plainGet.path("negotiation").path("status").asInt()).isEqualTo(426);

        JsonNode h2c = dryRun("/echo", "h2c, websocket").path("negotiation");
        assertThat(h2c.path("steps").get(0).path("verdict").asText()).startsWith("decline").contains("HTTP2-Settings");
        assertThat(h2c.path("answer").asText()).isEqualTo("101 websocket");

        JsonNode served = dryRun("/", "h2c").path("negotiation");
        assertThat(served.path("status").asInt()).isZero();
        assertThat(served.path("outcome").asText()).isEqualTo("FALLBACK");

        JsonNode tooMany = dryRun("/", "a,".repeat(17) + "b").path("negotiation");
        assertThat(tooMany.path("status").asInt()).as("SB5 from the dispatcher itself").isEqualTo(400);
    }

    @Test
    void SB5_negotiateBoundsItsInputWithOneLineReasons() throws Exception {
        assertBadRequest(send("/negotiate?path=/chat&upgrade=" + "w".repeat(1025)), "at most 1024");
        assertBadRequest(send("/negotiate?path=/chat"), "upgrade is missing");
        assertBadRequest(send("/negotiate?path=/events&upgrade=websocket"), "path must be one of");
        assertBadRequest(send("/negotiate?upgrade=websocket%0d%0aX-Injected:%201"), "control characters");
        assertBadRequest(send("/negotiate?upgrade=a&upgrade=b"), "once");
        assertThat(dryRun("/chat", "w".repeat(1024)).path("negotiation").path("upgrade").asText()).hasSize(1024);
        assertThat(send("/negotiate?upgrade=%ff%fe%c3").statusCode()).as("bytes that are not UTF-8").isIn(200, 400);
        assertThat(dryRun("/", "wébsocket, ☃/1").path("negotiation").path("outcome").asText()).isEqualTo("FALLBACK");
    }

    @Test
    void SB6_dryRunsAreNeitherCountedNorShown() throws Exception {
        String countsBefore = healthProtocols();
        HttpResponse<InputStream> stream = open("/negotiations");
        try (BufferedReader events = reader(stream)) {
            dryRun("/chat", "websocket");
            dryRun("/relay", "relay/2");
            dryRun("/relay", "");
            dryRun("/", "h2c");
            assertThat(healthProtocols()).isEqualTo(countsBefore);
            assertThat(upgrade("/relay", "marker").status()).isEqualTo(426);
            assertThat(SseEvents.next(events).path("upgrade").asText()).as("the first event, after four dry runs").isEqualTo("marker");
        }
    }

    @Test
    void aReaderThatDoesNotReadIsDroppedNotBuffered() throws Exception {
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(1024);
            slow.connect(new InetSocketAddress("127.0.0.1", sample.port()), 5_000);
            slow.getOutputStream().write("GET /negotiations HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            // 2,000 events of some 1.5 KB: far more than a stream may queue plus what the sockets hold.
            String offer = "x".repeat(1000);
            try (RawHttp client = RawHttp.connect(sample.port())) {
                for (int i = 0; i < 2_000; i++) {
                    client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: " + offer + "\r\n\r\n");
                    assertThat(client.readResponse().status()).isEqualTo(200);
                }
            }
            slow.setSoTimeout(10_000);
            int events = 0;
            try (BufferedReader stream = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = stream.readLine(); line != null; line = stream.readLine())
                    events += line.startsWith("data: ") ? 1 : 0;
            } catch (SocketException reset) {
                // Dropped with unread bytes: a reset ends the stream as well as an EOF does.
            }
            assertThat(events).as("events before the stream was dropped").isLessThan(2_000);
        }
        // The server goes on, and a new reader starts again from the last 50.
        try (BufferedReader events = reader(open("/negotiations"))) {
            assertThat(SseEvents.next(events).path("upgrade").asText()).hasSize(1000);
        }
    }

    @Test
    void membersGivesTheRoomByProtocolAsMembersJoinSpeakAndLeave() throws Exception {
        try (BufferedReader roster = reader(open("/members"))) {
            assertThat(SseEvents.next(roster).path("total").asInt()).isZero();
            RelayClient relay = RelayClient.connect(sample.base().resolve("/relay"), new RelayListener() { });
            JsonNode joined = SseEvents.next(roster);
            assertThat(joined.path("total").asInt()).isEqualTo(1);
            assertThat(joined.path("groups").get(0).path("via").asText()).isEqualTo("relay/2");
            assertThat(joined.path("groups").get(0).path("members").get(0).path("name").isNull()).isTrue();
            relay.sendText("rita: hello");
            JsonNode named = SseEvents.next(roster);
            assertThat(named.path("groups").get(0).path("members").get(0).path("name").asText()).isEqualTo("rita");
            relay.close(CloseCode.NORMAL, "bye");
            assertThat(SseEvents.next(roster).path("total").asInt()).isZero();
        }
    }

    @Test
    void aGracefulStopEndsTheNegotiationsAndMembersStreams() throws Exception {
        try (BufferedReader negotiations = reader(open("/negotiations"));
             BufferedReader members = reader(open("/members"))) {
            assertThat(negotiations.readLine()).startsWith(": the last 0 negotiations");
            assertThat(SseEvents.next(members).path("total").asInt()).isZero();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    sample.server().stop();
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });
            assertThat(rest(negotiations)).endsWith(": server going away");
            assertThat(rest(members)).endsWith(": server going away");
            stopped.get(15, TimeUnit.SECONDS);
        }
    }

    /** The stream's remaining lines, through its end, without blank lines. */
    private static String rest(BufferedReader stream) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = stream.readLine(); line != null; line = stream.readLine())
            if (!line.isEmpty())
                lines.add(line);
        return String.join("\n", lines);
    }

    private RawHttp.Response upgrade(String target, String upgrade) throws IOException {
        try (RawHttp raw = RawHttp.connect(sample.port())) {
            raw.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: " + upgrade + "\r\n\r\n");
            RawHttp.Head head = raw.readHead();
            return new RawHttp.Response(head, "");
        }
    }

    private HttpResponse<InputStream> open(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(sample.base().resolve(path)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static BufferedReader reader(HttpResponse<InputStream> stream) {
        return new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String target) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sample.base() + target)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> negotiate(String path, String upgrade) throws Exception {
        return send("/negotiate?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8) + "&upgrade=" + URLEncoder.encode(upgrade, StandardCharsets.UTF_8));
    }

    private JsonNode dryRun(String path, String upgrade) throws Exception {
        HttpResponse<String> response = negotiate(path, upgrade);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private String healthProtocols() throws Exception {
        return Json.MAPPER.readTree(send("/health").body()).path("protocols").toString();
    }

    private static void assertBadRequest(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body()).contains(reason);
        assertThat(response.body().strip()).doesNotContain("\n");
    }
}
