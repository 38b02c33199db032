package org.switchboard.examples.linecount;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.InMemoryServer;
import org.switchboard.testing.RawConnection;

/**
 * linecount/1 in memory: a real Jetty server with Switchboard, reached through the test kit's
 * {@link InMemoryServer} (Jetty's {@code LocalConnector}, no socket), so that a test decides exactly
 * how the client's bytes are split.
 */
class LineCountInMemoryTest {

    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: linecount\r\n\r\n";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

    private InMemoryServer server;

    @BeforeEach
    void start() throws Exception {
        server = InMemoryServer.start(Switchboard.builder().handler(new LineCountProtocolHandler()).build());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void U10_linesSentWithTheRequestAreAnsweredFirstWithLfAndCrlfAlike() throws Exception {
        try (RawConnection client = server.send(UPGRADE + "hello\r\n\nhalf a li")) {
            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(client.readLine()).isEqualTo("5");
            assertThat(client.readLine()).isEqualTo("0");

            client.send("ne\n");
            assertThat(client.readLine()).isEqualTo("11");
        }
    }

    @Test
    void aLineSplitAtEveryByteIsCountedWhole() throws Exception {
        try (RawConnection client = server.send(UPGRADE)) {
            assertThat(client.readHead().status()).isEqualTo(101);

            // "é" is two bytes: the answer counts bytes, not characters.
            for (byte b : "héllo\r\nworld\n".getBytes(StandardCharsets.UTF_8))
                client.send(new byte[] {b});

            assertThat(client.readLine()).isEqualTo("6");
            assertThat(client.readLine()).isEqualTo("5");
        }
    }

    @Test
    void aLineOfTheMaximumIsAnsweredAndOneByteMoreClosesTheConnection() throws Exception {
        try (RawConnection client = server.send(UPGRADE + "a".repeat(LineCountProtocolHandler.MAX_LINE_BYTES) + "\r\n")) {
            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(client.readLine()).isEqualTo("8192");

            // No terminator: the line is refused once it is one byte too long, without waiting for the rest.
            client.send("b".repeat(LineCountProtocolHandler.MAX_LINE_BYTES + 1));

            assertThat(client.closedWithin(CLOSE_WAIT)).isTrue();
        }
    }

    @Test
    void theClientsEndOfStreamClosesOnceEveryAnswerIsWritten() throws Exception {
        try (RawConnection client = server.send(UPGRADE + "one\ntwo\nunfinished")) {
            client.shutdownOutput();

            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(new String(client.readUntilClosed(), StandardCharsets.US_ASCII)).isEqualTo("3\n3\n");
        }
    }
}
