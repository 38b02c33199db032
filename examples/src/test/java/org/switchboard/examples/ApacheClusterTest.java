package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/**
 * Two instances of the sample behind Debian's Apache httpd running
 * {@code examples/deploy/apache-cluster.conf}: the contract every load balancer keeps (WebSocket and
 * relay, one offer per request; {@code bybusyness} spreads the connections; a stopped instance gets
 * none), and what does not pass, as the file says: an offer list, and h2c.
 */
class ApacheClusterTest extends ClusterProxyContract {

    @Override
    ReverseProxy start(int first, int second, Path workDir) throws Exception {
        return ReverseProxy.apacheCluster(first, second, workDir);
    }

    @Test
    void U2_anOfferListGets502FromHttpdThoughTheInstanceSwitched() throws Exception {
        proxy();

        try (RawUpgradeClient client = RawUpgradeClient.connect(proxy.port())) {
            RawResponse response = client.send("GET /relay HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: relay/2, relay/1\r\n\r\n")
                .readResponse();

            assertThat(response.status()).isEqualTo(502);
        }
        assertThat(a.upgrades("relay") + b.upgrades("relay")).isEqualTo(1);
        assertThat(proxy.output()).contains("Unexpected Upgrade: relay/2 (expecting relay/2, relay/1)");
    }

    @Test
    void H1_h2cDoesNotPassHttpdTheRequestIsAnsweredOverHttp11() throws Exception {
        proxy();
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        HttpResponse<String> health = h2.send(HttpRequest.newBuilder(uri("http", "/health")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(a.upgrades("h2c") + b.upgrades("h2c")).isZero();
    }
}
