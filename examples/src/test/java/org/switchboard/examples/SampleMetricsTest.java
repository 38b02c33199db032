package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;
import org.switchboard.testing.RawHttp;

/**
 * SB6 for operators: {@code GET /metrics} of the running sample, after real upgrades to every
 * protocol it serves (WebSocket, h2c, relay, time/1), 426s, a rejection and a bad request, reads in
 * Prometheus' text format with Switchboard's series and their counts.
 */
class SampleMetricsTest {

    /** {@code name{labels} value}, as the Prometheus text format writes a sample. */
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    @RegisterExtension
    final RunningSample sample = new RunningSample();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private HttpResponse<String> scrape(String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sample.base().resolve("/metrics"));
        if (accept != null)
            request.header("Accept", accept);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Sample> samples() throws Exception {
        HttpResponse<String> metrics = scrape(null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        List<Sample> samples = new ArrayList<>();
        for (String line : metrics.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#"))
                continue;
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a sample line: %s", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find())
                    labels.put(label.group(1), label.group(2));
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return samples;
    }

    /** The value of the one sample named {@code name} whose labels include {@code labels}; 0 if none. */
    private static double value(List<Sample> samples, String name, String... labels) {
        double sum = 0;
        outer:
        for (Sample s : samples) {
            if (!s.name().equals(name))
                continue;
            for (int i = 0; i < labels.length; i += 2)
                if (!labels[i + 1].equals(s.labels().get(labels[i])))
                    continue outer;
            sum += s.value();
        }
        return sum;
    }

    @Test
    void SB6_everyProtocolsUpgradesAndRefusalsAreScrapedWithTheirCounts() throws Exception {
        TextSocket echo = TextSocket.open(URI.create("ws://127.0.0.1:" + sample.port() + "/echo"));
        echo.send("hello");
        assertThat(echo.next()).isEqualTo("hello");

        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        RelayClient relay = RelayClient.connect(sample.base().resolve("/relay"), new RelayListener() {
            @Override
            public void onText(RelaySession session, String text) {
                heard.add(text);
            }
        });
        relay.sendText("rita: counted");
        assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("rita: counted");

        H2SseClient h2c = H2SseClient.upgrade(sample.port(), 64 * 1024);
        assertThat(h2c.first().status.get(10, TimeUnit.SECONDS)).isEqualTo(200);

        RawHttp time = RawHttp.connect(sample.port());
        assertThat(time.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: time/1\r\n\r\n").readHead().status()).isEqualTo(101);
        assertThat(time.readText(21)).endsWith("Z\n");

        // While every upgraded connection is open, the gauge counts one of each.
        List<Sample> open = samples();
        for (String protocol : List.of("websocket", "relay", "h2c", "time"))
            assertThat(value(open, "switchboard_upgrade_open_connections", "protocol", protocol)).as(protocol).isEqualTo(1);

        assertThat(RawHttp.status(sample.port(), "GET /chat HTTP/1.1\r\nHost: t\r\n\r\n")).isEqualTo(426);
        assertThat(RawHttp.status(sample.port(), "GET /relay HTTP/1.1\r\nHost: t\r\n\r\n")).isEqualTo(426);
        assertThat(RawHttp.status(sample.port(), "GET /chat HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: too-short\r\n\r\n")).as("W3").isEqualTo(400);
        assertThat(RawHttp.status(sample.port(), "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: made-up-by-a-client\r\n\r\n")).isEqualTo(200);
        assertThat(RawHttp.status(sample.port(), "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: " + "x,".repeat(600) + "relay\r\n\r\n"))
            .as("SB5").isEqualTo(400);

        echo.close();
        relay.close();
        h2c.close();
        time.close();
        // The h2c connection's only stream is an endless event stream, which the server ends when its
        // next event cannot be written: one more message in the room.
        assertThat(http.send(HttpRequest.newBuilder(sample.base().resolve("/messages"))
            .POST(HttpRequest.BodyPublishers.ofString("ann: anyone there?")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(201);
        // Closed on the client's side; the server counts each connection closed when it sees that.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Sample> closed = samples();
            for (String protocol : List.of("websocket", "relay", "h2c", "time"))
                assertThat(value(closed, "switchboard_upgrade_open_connections", "protocol", protocol)).as(protocol).isZero();
        });

        List<Sample> samples = samples();
        for (String protocol : List.of("websocket", "relay", "h2c", "time")) {
            assertThat(value(samples, "switchboard_upgrade_requests_total", "protocol", protocol, "outcome", "upgraded", "status", "101"))
                .as(protocol).isEqualTo(1);
            assertThat(value(samples, "switchboard_upgrade_negotiation_seconds_count", "protocol", protocol, "outcome", "upgraded"))
                .as(protocol).isEqualTo(1);
        }
        assertThat(value(samples, "switchboard_upgrade_requests_total", "protocol", "none", "outcome", "upgrade_required", "status", "426"))
            .isEqualTo(2);
        assertThat(value(samples, "switchboard_upgrade_requests_total", "protocol", "websocket", "outcome", "rejected", "status", "400"))
            .isEqualTo(1);
        assertThat(value(samples, "switchboard_upgrade_requests_total", "protocol", "other", "outcome", "fallback", "status", "0"))
            .isEqualTo(1);
        assertThat(value(samples, "switchboard_upgrade_requests_total", "outcome", "bad_request", "status", "400")).isEqualTo(1);
        assertThat(value(samples, "switchboard_upgrade_negotiation_seconds_sum")).isNotNegative();
        assertThat(samples).filteredOn(s -> s.name().startsWith("switchboard_upgrade"))
            .extracting(s -> s.labels().get("protocol"))
            .as("never a name a client made up")
            .isSubsetOf("websocket", "relay", "h2c", "time", "none", "other");
    }

    @Test
    void SB6_theHealthPageCountsTheSameAsTheMetrics() throws Exception {
        assertThat(RawHttp.status(sample.port(), "GET /relay HTTP/1.1\r\nHost: t\r\n\r\n")).isEqualTo(426);

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(sample.base().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.body()).contains("\"none\":{\"open\":0,\"upgrades\":0,\"fallbacks\":0,\"upgradeRequired\":1");
        assertThat(value(samples(), "switchboard_upgrade_requests_total", "protocol", "none", "outcome", "upgrade_required")).isEqualTo(1);
    }

    @Test
    void theFormatFollowsTheScrapersAccept() throws Exception {
        // A series exists from the first request counted on.
        assertThat(RawHttp.status(sample.port(), "GET /chat HTTP/1.1\r\nHost: t\r\n\r\n")).isEqualTo(426);

        HttpResponse<String> text = scrape(null);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(text.body()).contains("# TYPE switchboard_upgrade_requests_total counter").doesNotContain("# EOF");

        HttpResponse<String> openMetrics = scrape("application/openmetrics-text; version=1.0.0; charset=utf-8,text/plain;version=0.0.4;q=0.5");
        assertThat(openMetrics.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text; version=1.0.0"));
        assertThat(openMetrics.body()).contains("# TYPE switchboard_upgrade_requests counter").endsWith("# EOF\n");
    }

    @Test
    void U7_metricsIsServedAsIfUpgradeWereAbsentAndNeverAsksForOne() throws Exception {
        try (RawHttp client = RawHttp.connect(sample.port())) {
            RawHttp.Response offered = client.send("GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: relay, time/1, websocket\r\n\r\n")
                .readResponse();
            assertThat(offered.status()).as("only h2c may switch here: the rest is served as without Upgrade").isEqualTo(200);
            assertThat(offered.body()).contains("switchboard_upgrade_requests_total{outcome=\"fallback\",protocol=\"relay\",status=\"0\"} 1.0");
        }
        try (RawHttp client = RawHttp.connect(sample.port())) {
            RawHttp.Response posted = client.send("POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n").readResponse();
            assertThat(posted.status()).isEqualTo(405);
            assertThat(posted.header("Allow")).isEqualTo("GET, HEAD");
        }
    }
}
