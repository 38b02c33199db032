package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.relay.RelayClient;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/**
 * Two instances of the sample behind Debian's Apache httpd running
 * {@code examples/deploy/apache-cluster.conf}: WebSocket and relay pass (one offer per request),
 * {@code bybusyness} spreads the connections, a stopped instance gets no new ones — and what does
 * not pass, as the file says: an offer list, and h2c.
 */
class ApacheClusterTest {

    @RegisterExtension
    final RunningSample a = new RunningSample();

    @RegisterExtension
    final RunningSample b = new RunningSample();

    @TempDir
    Path workDir;

    private ReverseProxy httpd;

    @AfterEach
    void stopHttpd() {
        if (httpd != null)
            httpd.close();
    }

    @Test
    void W2_webSocketsUpgradeThroughHttpdOnePerInstance() throws Exception {
        httpd = ReverseProxy.apacheCluster(a.port(), b.port(), workDir);

        TextSocket first = TextSocket.open(URI.create("ws://127.0.0.1:" + httpd.port() + "/echo"));
        TextSocket second = TextSocket.open(URI.create("ws://127.0.0.1:" + httpd.port() + "/echo"));
        first.send("to one");
        second.send("to the other");

        assertThat(first.next()).isEqualTo("to one");
        assertThat(second.next()).isEqualTo("to the other");
        // bybusyness: an upgraded connection keeps its member busy, so the second goes to the other.
        assertThat(a.open("websocket")).isEqualTo(1);
        assertThat(b.open("websocket")).isEqualTo(1);
        first.close();
        second.close();
    }

    @Test
    void SB4_relayOfferingOneVersionUpgradesThroughHttpd() throws Exception {
        httpd = ReverseProxy.apacheCluster(a.port(), b.port(), workDir);
        URI relay = URI.create("http://127.0.0.1:" + httpd.port() + "/relay");
        RelayInbox heard2 = new RelayInbox();
        RelayInbox heard1 = new RelayInbox();

        try (RelayClient two = RelayClient.connect(relay, heard2, 2);
             RelayClient one = RelayClient.connect(relay, heard1, 1)) {
            assertThat(two.protocol()).isEqualTo("relay/2");
            assertThat(one.protocol()).isEqualTo("relay/1");
            two.sendText("rita: relay/2 through httpd");
            one.sendText("otto: relay/1 through httpd");

            assertThat(heard2.next()).isEqualTo("rita: relay/2 through httpd");
            assertThat(heard1.next()).isEqualTo("otto: relay/1 through httpd");
            assertThat(two.ping()).succeedsWithin(RelayInbox.BOUND);
        }
    }

    @Test
    void U2_anOfferListGets502FromHttpdThoughTheInstanceSwitched() throws Exception {
        httpd = ReverseProxy.apacheCluster(a.port(), b.port(), workDir);

        try (RawUpgradeClient client = RawUpgradeClient.connect(httpd.port())) {
            RawResponse response = client.send("GET /relay HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: relay/2, relay/1\r\n\r\n")
                .readResponse();

            assertThat(response.status()).isEqualTo(502);
        }
        assertThat(a.upgrades("relay") + b.upgrades("relay")).isEqualTo(1);
        assertThat(httpd.output()).contains("Unexpected Upgrade: relay/2 (expecting relay/2, relay/1)");
    }

    @Test
    void H1_h2cDoesNotPassHttpdTheRequestIsAnsweredOverHttp11() throws Exception {
        httpd = ReverseProxy.apacheCluster(a.port(), b.port(), workDir);
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        HttpResponse<String> health = h2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpd.port() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(a.upgrades("h2c") + b.upgrades("h2c")).isZero();
    }

    @Test
    void anInstanceStoppedGetsNoNewConnectionsTheOtherTakesThemAll() throws Exception {
        httpd = ReverseProxy.apacheCluster(a.port(), b.port(), workDir);
        a.server().stop();

        for (int i = 0; i < 4; i++) {
            TextSocket echo = TextSocket.open(URI.create("ws://127.0.0.1:" + httpd.port() + "/echo"));
            echo.send("echo " + i);
            assertThat(echo.next()).isEqualTo("echo " + i);
            echo.close();

            RelayInbox heard = new RelayInbox();
            try (RelayClient relay = RelayClient.connect(URI.create("http://127.0.0.1:" + httpd.port() + "/relay"), heard, 2)) {
                relay.sendText("rita: relay " + i);
                assertThat(heard.next()).isEqualTo("rita: relay " + i);
            }
        }
        assertThat(b.upgrades("websocket")).isEqualTo(4);
        assertThat(b.upgrades("relay")).isEqualTo(4);
    }
}
