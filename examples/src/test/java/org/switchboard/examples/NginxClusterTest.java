package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.switchboard.relay.RelayClient;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/**
 * Two instances of the sample behind a real nginx running {@code examples/deploy/nginx-cluster.conf}:
 * the contract every load balancer keeps, and what nginx adds — an offer list, h2c and time/1 pass
 * too; a request whose instance refused the connection goes to the other, POST included; a POST the
 * instance may have stored before it died is never passed on, while a GET is.
 */
class NginxClusterTest extends ClusterProxyContract {

    // HTTP/1.1: the JDK client would otherwise try h2c, and count in the instances' h2c upgrades.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    ReverseProxy start(int first, int second, Path workDir) throws Exception {
        return ReverseProxy.nginxCluster(first, second, workDir);
    }

    @Test
    void SB1_anOfferListPassesAndTheClientsOrderDecides() throws Exception {
        proxy();
        RelayInbox heard = new RelayInbox();

        try (RelayClient relay = RelayClient.connect(uri("relay", "/relay"), heard, 2, 1)) {
            assertThat(relay.protocol()).isEqualTo("relay/2");
            relay.sendText("rita: both offered");
            assertThat(heard.next()).isEqualTo("rita: both offered");
        }
    }

    @Test
    void H1_H2_h2cUpgradesThroughTheClusterKeepingHttp2Settings() throws Exception {
        proxy();

        for (int i = 0; i < 2; i++) {
            // A client of its own each time: a new connection, so a new h2c upgrade.
            HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> health = h2.send(HttpRequest.newBuilder(uri("http", "/health")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
        assertThat(a.upgrades("h2c") + b.upgrades("h2c")).isEqualTo(2);
    }

    @Test
    void U4_time1UpgradesThroughTheCluster() throws Exception {
        proxy();

        try (RawUpgradeClient client = RawUpgradeClient.connect(proxy.port())) {
            RawResponse head = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: time/1\r\n\r\n").readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(client.readText(21)).endsWith("Z\n");
        }
    }

    @Test
    void aPostRefusedByAStoppedInstanceIsPassedToTheOther() throws Exception {
        proxy();
        a.server().stop();

        for (int i = 0; i < 4; i++) {
            // Refused before anything was sent: safe to pass on, even a POST.
            HttpResponse<String> posted = post(uri("http", "/messages"), "ann: post " + i);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        }
        assertThat(proxy.output()).contains("Connection refused");
    }

    @Test
    void aPostThatMayHaveBeenStoredIsNeverPassedToTheNextInstance() throws Exception {
        try (DyingInstance dying = new DyingInstance()) {
            proxy(dying.port(), b.port());
            RelayInbox room = new RelayInbox();
            List<String> created = new ArrayList<>();
            try (RelayClient member = RelayClient.connect(b.base().resolve("/relay"), room, 2)) {
                for (int i = 0; i < 10 && dying.requests().isEmpty(); i++) {
                    HttpResponse<String> posted = post(uri("http", "/messages"), "ann: post " + i);
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
                assertThat(post(b.base().resolve("/messages"), "ann: the end").statusCode()).isEqualTo(201);
                assertThat(room.until("ann: the end")).containsExactlyElementsOf(created);
            }
        }
    }

    @Test
    void aGetWhoseInstanceDiedBeforeAnsweringIsPassedToTheNext() throws Exception {
        try (DyingInstance dying = new DyingInstance()) {
            proxy(dying.port(), b.port());

            for (int i = 0; i < 10 && dying.requests().isEmpty(); i++) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("http", "/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
            }

            assertThat(dying.requests()).hasSize(1).first().asString().startsWith("GET /health ");
        }
    }

    private HttpResponse<String> post(URI uri, String line) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(line)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
