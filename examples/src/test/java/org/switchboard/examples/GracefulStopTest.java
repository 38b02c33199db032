package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.ReadLimits;

/**
 * Issue 13, item 3: a graceful stop delivers what the room accepted before it (every {@code POST
 * /messages} answered {@code 201}) to every SSE reader that keeps reading, within the stop timeout
 * (the sample's is 5 s), then ends each stream normally and, on HTTP/2, says GOAWAY without error
 * (H2: the connection's goodbye is the session's graceful shutdown, streams finish).
 */
class GracefulStopTest {

    private static final int MESSAGES = 150;
    /** Small enough that a reader that stops reading leaves most of the 150 events queued at the server. */
    private static final int SMALL_WINDOW = 1024;

    @RegisterExtension
    final RunningSample sample = new RunningSample();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @DisplayName("issue 13 item 3 (a), H2: an h2c-upgraded SSE reader that paused gets all 150 accepted events at a graceful stop, then END_STREAM and GOAWAY")
    void issue13_3a_h2cUpgradePausedReaderGetsEveryAcceptedEvent() throws Exception {
        try (H2SseClient sse = H2SseClient.upgrade(sample.port(), SMALL_WINDOW)) {
            pausedReaderGetsEveryAcceptedEvent(sse, sse.first());
        }
    }

    @Test
    @DisplayName("issue 13 item 3 (a): a prior-knowledge HTTP/2 SSE reader that paused gets all 150 accepted events at a graceful stop, then END_STREAM and GOAWAY")
    void issue13_3a_priorKnowledgePausedReaderGetsEveryAcceptedEvent() throws Exception {
        try (H2SseClient sse = H2SseClient.priorKnowledge(sample.port(), SMALL_WINDOW)) {
            pausedReaderGetsEveryAcceptedEvent(sse, sse.open());
        }
    }

    private void pausedReaderGetsEveryAcceptedEvent(H2SseClient sse, H2SseClient.Reader reader) throws Exception {
        assertThat(reader.status.get(5, TimeUnit.SECONDS)).isEqualTo(200);
        await(() -> reader.text().contains(": joined the room"), "the stream's first comment");
        reader.pause();
        List<String> sent = postMessages();
        assertThat(reader.events()).as("events past the paused reader's window").hasSizeLessThan(MESSAGES);

        CompletableFuture<Void> stopped = stopInBackground();
        await(() -> !sse.goAways().isEmpty(), "a GOAWAY as the stop begins");
        reader.resume();

        reader.ended.get(10, TimeUnit.SECONDS); // END_STREAM; a reset fails here
        assertThat(texts(reader.events())).containsExactlyElementsOf(sent);
        stopped.get(15, TimeUnit.SECONDS);
        assertGoAwayWithoutError(sse, reader.stream.getId());
    }

