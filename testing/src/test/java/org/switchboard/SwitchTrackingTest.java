package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.SwitchResets;
import org.switchboard.testing.TestServer;

/**
 * Every switched connection is counted open once and closed once, and is on the goodbye list only
 * while it is open — also when the client resets it at any moment of the switch (SB6).
 */
class SwitchTrackingTest {

    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nbytes for echo";

    @Test
    void SB6_connectionsResetAtAnyPointOfTheSwitchLeaveTheOpenGaugeAndTheGoodbyeList() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build();
        try (TestServer server = TestServer.start(switchboard)) {
            SwitchResets.run(server.port(), UPGRADE, 500, 16, 12);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(switchboard.metrics().snapshot().open("echo")).isZero();
                assertThat(server.dispatcher().upgradedConnections()).isZero();
            });
            assertThat(switchboard.metrics().snapshot().count("echo", UpgradeMetrics.Outcome.UPGRADED)).isPositive();
            // A graceful stop finds nobody left to say goodbye to.
            assertThat(server.dispatcher().shutdown()).isCompleted();

            // And the server still switches the next client.
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                assertThat(client.send(UPGRADE).readHead().status()).isEqualTo(101);
            }
        }
    }

    @Test
    void SB6_aConnectionThatOpensIsCountedOnceAndLeavesWhenItCloses() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build();
        try (TestServer server = TestServer.start(switchboard)) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                assertThat(client.send(UPGRADE).readHead().status()).isEqualTo(101);
                await().atMost(10, TimeUnit.SECONDS).until(() -> switchboard.metrics().snapshot().open("echo") == 1);
                assertThat(server.dispatcher().upgradedConnections()).isEqualTo(1);
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> switchboard.metrics().snapshot().open("echo") == 0);
            assertThat(server.dispatcher().upgradedConnections()).isZero();
        }
    }
}
