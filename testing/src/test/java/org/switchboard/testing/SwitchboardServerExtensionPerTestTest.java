package org.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeMetrics.Outcome;

/** A server per test: registered on an instance field, started before each test and stopped after it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwitchboardServerExtensionPerTestTest {

    private static TestServer first;

    @RegisterExtension
    final SwitchboardServerExtension server = SwitchboardServerExtension.of(
        () -> Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build(), RequestSummaryHandler::new);

    @Test
    @Order(1)
    void theFirstTestGetsAServer(TestServer running, URI uri) throws Exception {
        first = running;
        assertThat(running.server().isStarted()).isTrue();
        upgradeOnce(uri);
        assertThat(running.metrics().snapshot().count("echo", Outcome.UPGRADED)).isEqualTo(1);
    }

    @Test
    @Order(2)
    void theNextTestGetsAnotherAndTheFirstIsStopped(TestServer running, URI uri) throws Exception {
        assertThat(first).as("the first test ran").isNotNull();
        assertThat(first.server().isStopped()).isTrue();
        assertThat(running).isNotSameAs(first);
        assertThat(running.metrics().snapshot().count("echo", Outcome.UPGRADED)).as("a new Switchboard, new metrics").isZero();
        upgradeOnce(uri);
    }

    private static void upgradeOnce(URI uri) throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(uri)) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(101);
            assertThat(client.readLine()).isEqualTo("echo body=0");
        }
    }
}
