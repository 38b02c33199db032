package org.switchboard.testing;

import java.io.IOException;
import java.net.URI;

import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeDispatcher;
import org.switchboard.UpgradeMetrics;

/**
 * A real Jetty server with Switchboard installed, listening on an ephemeral port of 127.0.0.1, for
 * tests with real sockets and real clients. {@link SwitchboardServerExtension} starts and stops one
 * around JUnit tests; outside JUnit, use it with try-with-resources:
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(switchboard);
 *      RawUpgradeClient client = server.connect()) {
 *     client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: shout\r\n\r\n");
 *     assertEquals(101, client.readResponse().status());
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {

    private final Server server;
    private final UpgradeDispatcher dispatcher;

    private TestServer(Server server, UpgradeDispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
    }

    /**
     * Starts {@code switchboard} in front of a {@link RequestSummaryHandler}.
     *
     * @param switchboard the configuration under test
     * @return the started server
     * @throws Exception if the server does not start
     */
    public static TestServer start(Switchboard switchboard) throws Exception {
        return start(switchboard, new RequestSummaryHandler());
    }

    /**
     * Starts {@code switchboard} in front of {@code application}, on a server built by
     * {@link Switchboard#newServer} for {@code 127.0.0.1} and an ephemeral port.
     *
     * @param switchboard the configuration under test
     * @param application serves every request that is not switched
     * @return the started server
     * @throws Exception if the server does not start
     */
    public static TestServer start(Switchboard switchboard, Handler application) throws Exception {
        Server server = switchboard.newServer("127.0.0.1", 0, application);
        // Not server.getHandler(): with allowed hosts, a host check stands in front of the dispatcher.
        UpgradeDispatcher dispatcher = server.getDescendant(UpgradeDispatcher.class);
        server.start();
        return new TestServer(server, dispatcher);
    }

    /**
     * As {@link #start(Switchboard, Handler)}, the connector also speaking HTTP/2 with prior
     * knowledge (and after an h2c upgrade Jetty makes itself) with RFC 8441 extended CONNECT
     * enabled ({@code SETTINGS_ENABLE_CONNECT_PROTOCOL = 1}): what {@link ExtendedConnect} needs.
     *
     * @param switchboard the configuration under test
     * @param application serves every request that is not switched
     * @return the started server
     * @throws Exception if the server does not start
     */
    public static TestServer startWithExtendedConnect(Switchboard switchboard, Handler application) throws Exception {
        Server server = switchboard.newServer("127.0.0.1", 0, application);
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        HTTP2CServerConnectionFactory http2 = new HTTP2CServerConnectionFactory(
            connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration());
        http2.setConnectProtocolEnabled(true);
        connector.addConnectionFactory(http2);
        UpgradeDispatcher dispatcher = server.getDescendant(UpgradeDispatcher.class);
        server.start();
        return new TestServer(server, dispatcher);
    }

    /**
     * Installs {@code switchboard} in {@code server} and starts it: for a server the test builds
     * itself, with connectors of its own (TLS, an HTTP/2 factory for prior knowledge…) and its
     * application as handler. Its first connector must be a {@link NetworkConnector}, best on
     * {@code 127.0.0.1} and port 0 (any free port): {@link #port()} is that connector's.
     *
     * @param switchboard the configured Switchboard whose dispatcher goes in front of the server's handler
     * @param server      the server, not started, its first connector a network one
     * @return the started server
     * @throws IllegalArgumentException if the server is started or its first connector is not a network one
     * @throws Exception                if the server does not start
     */
    public static TestServer start(Switchboard switchboard, Server server) throws Exception {
        if (server.isStarted() || server.getConnectors().length == 0 || !(server.getConnectors()[0] instanceof NetworkConnector))
            throw new IllegalArgumentException("a server not started yet, whose first connector is a network connector: " + server);
        UpgradeDispatcher dispatcher = switchboard.install(server);
        server.start();
        return new TestServer(server, dispatcher);
    }

    /**
     * The port the server listens on, on 127.0.0.1.
     *
     * @return the first connector's local TCP port
     */
    public int port() {
        return ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    /**
     * {@code http://127.0.0.1:<port>/}.
     *
     * @return the base URI
     */
    public URI uri() {
        return uri("/");
    }

    /**
     * {@code http://127.0.0.1:<port><path>}.
     *
     * @param path an absolute path, with a query if wanted: {@code /chat?room=1}
     * @return the URI
     */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /**
     * Opens a {@link RawUpgradeClient} to this server.
     *
     * @return the connected client
     * @throws IOException if the connection fails
     */
    public RawUpgradeClient connect() throws IOException {
        return RawUpgradeClient.connect(port());
    }

    /**
     * The Jetty server.
     *
     * @return the server, started
     */
    public Server server() {
        return server;
    }

    /**
     * The dispatcher {@link Switchboard#install} put in front of the application.
     *
     * @return the dispatcher
     */
    public UpgradeDispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * The dispatcher's metrics: what it counted per protocol and outcome (SB6).
     *
     * @return the metrics
     */
    public UpgradeMetrics metrics() {
        return dispatcher.metrics();
    }

    /** Stops the server (gracefully, within its stop timeout), closing every connection. */
    @Override
    public void close() throws Exception {
        server.stop();
    }
}
