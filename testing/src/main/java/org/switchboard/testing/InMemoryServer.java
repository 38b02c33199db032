package org.switchboard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeDispatcher;
import org.switchboard.UpgradeMetrics;
import org.switchboard.testing.internal.LocalWire;
import org.switchboard.testing.internal.WireConnection;

/**
 * Switchboard on a Jetty server whose only connector is Jetty's in-memory {@link LocalConnector}:
 * no socket, no port. The test writes exact request bytes (and bytes pipelined after them, in the
 * same write), reads the parsed response, and after a {@code 101} talks to the new protocol over the
 * same in-memory connection, until one side closes. The connection goes through Jetty's real HTTP/1.1
 * parser and the real switch ({@code EndPoint.upgrade}, leftover bytes handed over), exactly as on a
 * socket.
 *
 * <pre>{@code
 * try (InMemoryServer server = InMemoryServer.start(Switchboard.builder().handler(new ShoutProtocolHandler()).build());
 *      RawConnection connection = server.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: shout\r\n\r\nhi")) {
 *     assertEquals(101, connection.readResponse().status());
 *     assertEquals("HI", connection.readText(2));
 * }
 * }</pre>
 *
 * <p>Reads are bounded as {@link RawConnection} says ({@link ReadLimits#DEFAULT} unless given). A
 * connection is closed by the server after its idle timeout, 30 seconds (Jetty's for local
 * connectors). {@link #close()} stops the server.
 */
public final class InMemoryServer implements AutoCloseable {

    private final Server server;
    private final LocalConnector connector;
    private final UpgradeDispatcher dispatcher;
    private final ReadLimits limits;

    private InMemoryServer(Server server, LocalConnector connector, UpgradeDispatcher dispatcher, ReadLimits limits) {
        this.server = server;
        this.connector = connector;
        this.dispatcher = dispatcher;
        this.limits = limits;
    }

    /**
     * Starts {@code switchboard} in front of a {@link RequestSummaryHandler}.
     *
     * @param switchboard the configuration under test
     * @return the started server
     * @throws Exception if the server does not start
     */
    public static InMemoryServer start(Switchboard switchboard) throws Exception {
        return start(switchboard, new RequestSummaryHandler(), ReadLimits.DEFAULT);
    }

    /**
     * Starts {@code switchboard} in front of {@code application}, which serves what is not upgraded.
     *
     * @param switchboard the configuration under test
     * @param application serves every request that is not switched
     * @return the started server
     * @throws Exception if the server does not start
     */
    public static InMemoryServer start(Switchboard switchboard, Handler application) throws Exception {
        return start(switchboard, application, ReadLimits.DEFAULT);
    }

    /**
     * Starts {@code switchboard} in front of {@code application}; connections read with {@code limits}.
     * The server is built as {@link Switchboard#newServer} builds one (its buffer pool, its
     * {@linkplain Switchboard#install installation}), with a local connector in place of the socket.
     *
     * @param switchboard the configuration under test
     * @param application serves every request that is not switched
     * @param limits      what each connection's reads wait for and hold
     * @return the started server
     * @throws Exception if the server does not start
     */
    public static InMemoryServer start(Switchboard switchboard, Handler application, ReadLimits limits) throws Exception {
        Server server = new Server(null, null, switchboard.serverLimits().newByteBufferPool());
        LocalConnector connector = new LocalConnector(server);
        server.addConnector(connector);
        server.setHandler(application);
        UpgradeDispatcher dispatcher = switchboard.install(server);
        server.start();
        return new InMemoryServer(server, connector, dispatcher, limits);
    }

    /**
     * Opens a new in-memory connection: nothing is sent yet.
     *
     * @return the client's end of the connection
     */
    public RawConnection connect() {
        return new WireConnection(new LocalWire(connector.connect()), limits);
    }

    /**
     * Opens a new connection and writes {@code request} — ISO-8859-1, one byte per character — in one write.
     *
     * @param request the request as text: a head through its blank line, and any bytes pipelined after it
     * @return the client's end of the connection, the request sent and nothing read yet
     * @throws IOException if the write fails
     */
    public RawConnection send(String request) throws IOException {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Opens a new connection and writes {@code request} in one write: a head, and bytes pipelined after it.
     *
     * @param request the request's bytes, exactly as they go on the wire
     * @return the client's end of the connection, the request sent and nothing read yet
     * @throws IOException if the write fails
     */
    public RawConnection send(byte[] request) throws IOException {
        RawConnection connection = connect();
        connection.send(request);
        return connection;
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

    /**
     * The Jetty server.
     *
     * @return the server, started
     */
    public Server server() {
        return server;
    }

    /**
     * The in-memory connector, for what this class does not do.
     *
     * @return the server's only connector
     */
    public LocalConnector connector() {
        return connector;
    }

    /** Stops the server, closing every connection. */
    @Override
    public void close() throws Exception {
        server.stop();
    }
}
