package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/** The sample behind a real nginx running {@code examples/deploy/nginx.conf}. */
class NginxProxyTest {

    @TempDir
    Path workDir;

    private Server server;
    private ReverseProxy nginx;

    @BeforeEach
    void start() throws Exception {
        server = SampleServer.start("127.0.0.1", 0);
        nginx = ReverseProxy.nginx(((NetworkConnector) server.getConnectors()[0]).getLocalPort(), workDir);
    }

    @AfterEach
    void stop() throws Exception {
        nginx.close();
        server.stop();
    }

    @Test
    void U7_aPlainRequestPassesThroughTheProxy() throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(nginx.port())) {
            RawResponse page = client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("Switchboard chat");
        }
    }

    @Test
    void U4_anUpgradeToTheTimePluginWorksThroughTheProxy() throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(nginx.port())) {
            RawResponse head = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: time/1\r\n\r\n").readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("time/1");
            assertThat(client.readText(21)).endsWith("Z\n");
        }
    }

    @Test
    void W2_aWebSocketEchoWorksThroughTheProxy() throws Exception {
        TextSocket echo = TextSocket.open(java.net.URI.create("ws://127.0.0.1:" + nginx.port() + "/echo"));

        echo.send("through nginx");

        assertThat(echo.next()).isEqualTo("through nginx");
        echo.close();
    }

    @Test
    void SB4_aRelaySessionWorksThroughTheProxy() throws Exception {
        java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        try (org.switchboard.relay.RelayClient relay = org.switchboard.relay.RelayClient.connect(
            java.net.URI.create("http://127.0.0.1:" + nginx.port() + "/relay"), new org.switchboard.relay.RelayListener() {
                @Override
                public void onText(org.switchboard.relay.RelaySession session, String text) {
                    received.add(text);
                }
            })) {
            assertThat(relay.protocol()).isEqualTo("relay/2");

            relay.sendText("rita: through nginx");

            assertThat(received.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("rita: through nginx");
            assertThat(relay.ping()).succeedsWithin(java.time.Duration.ofSeconds(10));
        }
    }

    @Test
    void H1_H2_anH2cUpgradeWorksThroughTheProxy() throws Exception {
        java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();

        java.net.http.HttpResponse<String> health = h2.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + nginx.port() + "/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
        assertThat(health.body()).contains("\"h2c\"");
    }
}
