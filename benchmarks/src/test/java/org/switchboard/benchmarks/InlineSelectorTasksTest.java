package org.switchboard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/**
 * The hand-off experiment behind {@code --jetty-inline-selector-tasks} still reaches the Jetty it
 * runs on: the two task classes it names exist, and a real connection's accept and close both run
 * in place. Without this, a Jetty upgrade that renamed them would make the experiment measure
 * plain Jetty while claiming otherwise.
 */
class InlineSelectorTasksTest {

    @Test
    void aConnectionsAcceptAndCloseRunOnTheSubmittingThread() throws Exception {
        Server server = new Server();
        InlineSelectorTasks executor = new InlineSelectorTasks(server.getThreadPool());
        ServerConnector connector = JettyConnectors.add(server, 0, executor, new HttpConnectionFactory(JettyConnectors.httpConfiguration()));
        server.setHandler(new OkApplication());
        try (ServerUnderTest running = JettyConnectors.running(server, connector)) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(running.port())) {
                RawResponse response = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").readResponse();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("ok");
                assertThat(client.closedWithin(Duration.ofSeconds(10))).isTrue();
            }
            // One accept, one close: both counted once run in place.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> executor.inlined() == 2);
        }
    }
}
