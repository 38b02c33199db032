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

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/** The sample's HTTP face, with the JDK's HttpClient over HTTP/1.1. */
class SampleServerTest {

    private static final String OFFERING_NOTHING_WE_SPEAK = "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: nothing-here\r\n\r\n";

    private Server server;
    private URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        server = SampleServer.start("127.0.0.1", 0);
        base = URI.create("http://127.0.0.1:" + ((NetworkConnector) server.getConnectors()[0]).getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void theServerIsNonBlockingSoThatJettyRunsEachHttp2StreamsRequestInPlace() {
        // One blocking (or dynamic) handler anywhere in the tree makes Jetty hand every request, each HTTP/2
        // stream's, to another thread: measured as 13 % more CPU per h2c upgrade than the library alone.
        assertThat(server.getInvocationType()).isEqualTo(org.eclipse.jetty.util.thread.Invocable.InvocationType.NON_BLOCKING);
    }

    @Test
    void U7_thePageIsServedWhenNothingAcceptableIsOffered() throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(base.getPort())) {
            RawResponse page = client.send(OFFERING_NOTHING_WE_SPEAK).readResponse();

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.body()).contains("<title>Switchboard chat</title>").contains("new WebSocket(");
        }
    }

    @Test
    void aPostedMessageReachesAnEventStreamSubscriber() throws Exception {
        HttpResponse<InputStream> events = http.send(HttpRequest.newBuilder(base.resolve("/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        BufferedReader stream = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8));
        assertThat(stream.readLine()).isEqualTo(": joined the room");

        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(base.resolve("/messages"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"sender\":\"ann\",\"text\":\"hello room\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(201);

        JsonNode event = SseEvents.next(stream);
        assertThat(event.path("sender").asText()).isEqualTo("ann");
        assertThat(event.path("text").asText()).isEqualTo("hello room");
        assertThat(event.path("protocol").asText()).isEqualTo("http");
        events.body().close();
    }

    @Test
    void aMessageWithoutTextIs400WithAReason() throws Exception {
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(base.resolve("/messages"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"sender\":\"ann\"}")).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(posted.statusCode()).isEqualTo(400);
        assertThat(posted.body()).contains("no text");
    }

    @Test
    void SB6_healthReportsCountersAsJson() throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(base.getPort())) {
            assertThat(client.send(OFFERING_NOTHING_WE_SPEAK).readResponse().status()).isEqualTo(200);
        }

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode json = Json.MAPPER.readTree(health.body());
        assertThat(json.path("status").asText()).isEqualTo("up");
        // Offers nobody speaks are counted under "other", never under the name the client made up.
        assertThat(json.path("protocols").path("other").path("fallbacks").asLong()).isEqualTo(1);
        assertThat(json.path("protocols").has("nothing-here")).isFalse();
    }

    @Test
    void SB2_theTimePluginOnTheClassPathIsServedWithNoServerCode() throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(base.getPort())) {
            RawResponse head = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: time/1\r\n\r\n").readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("time/1");
            assertThat(client.readText(21)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n");
        }
    }

    @Test
    void U8_plainGetOnChatIs426NamingWebSocket() throws Exception {
        HttpResponse<String> chat = http.send(HttpRequest.newBuilder(base.resolve("/chat")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(chat.statusCode()).isEqualTo(426);
        assertThat(chat.headers().firstValue("Upgrade")).hasValue("websocket");
    }

    @Test
    void U7_plainGetOnEchoExplainsHowToConnect() throws Exception {
        HttpResponse<String> echo = http.send(HttpRequest.newBuilder(base.resolve("/echo")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(echo.body()).contains("WebSocket");
    }

    @Test
    void W6_chatOverWebSocketWithTheChatSubprotocolReachesAnEventStreamAndBack() throws Exception {
        TextSocket chat = TextSocket.open(URI.create("ws://127.0.0.1:" + base.getPort() + "/chat"), "chat");
        assertThat(chat.socket().getSubprotocol()).isEqualTo("chat");
        // The client sees the 101 before the server's session has joined the room: wait for it.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Json.MAPPER.readTree(
            http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()).body())
            .path("roomMembers").path("websocket").asInt() == 1);

        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(base.resolve("/messages"))
            .POST(HttpRequest.BodyPublishers.ofString("from http")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(201);
        assertThat(chat.next()).isEqualTo("anonymous: from http");

        chat.send("ann: hi from websocket");
        assertThat(chat.next()).isEqualTo("ann: hi from websocket");
        chat.close();
    }

    @Test
    void H2_eventsStreamOverHttp2AfterAnH2cUpgradeByTheJdkClient() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<InputStream> events = h2.send(HttpRequest.newBuilder(base.resolve("/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(events.version()).isEqualTo(HttpClient.Version.HTTP_2);
        BufferedReader stream = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8));
        assertThat(stream.readLine()).isEqualTo(": joined the room");

        HttpResponse<String> posted = h2.send(HttpRequest.newBuilder(base.resolve("/messages"))
            .POST(HttpRequest.BodyPublishers.ofString("over one h2c connection")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(posted.statusCode()).isEqualTo(201);

        JsonNode event = SseEvents.next(stream);
        assertThat(event.path("text").asText()).isEqualTo("over one h2c connection");
        assertThat(event.path("protocol").asText()).isEqualTo("h2");

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(Json.MAPPER.readTree(health.body()).path("protocols").path("h2c").path("upgrades").asLong()).isEqualTo(1);
        events.body().close();
    }

    @Test
    void W6_superchatSpeaksJsonWithSenderAndTimestamp() throws Exception {
        TextSocket superchat = TextSocket.open(URI.create("ws://127.0.0.1:" + base.getPort() + "/chat"), "superchat");
        assertThat(superchat.socket().getSubprotocol()).isEqualTo("superchat");

        superchat.send("{\"sender\":\"sam\",\"text\":\"json hello\"}");

        JsonNode message = Json.MAPPER.readTree(superchat.next());
        assertThat(message.path("sender").asText()).isEqualTo("sam");
        assertThat(message.path("text").asText()).isEqualTo("json hello");
        assertThat(message.path("protocol").asText()).isEqualTo("websocket");
        assertThat(java.time.Instant.parse(message.path("sentAt").asText())).isNotNull();
        superchat.close();
    }

    @Test
    void W8_echoReturnsBinaryAsSent() throws Exception {
        java.util.concurrent.CompletableFuture<byte[]> echoed = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket socket = http.newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + base.getPort() + "/echo"), new java.net.http.WebSocket.Listener() {
                @Override
                public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    echoed.complete(bytes);
                    return null;
                }
            }).get(5, java.util.concurrent.TimeUnit.SECONDS);
        byte[] sent = {0, 1, 2, (byte) 0xff, 42};

        socket.sendBinary(java.nio.ByteBuffer.wrap(sent), true).get(5, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(echoed.get(5, java.util.concurrent.TimeUnit.SECONDS)).containsExactly(sent);
        socket.sendClose(1000, "").get(5, java.util.concurrent.TimeUnit.SECONDS);
    }
}