    @Test
    @DisplayName("issue 13 item 3 (b), H2: 50 concurrent HTTP/2 SSE streams (h2c upgrade and prior knowledge) all end with END_STREAM at a graceful stop, none reset")
    void issue13_3b_fiftyConcurrentStreamsAllEndNormally() throws Exception {
        try (H2SseClient upgraded = H2SseClient.upgrade(sample.port(), 64 * 1024);
             H2SseClient prior = H2SseClient.priorKnowledge(sample.port(), 64 * 1024)) {
            List<H2SseClient.Reader> readers = new ArrayList<>();
            readers.add(upgraded.first());
            for (int i = 1; i < 25; i++)
                readers.add(upgraded.open());
            for (int i = 0; i < 25; i++)
                readers.add(prior.open());
            for (H2SseClient.Reader reader : readers)
                await(() -> reader.text().contains(": joined the room"), "every stream's first comment");
            List<String> sent = new ArrayList<>();
            // Large messages (4,000 characters, 50 streams on two connections): every reader keeps
            // reading, yet the last events are still being written as the stop begins.
            // Posted from several threads at once, so that deliveries bunch up at the end.
            List<CompletableFuture<String>> posts = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String text = "m" + i + " " + "x".repeat(3_996);
                posts.add(CompletableFuture.supplyAsync(() -> post(text)));
            }
            for (CompletableFuture<String> post : posts)
                sent.add(post.get(30, TimeUnit.SECONDS));

            CompletableFuture<Void> stopped = stopInBackground();

            List<String> reset = new ArrayList<>();
            List<String> incomplete = new ArrayList<>();
            for (H2SseClient.Reader reader : readers) {
                try {
                    reader.ended.get(10, TimeUnit.SECONDS);
                } catch (Exception x) {
                    reset.add(reader.stream.getId() + ": " + x.getCause());
                }
                List<String> received = texts(reader.events());
                long missing = sent.stream().filter(text -> !received.contains(text)).count();
                if (missing > 0 || received.size() != sent.size())
                    incomplete.add("stream " + reader.stream.getId() + ": " + received.size() + " events, " + missing + " missing");
            }
            assertThat(reset).as("streams that did not end with END_STREAM").isEmpty();
            assertThat(incomplete).as("streams that missed accepted events").isEmpty();
            stopped.get(15, TimeUnit.SECONDS);
            assertGoAwayWithoutError(upgraded, 49);
            assertGoAwayWithoutError(prior, 49);
        }
    }

    @Test
    @DisplayName("issue 13 item 3 (c): an HTTP/1.1 SSE reader that paused gets all 150 accepted events at a graceful stop, then the last chunk")
    void issue13_3c_http1PausedReaderGetsEveryAcceptedEvent() throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(2048); // before connecting, so that the window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", sample.port()), 5_000);
        try (RawUpgradeClient client = RawUpgradeClient.over(socket, ReadLimits.DEFAULT.withTimeout(Duration.ofSeconds(30)))) {
            client.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            await(this::roomHasSseReader, "the reader in the room");
            List<String> sent = postMessages(); // not a byte read yet

            CompletableFuture<Void> stopped = stopInBackground();
            RawResponse response = client.readResponse(); // chunked: fails at EOF before the last chunk
            assertThat(response.status()).isEqualTo(200);
            String body = response.body();
            List<String> events = new ArrayList<>();
            for (String line : body.split("\n"))
                if (line.startsWith("data: "))
                    events.add(line.substring("data: ".length()));
            assertThat(texts(events)).containsExactlyElementsOf(sent);
            stopped.get(15, TimeUnit.SECONDS);
        }
    }

    private boolean roomHasSseReader() {
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sample.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
            return health.body().contains("\"sse-http1\":1");
        } catch (IOException | InterruptedException x) {
            throw new IllegalStateException(x);
        }
    }

    private List<String> postMessages() {
        return IntStream.range(0, MESSAGES).mapToObj(i -> post("m" + i)).toList();
    }

    /** Posts {@code text} as tess; the room accepted it: 201. */
    private String post(String text) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sample.port() + "/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("tess: " + text)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("POST /messages " + text.split(" ")[0]).isEqualTo(201);
            return text;
        } catch (IOException | InterruptedException x) {
            throw new IllegalStateException(x);
        }
    }

    private CompletableFuture<Void> stopInBackground() {
        return CompletableFuture.runAsync(() -> {
            try {
                sample.server().stop();
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        });
    }

    private static void assertGoAwayWithoutError(H2SseClient sse, int lastStreamAtLeast) throws Exception {
        sse.closed().get(10, TimeUnit.SECONDS);
        List<GoAwayFrame> goAways = sse.goAways();
        assertThat(goAways).isNotEmpty();
        assertThat(goAways).allSatisfy(goAway -> assertThat(goAway.getError()).isEqualTo(ErrorCode.NO_ERROR.code));
        assertThat(goAways.get(goAways.size() - 1).getLastStreamId()).isGreaterThanOrEqualTo(lastStreamAtLeast);
    }

    private static List<String> texts(List<String> events) {
        return events.stream().map(event -> {
            try {
                return Json.MAPPER.readTree(event).path("text").asText();
            } catch (IOException x) {
                throw new IllegalStateException(x);
            }
        }).toList();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }
}
