package org.switchboard.examples.linecount;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.BufferUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.TestServer;

/**
 * linecount/1 in memory: a real Jetty server with Switchboard installed, reached through Jetty's
 * {@link LocalConnector} (no socket), so that a test decides exactly how the client's bytes are split.
 */
class LineCountInMemoryTest {

    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: linecount\r\n\r\n";
    private static final long WAIT_SECONDS = 30;

    private Server server;
    private LocalConnector connector;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        connector = new LocalConnector(server, new HttpConnectionFactory());
        server.addConnector(connector);
        server.setHandler(TestServer.application());
        Switchboard.builder().handler(new LineCountProtocolHandler()).build().install(server);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void U10_linesSentWithTheRequestAreAnsweredFirstWithLfAndCrlfAlike() throws Exception {
        LocalConnector.LocalEndPoint client = connector.connect();
        client.addInput(UPGRADE + "hello\r\n\nhalf a li");

        String answer = readUntil(client, "5\n0\n");
        assertThat(answer).startsWith("HTTP/1.1 101 ").contains("Upgrade: linecount/1\r\n").endsWith("\r\n\r\n5\n0\n");

        client.addInput("ne\n");
        assertThat(readUntil(client, "11\n")).isEqualTo("11\n");
    }

    @Test
    void aLineSplitAtEveryByteIsCountedWhole() throws Exception {
        LocalConnector.LocalEndPoint client = connector.connect();
        client.addInput(UPGRADE);
        readUntil(client, "\r\n\r\n");

        // "é" is two bytes: the answer counts bytes, not characters.
        for (byte b : "héllo\r\nworld\n".getBytes(StandardCharsets.UTF_8))
            client.addInput(BufferUtil.toBuffer(new byte[] {b}));

        assertThat(readUntil(client, "6\n5\n")).isEqualTo("6\n5\n");
    }

    @Test
    void aLineOfTheMaximumIsAnsweredAndOneByteMoreClosesTheConnection() throws Exception {
        LocalConnector.LocalEndPoint client = connector.connect();
        client.addInput(UPGRADE + "a".repeat(LineCountProtocolHandler.MAX_LINE_BYTES) + "\r\n");
        assertThat(readUntil(client, "\r\n\r\n8192\n")).endsWith("\r\n\r\n8192\n");

        // No terminator: the reader refuses the line once it is one byte too long, without waiting for the rest.
        client.addInput("b".repeat(LineCountProtocolHandler.MAX_LINE_BYTES + 1));

        client.waitUntilClosedOrIdleFor(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.isOpen()).as("closed by the protocol, not by the idle wait").isFalse();
        assertThat(client.takeOutputString()).isEmpty();
    }

    @Test
    void theClientsEndOfStreamClosesOnceEveryAnswerIsWritten() throws Exception {
        LocalConnector.LocalEndPoint client = connector.connect();
        client.addInput(UPGRADE + "one\ntwo\nunfinished");
        client.addInputEOF();

        client.waitUntilClosedOrIdleFor(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.isOpen()).isFalse();
        assertThat(client.takeOutputString()).endsWith("\r\n\r\n3\n3\n");
    }

    /** The output from now until it ends with {@code suffix}; fails after a generous bound. */
    private static String readUntil(LocalConnector.LocalEndPoint client, String suffix) throws Exception {
        StringBuilder out = new StringBuilder(client.takeOutputString());
        while (!out.toString().endsWith(suffix)) {
            var more = client.waitForOutput(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(more != null && more.hasRemaining()).as("output so far: %s", out).isTrue();
            out.append(BufferUtil.toString(more, StandardCharsets.UTF_8));
        }
        return out.toString();
    }
}
