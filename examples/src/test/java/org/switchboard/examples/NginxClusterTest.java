package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.relay.RelayClient;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/**
 * Two instances of the sample (each with its own in-memory room: these tests are about routing)
 * behind a real nginx running {@code examples/deploy/nginx-cluster.conf}: every protocol upgrades
 * through it, {@code least_conn} spreads the connections, a stopped instance gets no new ones, and
 * a POST is never passed to a second instance once the first may have stored it.
 */
class NginxClusterTest {

    @RegisterExtension
    final RunningSample a = new RunningSample();

    @RegisterExtension
    final RunningSample b = new RunningSample();

    @TempDir
    Path workDir;

    // HTTP/1.1: the JDK client would otherwise try h2c, and count in the instances' h2c upgrades.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ReverseProxy nginx;

    @AfterEach
    void stopNginx() {
        if (nginx != null)
            nginx.close();
    }

    @Test
    void W2_webSocketsUpgradeThroughTheClusterOnePerInstance() throws Exception {
        nginx = ReverseProxy.nginxCluster(a.port(), b.port(), workDir);

        TextSocket first = TextSocket.open(URI.create("ws://127.0.0.1:" + nginx.port() + "/echo"));
        TextSocket second = TextSocket.open(URI.create("ws://127.0.0.1:" + nginx.port() + "/echo"));
        first.send("to one");
        second.send("to the other");

        assertThat(first.next()).isEqualTo("to one");
        assertThat(second.next()).isEqualTo("to the other");
        // least_conn: the second connection goes to the instance that has none.
        assertThat(a.open("websocket")).isEqualTo(1);
        assertThat(b.open("websocket")).isEqualTo(1);
        first.close();
        second.close();
    }

    @Test
    void SB4_relay2AndRelay1UpgradeThroughTheClusterOnePerInstance() throws Exception {
        nginx = ReverseProxy.nginxCluster(a.port(), b.port(), workDir);
        URI relay = URI.create("http://127.0.0.1:" + nginx.port() + "/relay");
        RelayInbox heard2 = new RelayInbox();
        RelayInbox heard1 = new RelayInbox();

        try (RelayClient two = RelayClient.connect(relay, heard2, 2, 1);
             RelayClient one = RelayClient.connect(relay, heard1, 1)) {
            assertThat(two.protocol()).isEqualTo("relay/2");
            assertThat(one.protocol()).isEqualTo("relay/1");
            two.sendText("rita: relay/2 through the cluster");
            one.sendText("otto: relay/1 through the cluster");

            assertThat(heard2.next()).isEqualTo("rita: relay/2 through the cluster");
            assertThat(heard1.next()).isEqualTo("otto: relay/1 through the cluster");
            assertThat(a.open("relay")).isEqualTo(1);
            assertThat(b.open("relay")).isEqualTo(1);
        }
    }

    @Test
    void H1_H2_h2cUpgradesThroughTheClusterKeepingHttp2Settings() throws Exception {
        nginx = ReverseProxy.nginxCluster(a.port(), b.port(), workDir);

        for (int i = 0; i < 2; i++) {
            // A client of its own each time: a new connection, so a new h2c upgrade.
            HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> health = h2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
        assertThat(a.upgrades("h2c") + b.upgrades("h2c")).isEqualTo(2);
    }

    @Test
    void U4_time1UpgradesThroughTheCluster() throws Exception {
        nginx = ReverseProxy.nginxCluster(a.port(), b.port(), workDir);

        try (RawUpgradeClient client = RawUpgradeClient.connect(nginx.port())) {
            RawResponse head = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: time/1\r\n\r\n").readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(client.readText(21)).endsWith("Z\n");
        }
    }

    @Test
    void anInstanceStoppedGetsNoNewConnectionsTheOtherTakesThemAll() throws Exception {
        nginx = ReverseProxy.nginxCluster(a.port(), b.port(), workDir);
        a.server().stop();

        for (int i = 0; i < 4; i++) {
            TextSocket echo = TextSocket.open(URI.create("ws://127.0.0.1:" + nginx.port() + "/echo"));
            echo.send("echo " + i);
            assertThat(echo.next()).isEqualTo("echo " + i);
            echo.close();

            RelayInbox heard = new RelayInbox();
            try (RelayClient relay = RelayClient.connect(URI.create("http://127.0.0.1:" + nginx.port() + "/relay"), heard, 2)) {
                relay.sendText("rita: relay " + i);
                assertThat(heard.next()).isEqualTo("rita: relay " + i);
            }

            // Refused by the stopped instance before anything was sent: safe to pass on, even a POST.
            HttpResponse<String> posted = post(nginx.port(), "ann: post " + i);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        }
        assertThat(b.upgrades("websocket")).isEqualTo(4);
        assertThat(b.upgrades("relay")).isEqualTo(4);
        assertThat(nginx.output()).contains("Connection refused");
    }

    @Test
    void aPostThatMayHaveBeenStoredIsNeverPassedToTheNextInstance() throws Exception {
        try (DyingInstance dying = new DyingInstance()) {
            nginx = ReverseProxy.nginxCluster(dying.port(), b.port(), workDir);
            RelayInbox room = new RelayInbox();
            List<String> created = new ArrayList<>();
            try (RelayClient member = RelayClient.connect(b.base().resolve("/relay"), room, 2)) {
                for (int i = 0; i < 10 && dying.requests().isEmpty(); i++) {
                    HttpResponse<String> posted = post(nginx.port(), "ann: post " + i);
                    if (dying.requests().isEmpty()) {
                        assertThat(posted.statusCode()).isEqualTo(201);
                        created.add("ann: post " + i);
                    } else {
                        // Read by an instance that died before answering: maybe stored, so not sent again.
                        assertThat(posted.statusCode()).isEqualTo(502);
                    }
                }
                assertThat(dying.requests()).hasSize(1).first().asString().startsWith("POST /messages ");

                // The room keeps one order: once this arrives, every earlier message has.
                assertThat(post(b.port(), "ann: the end").statusCode()).isEqualTo(201);
                assertThat(room.until("ann: the end")).containsExactlyElementsOf(created);
            }
        }
    }

    @Test
    void aGetWhoseInstanceDiedBeforeAnsweringIsPassedToTheNext() throws Exception {
        try (DyingInstance dying = new DyingInstance()) {
            nginx = ReverseProxy.nginxCluster(dying.port(), b.port(), workDir);

            for (int i = 0; i < 10 && dying.requests().isEmpty(); i++) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
            }

            assertThat(dying.requests()).hasSize(1).first().asString().startsWith("GET /health ");
        }
    }

    private HttpResponse<String> post(int port, String line) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
            .POST(HttpRequest.BodyPublishers.ofString(line)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
