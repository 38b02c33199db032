package org.switchboard.h2c;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.switchboard.Switchboard;
import org.switchboard.testing.SwitchResets;
import org.switchboard.testing.TestServer;

/**
 * A harness, not part of the build's tests: repeats the sample's h2c reset scenario (300 h2c upgrades
 * reset during the switch, 16 at a time) {@code -Dsb6.rounds=N} times on one server and reports the
 * rounds after which h2c connections stay counted open (SB6): a leak stays, so later rounds report it again.
 */
class H2cSwitchResetsLoop {

    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n";

    @Test
    @EnabledIfSystemProperty(named = "sb6.rounds", matches = "\\d+")
    void SB6_loopH2cResetsDuringTheSwitch() throws Exception {
        int rounds = Integer.getInteger("sb6.rounds");
        Switchboard switchboard = Switchboard.builder().handler(new H2cProtocolHandler()).build();
        int leaked = 0;
        try (TestServer server = TestServer.start(switchboard)) {
            for (int round = 0; round < rounds; round++) {
                SwitchResets.run(server.port(), UPGRADE, 300, 16, round);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
                long open;
                while ((open = switchboard.metrics().snapshot().open("h2c")) != 0 && System.nanoTime() < until)
                    Thread.sleep(50);
                if (open != 0) {
                    leaked = Math.max(leaked, (int) open);
                    System.out.printf("SB6 loop: round %d left %d h2c connection(s) counted open (dispatcher: %d)%n",
                        round, open, server.dispatcher().upgradedConnections());
                }
            }
            System.out.printf("SB6 loop: %d rounds of 300, %d connection(s) left counted open, %d upgrades%n", rounds, leaked,
                switchboard.metrics().snapshot().count("h2c", org.switchboard.UpgradeMetrics.Outcome.UPGRADED));
        }
        assertThat(leaked).isZero();
    }
}
