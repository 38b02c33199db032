package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;
import org.switchboard.testing.RedisServer;
import org.switchboard.testing.TcpProxy;

/**
 * Two sample instances (A and B, in this JVM) on one real redis-server: one room, one order, on
 * every protocol of both; SSE resumes on either with {@code Last-Event-ID} or is told to reset;
 * Redis going away and coming back. Every wait is bounded ({@value #WAIT_SECONDS} s); nothing is timed.
 */
class RoomOnRedisTest {

    static final int WAIT_SECONDS = 20;

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--)
            toClose.get(i).close();
    }

    /** A sample instance on the room {@code room} of {@code redisUri}. */
    private Sample sample(String redisUri, String room, int history) throws Exception {
        Server server = SampleServer.start("127.0.0.1", 0, RoomOptions.DEFAULT.onRedis(redisUri).named(room).withHistory(history));
        Sample sample = new Sample(server);
        toClose.add(server::stop);
        return sample;
    }

    private String newRoom() {
        return redis.newRoom();
    }

    record Sample(Server server) {
        int port() {
            return ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }
    }

    @Test
    void aMessageFromEachProtocolOnAReachesEveryProtocolOnBInTheSameOrderAsOnA() throws Exception {
        String room = newRoom();
        Sample a = sample(redis.uri(), room, 100);
        Sample b = sample(redis.uri(), room, 100);
        TextSocket webSocketOnA = webSocket(a, "");
        Lines relayOnA = relay1(a);
        Lines relay2OnA = relay(a, 2);
        TextSocket webSocketOnB = webSocket(b, "");
        Lines relayOnB = relay1(b);
        Lines relay2OnB = relay(b, 2);
        SseReader sseOnB = sse(b, null);

        webSocketOnA.send("{\"sender\":\"wendy\",\"text\":\"from websocket\"}");
        relayOnA.client.sendText("rita: from relay/1");
        relay2OnA.client.sendText("ria: from relay/2");
        assertThat(post(a, "pat: from post").statusCode()).isEqualTo(201);

        List<String> onA = texts(webSocketOnA, 4);
        assertThat(onA).containsExactlyInAnyOrder("from websocket", "from relay/1", "from relay/2", "from post");
        assertThat(texts(webSocketOnB, 4)).as("websocket on B").containsExactlyElementsOf(onA);
        assertThat(relayOnA.next(4)).as("relay/1 on A").containsExactlyElementsOf(lines(onA));
        assertThat(relayOnB.next(4)).as("relay/1 on B").containsExactlyElementsOf(lines(onA));
        assertThat(relay2OnA.next(4)).as("relay/2 on A").containsExactlyElementsOf(lines(onA));
        assertThat(relay2OnB.next(4)).as("relay/2 on B").containsExactlyElementsOf(lines(onA));
        List<String> sseTexts = new ArrayList<>();
        for (int i = 0; i < 4; i++)
            sseTexts.add(sseOnB.next().json().path("text").asText());
        assertThat(sseTexts).as("SSE on B").containsExactlyElementsOf(onA);
    }

    private static List<String> lines(List<String> texts) {
        return texts.stream().map(text -> switch (text) {
            case "from websocket" -> "wendy: " + text;
            case "from relay/1" -> "rita: " + text;
            case "from relay/2" -> "ria: " + text;
            default -> "pat: " + text;
        }).toList();
    }

    @Test
    void postAnswers201WithTheIdAndSseEventsCarryIt() throws Exception {
        Sample a = sample(redis.uri(), newRoom(), 100);
        SseReader sse = sse(a, null);

        HttpResponse<String> posted = post(a, "pat: hello");

        assertThat(posted.statusCode()).isEqualTo(201);
        JsonNode stored = Json.MAPPER.readTree(posted.body());
        assertThat(RoomPosition.parse(stored.path("id").asText())).isPresent();
        SseEvents.Event event = sse.next();
        assertThat(event.id()).isEqualTo(stored.path("id").asText());
        assertThat(event.json().path("id").asText()).isEqualTo(stored.path("id").asText());
    }

    @Test
    void aRedisThatStopsAnsweringIs503AfterTheCommandTimeout_andTheRefusedMessageIsNotStoredAfterwards() throws Exception {
        try (TcpProxy toRedis = TcpProxy.start(redis.port())) {
            Instances ab = instancesWithBThrough(toRedis);
            SseReader onA = sse(ab.a(), null);

            toRedis.pause();
            HttpResponse<String> refused = post(ab.b(), "pat: unanswered");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();

            toRedis.refuse();   // the held bytes are dropped with the connections
            toRedis.restore();
            awaitTrue("B's /health says redis is up", () -> health(ab.b()).statusCode() == 200);
            postUntilStored(ab.b(), "pat: answered");
            assertThat(onA.next().json().path("text").asText()).as("the refused message was never stored").isEqualTo("answered");
        }
    }

    @Test
    void sseResumesOnBWithAnIdSeenOnA_missedFirstThenLiveWithNoGapOrDuplicate() throws Exception {
        String room = newRoom();
        Sample a = sample(redis.uri(), room, 100);
        Sample b = sample(redis.uri(), room, 100);
        SseReader onA = sse(a, null);
        post(a, "m1");
        post(a, "m2");
        String seen = onA.next().id();
        assertThat(onA.next().json().path("text").asText()).isEqualTo("m2");
        onA.close();
        post(a, "m3");
        post(a, "m4");

        SseReader onB = sse(b, seen);
        post(b, "m5");

        List<String> texts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SseEvents.Event event = onB.next();
            assertThat(event.type()).isEqualTo("message");
            texts.add(event.json().path("text").asText());
            ids.add(event.id());
        }
        assertThat(texts).containsExactly("m2", "m3", "m4", "m5");
        assertThat(ids.stream().map(id -> RoomPosition.parse(id).orElseThrow()).toList()).isSorted().doesNotHaveDuplicates();
        post(b, "m6");
        assertThat(onB.next().json().path("text").asText()).as("no duplicate after the replay").isEqualTo("m6");
    }

    @Test
    void aTrimmedPositionGetsAResetEventThenLiveMessages() throws Exception {
        Sample a = sample(redis.uri(), newRoom(), 5);
        String first = Json.MAPPER.readTree(post(a, "first").body()).path("id").asText();
        // MAXLEN ~ 5 trims whole stream nodes (100 entries each by default): post past a few.
        for (int i = 0; i < 300; i++)
            assertThat(post(a, "m" + i).statusCode()).isEqualTo(201);

        SseReader resumed = sse(a, first);
        SseEvents.Event reset = resumed.next();
        assertThat(reset.type()).isEqualTo("reset");
        assertThat(reset.json().path("reason").asText()).contains("trimmed");
        post(a, "live");
        // After a reset the stream goes on from where this instance's reader is: if it was still
        // delivering the last of the 300, those come first, in order, each once.
        RoomPosition previous = null;
        SseEvents.Event event;
        do {
            event = resumed.next();
            RoomPosition position = RoomPosition.parse(event.id()).orElseThrow();
            assertThat(position.isAfter(previous)).as("in order, none twice").isTrue();
            previous = position;
        } while (!event.json().path("text").asText().equals("live"));
    }

    @Test
    void aMalformedLastEventIdGetsAResetEvent() throws Exception {
        Sample a = sample(redis.uri(), newRoom(), 100);
        SseReader resumed = sse(a, "not-a-position\u00e9");
        assertThat(resumed.next().type()).isEqualTo("reset");
        post(a, "live");
        assertThat(resumed.next().json().path("text").asText()).isEqualTo("live");
    }

    @Test
    void webSocketReconnectingWithAfterGetsWhatItMissed() throws Exception {
        String room = newRoom();
        Sample a = sample(redis.uri(), room, 100);
        Sample b = sample(redis.uri(), room, 100);
        String seen = Json.MAPPER.readTree(post(a, "m1").body()).path("id").asText();
        post(a, "m2");
        post(a, "m3");

        TextSocket resumed = webSocket(b, "?after=" + seen);
        post(b, "m4");
        assertThat(texts(resumed, 3)).containsExactly("m2", "m3", "m4");

        TextSocket reset = webSocket(b, "?after=gone");
        assertThat(Json.MAPPER.readTree(reset.next()).path("event").asText()).isEqualTo("reset");
    }

    @Test
    void redisStopped_healthSaysDownPostsAre503WithRetryAfterMembersAreToldAndStayConnected_thenItAllWorksAgain() throws Exception {
        // A Redis of its own: stopping it must not disturb the other tests.
        RedisServer own = RedisServer.start();
        toClose.add(own);   // closed after the instances on it
        String room = newRoom();
        Sample a = sample(own.uri(), room, 100);
        Sample b = sample(own.uri(), room, 100);
        TextSocket webSocketOnA = webSocket(a, "");
        Lines relayOnA = relay1(a);
        SseReader sseOnA = sse(a, null);
        TextSocket webSocketOnB = webSocket(b, "");

        own.stop();

        awaitTrue("A's /health says redis is down", () -> health(a).statusCode() == 503);
        HttpResponse<String> health = health(a);
        assertThat(Json.MAPPER.readTree(health.body()).path("room").asText()).isEqualTo("redis: down");
        assertThat(Json.MAPPER.readTree(health.body()).path("status").asText()).isEqualTo("down");
        assertThat(health.headers().firstValue("Retry-After")).as("a 503 says when to come back").hasValue("5");
        HttpResponse<String> refused = post(a, "pat: lost?");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains(Integer.toString(MessagesHandler.RETRY_AFTER_SECONDS));
        assertThat(refused.body()).startsWith("the message was not stored: redis: down").doesNotContain("\n\n").hasLineCount(1);

        webSocketOnA.send("{\"sender\":\"wendy\",\"text\":\"lost?\"}");
        JsonNode refusal = Json.MAPPER.readTree(webSocketOnA.next());
        assertThat(refusal.path("event").asText()).isEqualTo("refused");
        assertThat(refusal.path("text").asText()).isEqualTo("lost?");
        relayOnA.client.sendText("rita: lost?");
        assertThat(relayOnA.next(1).get(0)).startsWith("* not sent: redis: down");

        own.restart();

        awaitTrue("A's /health says redis is up", () -> health(a).statusCode() == 200);
        awaitTrue("B's /health says redis is up", () -> health(b).statusCode() == 200);
        assertThat(post(a, "pat: back").statusCode()).isEqualTo(201);
        // The same connections, open all along, hear the room again.
        assertThat(texts(webSocketOnA, 1)).containsExactly("back");
        assertThat(relayOnA.next(1)).containsExactly("pat: back");
        assertThat(sseOnA.next().json().path("text").asText()).isEqualTo("back");
        assertThat(texts(webSocketOnB, 1)).containsExactly("back");
    }

    @Test
    void aRedisRestartedWithoutItsDataIsANewEpoch_anOldIdGetsAReset() throws Exception {
        RedisServer own = RedisServer.start();
        toClose.add(own);   // closed after the instances on it
        Sample a = sample(own.uri(), newRoom(), 100);
        String before = Json.MAPPER.readTree(post(a, "before").body()).path("id").asText();

        own.stop();
        own.restart();
        awaitTrue("A's /health says redis is up", () -> health(a).statusCode() == 200);

        HttpResponse<String> after = postUntilStored(a, "after");
        String afterId = Json.MAPPER.readTree(after.body()).path("id").asText();
        assertThat(RoomPosition.parse(afterId).orElseThrow().epoch()).isNotEqualTo(RoomPosition.parse(before).orElseThrow().epoch());

        SseReader resumed = sse(a, before);
        SseEvents.Event reset = resumed.next();
        assertThat(reset.type()).isEqualTo("reset");
        assertThat(reset.json().path("reason").asText()).contains("epoch");
        SseReader fromNewEpoch = sse(a, afterId);
        post(a, "later");
        assertThat(fromNewEpoch.next().json().path("text").asText()).isEqualTo("later");
    }

    @Test
    void anInstanceCutOffFromRedisReadsOnFromItsLastId_whatOthersPostedMeanwhileArrivesOnceInOrder() throws Exception {
        try (TcpProxy toRedis = TcpProxy.start(redis.port())) {
            Instances ab = instancesWithBThrough(toRedis);
            TextSocket webSocketOnB = webSocket(ab.b(), "");
            SseReader sseOnB = sse(ab.b(), null);
            post(ab.a(), "m1");
            assertThat(texts(webSocketOnB, 1)).containsExactly("m1");
            assertThat(sseOnB.next().json().path("text").asText()).isEqualTo("m1");

            toRedis.refuse();
            awaitTrue("B's /health says redis is down", () -> health(ab.b()).statusCode() == 503);
            for (String text : List.of("m2", "m3", "m4"))
                assertThat(post(ab.a(), text).statusCode()).as("A still has Redis").isEqualTo(201);
            assertThat(post(ab.b(), "not stored").statusCode()).isEqualTo(503);

            toRedis.restore();
            awaitTrue("B's /health says redis is up", () -> health(ab.b()).statusCode() == 200);
            post(ab.a(), "m5");
            assertThat(texts(webSocketOnB, 4)).containsExactly("m2", "m3", "m4", "m5");
            List<String> sse = new ArrayList<>();
            for (int i = 0; i < 4; i++)
                sse.add(sseOnB.next().json().path("text").asText());
            assertThat(sse).containsExactly("m2", "m3", "m4", "m5");
        }
    }

    /** Sample instances A and B on one room. */
    private record Instances(Sample a, Sample b) {
    }

    /** A and B on a new room, B reaching Redis through {@code proxy}. */
    private Instances instancesWithBThrough(TcpProxy proxy) throws Exception {
        String room = newRoom();
        return new Instances(sample(redis.uri(), room, 100), sample("redis://127.0.0.1:" + proxy.port(), room, 100));
    }

    // --- clients ---

    private TextSocket webSocket(Sample sample, String query) throws Exception {
        TextSocket socket = TextSocket.open(URI.create("ws://127.0.0.1:" + sample.port() + "/chat" + query), "superchat");
        toClose.add(() -> {
            try {
                socket.close();
            } catch (Exception x) {
                // closed by the server already
            }
        });
        return socket;
    }

    /** The texts of the next {@code count} room messages a superchat socket receives. */
    private static List<String> texts(TextSocket socket, int count) throws Exception {
        List<String> texts = new ArrayList<>();
        while (texts.size() < count) {
            String next = socket.next();
            assertThat(next).as("message " + (texts.size() + 1) + " of " + count).isNotNull();
            JsonNode json = Json.MAPPER.readTree(next);
            assertThat(json.has("event")).as(next).isFalse();
            assertThat(RoomPosition.parse(json.path("id").asText())).as("a room message carries its id: " + next).isPresent();
            texts.add(json.path("text").asText());
        }
        return texts;
    }

    /** A relay/1 client and the lines it receives. */
    private record Lines(RelayClient client, BlockingQueue<String> received) {
        List<String> next(int count) throws InterruptedException {
            List<String> lines = new ArrayList<>();
            while (lines.size() < count) {
                String line = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(line).as("relay line " + (lines.size() + 1) + " of " + count).isNotNull();
                lines.add(line);
            }
            return lines;
        }
    }

    private Lines relay1(Sample sample) throws IOException {
        return relay(sample, 1);
    }

    private Lines relay(Sample sample, int version) throws IOException {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        RelayClient client = RelayClient.connect(sample.uri("/relay"), new RelayListener() {
            @Override
            public void onText(RelaySession session, String text) {
                received.add(text);
            }
        }, version);
        assertThat(client.protocol()).isEqualTo("relay/" + version);
        toClose.add(client::close);
        return new Lines(client, received);
    }

    /** A server-sent events reader of {@code /events}, resuming after {@code lastEventId} if not null. */
    private SseReader sse(Sample sample, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sample.uri("/events"));
        if (lastEventId != null)
            request.header("Last-Event-ID", lastEventId);
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        SseReader reader = new SseReader(response.body());
        toClose.add(reader);
        return reader;
    }

    /** Reads events on a thread of its own, so that each wait for one is bounded. */
    static final class SseReader implements AutoCloseable {
        private final InputStream body;
        private final BlockingQueue<SseEvents.Event> events = new LinkedBlockingQueue<>();

        SseReader(InputStream body) {
            this.body = body;
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            Thread reader = new Thread(() -> {
                try {
                    SseEvents.Event event;
                    while ((event = SseEvents.nextEvent(lines)) != null)
                        events.add(event);
                } catch (IOException x) {
                    // closed
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        SseEvents.Event next() throws InterruptedException {
            SseEvents.Event event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(event).as("an SSE event within " + WAIT_SECONDS + " s").isNotNull();
            return event;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private HttpResponse<String> post(Sample sample, String line) throws Exception {
        return http.send(HttpRequest.newBuilder(sample.uri("/messages")).POST(HttpRequest.BodyPublishers.ofString(line)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /**
     * POSTs {@code line} until it is stored (201), as a client does with a 503's Retry-After: right after
     * Redis comes back, /health can still say up for a connection that was just cut, until Lettuce notices,
     * and a POST meanwhile is refused (503, not stored).
     */
    private HttpResponse<String> postUntilStored(Sample sample, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            HttpResponse<String> response = post(sample, line);
            if (response.statusCode() == 201)
                return response;
            assertThat(response.statusCode()).as("refused, not failed").isEqualTo(503);
            assertThat(System.nanoTime() < deadline).as("stored within " + WAIT_SECONDS + " s").isTrue();
            Thread.sleep(50);
        }
    }

    private HttpResponse<String> health(Sample sample) {
        try {
            return http.send(HttpRequest.newBuilder(sample.uri("/health")).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception x) {
            throw new AssertionError(x);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what + " within " + WAIT_SECONDS + " s").isTrue();
            Thread.sleep(50);
        }
    }
}
