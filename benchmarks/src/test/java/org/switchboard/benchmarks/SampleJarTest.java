package org.switchboard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/**
 * {@code java -jar examples/target/switchboard-sample.jar}, started from an unrelated folder, serves
 * the page and every protocol: its merged ServiceLoader files still name every provider (SB2), Jetty's
 * own services included.
 */
class SampleJarTest {

    private static final Path JAR = Path.of("../examples/target/switchboard-sample.jar");

    @Test
    void SB2_theRunnableJarServesEveryProtocolFromAnyFolder(@TempDir Path elsewhere) throws Exception {
        try (SampleProcess sample = SampleProcess.startJar(JAR, elsewhere, List.of())) {
            int port = sample.port();
            assertThat(String.join("\n", sample.output())).contains("upgrades to: websocket, h2c, relay, time");

            HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Switchboard chat</title>");

            // h2c: the JDK client upgrades its first request.
            HttpResponse<String> health = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);

            String websocket = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
            for (String[] upgrade : new String[][] {
                {websocket, "websocket"},
                {"GET /relay HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: relay/1\r\n\r\n", "relay/1"},
                {"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: time/1\r\n\r\n", "time/1"}}) {
                try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
                    RawResponse head = client.send(upgrade[0]).readHead();
                    assertThat(head.status()).as(upgrade[1]).isEqualTo(101);
                    assertThat(head.header("Upgrade")).isEqualTo(upgrade[1]);
                }
            }
        }
    }
}
