package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.ExternalProgram;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/**
 * What Debian 12's HAProxy 2.6 does with an {@code Upgrade} that names h2c, in HTTP mode with no
 * rule about upgrades: said to drop the whole header (so {@code websocket, h2c} would lose
 * websocket). HAProxy's 2024 change that drops it ("do not forward h2c upgrade header token") came
 * after Debian's 2.6.12, which passes the header on as it came: these tests pin what it does, and
 * deploy/README.md says so. If one fails after a HAProxy update, that change has arrived: say so there.
 */
class HaproxyUpgradeTest {

    private static final String WEBSOCKET_HEADERS = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    @RegisterExtension
    final RunningSample sample = new RunningSample();

    @TempDir
    Path workDir;

    private ReverseProxy haproxy;

    @BeforeEach
    void startHaproxy() throws Exception {
        haproxy = ReverseProxy.haproxy(sample.port(), workDir);
    }

    @AfterEach
    void stopHaproxy() {
        haproxy.close();
    }

    @Test
    void theVersionPinnedHereIsDebians26() throws Exception {
        assertThat(ExternalProgram.run("/usr/sbin/haproxy", "-v")).contains("HAProxy version 2.6.");
    }

    @Test
    void SB1_websocketBeforeH2cPassesAndWebSocketWins() throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(haproxy.port())) {
            RawResponse head = client.send("GET /echo HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: websocket, h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n" + WEBSOCKET_HEADERS + "\r\n").readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualToIgnoringCase("websocket");
        }
        assertThat(sample.upgrades("websocket")).isEqualTo(1);
    }

    @Test
    void SB1_h2cBeforeWebsocketPassesAndH2cWins() throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(haproxy.port())) {
            RawResponse head = client.send("GET /echo HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c, websocket\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n" + WEBSOCKET_HEADERS + "\r\n").readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualToIgnoringCase("h2c");
        }
        assertThat(sample.upgrades("h2c")).isEqualTo(1);
    }

    @Test
    void H1_H2_anH2cUpgradeAlonePassesWithHttp2SettingsKept() throws Exception {
        java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();

        java.net.http.HttpResponse<String> health = h2.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + haproxy.port() + "/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
    }
}
