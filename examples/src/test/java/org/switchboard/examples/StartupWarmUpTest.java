package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

class StartupWarmUpTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyKindOfExchangeSucceedsWithTheThrowawayServer() {
        // HTTP/1.1, POST to the room, /metrics, WebSocket echo and close, h2c upgrade and stream 1, relay message and close.
        assertThat(StartupWarmUp.run()).isEqualTo(6);
    }

    @Test
    void SB6_theRealServerCountsNothingOfTheWarmUp() throws Exception {
        Server server = SampleServer.serve("--host", "127.0.0.1", "--port", "0", "--warm-up");
        try {
            String base = "http://127.0.0.1:" + ((NetworkConnector) server.getConnectors()[0]).getLocalPort();

            String health = get(base + "/health");
            String metrics = get(base + "/metrics");

            assertThat(health).as("no upgrade counted, no member in the room").contains("\"protocols\":{}").contains("\"roomMembers\":{}");
            assertThat(metrics).doesNotContain("switchboard_upgrade_requests_total{");
        } finally {
            server.stop();
        }
    }

    @Test
    void withoutTheOptionNoWarmUpRuns() throws Exception {
        SampleServer sample = new SampleServer();
        new picocli.CommandLine(sample).parseArgs("--port", "0");
        assertThat(sample.warmUp).isFalse();
        new picocli.CommandLine(sample).parseArgs("--port", "0", "--warm-up");
        assertThat(sample.warmUp).isTrue();
    }

    private String get(String uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
