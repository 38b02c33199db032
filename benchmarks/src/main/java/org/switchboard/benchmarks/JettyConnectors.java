package org.switchboard.benchmarks;

import java.util.concurrent.Executor;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The one connector set-up both Jetty-based servers share, so that they differ only in what the issue compares. */
final class JettyConnectors {

    private JettyConnectors() {
    }

    /** Jetty's defaults, minus the {@code Server} and {@code Date} headers Netty does not send. */
    static HttpConfiguration httpConfiguration() {
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        return config;
    }

    static ServerConnector add(Server server, int port, ConnectionFactory... factories) {
        return add(server, port, Boolean.getBoolean(InlineSelectorTasks.PROPERTY) ? new InlineSelectorTasks(server.getThreadPool()) : null,
            factories);
    }

    /** With {@code executor} null, the server's thread pool, as Jetty does by default. */
    static ServerConnector add(Server server, int port, Executor executor, ConnectionFactory... factories) {
        ServerConnector connector = new ServerConnector(server, executor, null, null, -1, -1, factories);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        // Jetty's default (0) becomes the JDK's backlog of 50: 64 concurrent handshakes would then
        // overflow it and measure SYN retries. Netty is given the same 1024.
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        return connector;
    }

    static ServerUnderTest running(Server server, ServerConnector connector) throws Exception {
        server.start();
        return started(server, connector.getLocalPort());
    }

    /** {@code server}, started and listening on {@code port}, as a target. */
    static ServerUnderTest started(Server server, int port) {
        return new ServerUnderTest() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public TargetConfiguration configuration() {
                return TargetConfiguration.of(server);
            }

            @Override
            public void close() {
                try {
                    server.stop();
                } catch (Exception x) {
                    // stopping is best effort: the JVM exits next
                }
            }
        };
    }
}
