package org.switchboard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.example.ShoutProtocolHandler;
import org.switchboard.testing.RawHttp;
import org.switchboard.testing.ReadmeSnippets;
import org.switchboard.testing.TestServer;

/** README's snippet, compiled and run: the one-call setup counts a real upgrade. */
class ReadmeTest {

    @Test
    void SB6_theReadmeSetupCountsARealUpgrade() throws Exception {
        // README:begin setup
        MeterRegistry registry = new SimpleMeterRegistry();                // or a PrometheusMeterRegistry, OtlpMeterRegistry…
        Switchboard switchboard = SwitchboardMeters.bind(registry)
            .installOn(Switchboard.builder())                               // metrics(meters).listener(meters)
            .handler(new ShoutProtocolHandler())
            .build();
        Server server = switchboard.newServer("127.0.0.1", 0, TestServer.application());
        server.start();
        // README:end setup
        try (RawHttp client = RawHttp.connect(((NetworkConnector) server.getConnectors()[0]).getLocalPort())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: shout\r\n\r\n").readHead().status()).isEqualTo(101);
            assertThat(registry.get("switchboard.upgrade.requests").tags("protocol", "shout", "outcome", "upgraded").counter().count()).isEqualTo(1);
            assertThat(registry.get("switchboard.upgrade.negotiation").tags("protocol", "shout").timer().count()).isEqualTo(1);
            assertThat(switchboard.metrics().snapshot().count("shout", org.switchboard.UpgradeMetrics.Outcome.UPGRADED)).isEqualTo(1);
        } finally {
            server.stop();
        }
    }

    @Test
    void theReadmeShowsTheSnippetAsCompiledHere() throws Exception {
        assertThat(ReadmeSnippets.javaBlocks(Path.of("README.md")))
            .contains(ReadmeSnippets.between(Path.of("src/test/java/org/switchboard/micrometer/ReadmeTest.java"), "setup", "        "));
    }
}
