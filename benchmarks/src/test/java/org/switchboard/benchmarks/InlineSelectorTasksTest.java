package org.switchboard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

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
            try (Socket socket = new Socket("127.0.0.1", running.port())) {
                OutputStream out = socket.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(response).startsWith("HTTP/1.1 200").endsWith("ok");
            }
            // One accept, one close: both counted once run in place.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> executor.inlined() == 2);
        }
    }
}
