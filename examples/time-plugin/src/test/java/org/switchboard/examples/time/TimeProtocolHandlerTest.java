package org.switchboard.examples.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.Switchboard;
import org.switchboard.testing.InMemoryServer;
import org.switchboard.testing.RawConnection;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.TestServer;

class TimeProtocolHandlerTest {

    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: time/1\r\n\r\n";

    @Test
    void SB2_thePluginIsDiscoveredFromTheClassPath() {
        assertThat(Switchboard.builder().discoverHandlers().build().handlers()).extracting(ProtocolHandler::protocol).contains("time");
    }

    @Test
    void U4_afterThe101TheServerPushesTheClockLineByLine() throws Exception {
        Clock fixed = Clock.fixed(Instant.parse("2026-11-23T19:36:25Z"), ZoneOffset.UTC);
        Switchboard switchboard = Switchboard.builder().handler(new TimeProtocolHandler(fixed, Duration.ofMillis(20))).build();
        // In memory: the plugin's bytes, exactly, with no socket.
        try (InMemoryServer server = InMemoryServer.start(switchboard); RawConnection client = server.send(UPGRADE + "ignored bytes")) {
            RawResponse head = client.readResponse();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("time/1");

            String line = "2026-11-23T19:36:25Z\n";
            assertThat(client.readText(line.length() * 3)).isEqualTo(line.repeat(3));
        }
    }

    @Test
    void gracefulStopSaysByeAndCloses() throws Exception {
        Clock fixed = Clock.fixed(Instant.parse("2026-11-23T19:36:25Z"), ZoneOffset.UTC);
        Switchboard switchboard = Switchboard.builder().handler(new TimeProtocolHandler(fixed, Duration.ofHours(1))).build();
        TestServer server = TestServer.start(switchboard);
        server.server().setStopTimeout(5_000);
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(UPGRADE).readHead();
            assertThat(client.readText(21)).isEqualTo("2026-11-23T19:36:25Z\n");

            server.close();

            assertThat(client.readText(4)).isEqualTo("bye\n");
            assertThat(client.closedWithin(Duration.ofMillis(5000))).isTrue();
        }
    }
}
