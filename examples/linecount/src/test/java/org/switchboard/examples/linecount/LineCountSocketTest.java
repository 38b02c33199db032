package org.switchboard.examples.linecount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.SwitchboardServerExtension;

/** linecount/1 on a real server (the test kit's, on 127.0.0.1) and real sockets. */
class LineCountSocketTest {

    @RegisterExtension
    static final SwitchboardServerExtension SERVER = SwitchboardServerExtension.of(new LineCountProtocolHandler());

    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: linecount/1\r\n\r\n";
    private static final long STREAM_BYTES = 64L * 1024 * 1024;

    /**
     * 64 MiB of lines, of every length from 0 to the maximum, with LF and CRLF, written as fast as
     * the socket takes them while another thread checks every answer. The module's tests run with
     * a 64 MiB heap: a server that queued answers without bound, or read without pausing for a
     * client that reads more slowly than it writes, would run out of it or close the connection.
     * The end of the client's stream is answered, after the last answer, by the server's.
     */
    @Test
    void U10_streams64MiBOfLinesAndAnswersEveryOne() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", SERVER.port()), 10_000);
            socket.setSoTimeout(30_000);                     // a stalled server fails the read, not the clock
            assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                out.write(UPGRADE.getBytes(StandardCharsets.US_ASCII));
                out.write("sent with the request\n".getBytes(StandardCharsets.US_ASCII));   // in the request's write (U10)
                out.flush();
                assertThat(readHead(in)).startsWith("HTTP/1.1 101 ");
                assertThat(readNumber(in)).isEqualTo("sent with the request".length());

                CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
                    try {
                        long lines = 0;
                        for (long written = 0; written < STREAM_BYTES; lines++) {
                            byte[] line = line(lines);
                            out.write(line);
                            written += line.length;
                        }
                        out.flush();
                        socket.shutdownOutput();
                        return lines;
                    } catch (IOException x) {
                        throw new RuntimeException(x);
                    }
                });

                long answered = 0;
                while (true) {
                    long answer = readNumber(in);
                    if (answer < 0)
                        break;
                    assertThat(answer).as("answer to line %d", answered).isEqualTo(length(answered));
                    answered++;
                }
                assertThat(answered).as("every line answered before the end of stream").isEqualTo(writer.join());
            });
        }
    }

    @Test
    void aLineOverTheMaximumClosesTheConnection() throws Exception {
        try (RawUpgradeClient client = SERVER.connect()) {
            client.send(UPGRADE + "ok\n");
            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(client.readLine()).isEqualTo("2");

            client.send("x".repeat(LineCountProtocolHandler.MAX_LINE_BYTES + 2));

            assertThat(client.closedWithin(Duration.ofSeconds(20))).isTrue();
        }
    }

    /** Line {@code i}'s length: every length from 0 to the maximum comes up, short ones most. */
    private static int length(long i) {
        return (int) (i % 7 == 6 ? (i * 7919) % (LineCountProtocolHandler.MAX_LINE_BYTES + 1) : (i * 31) % 200);
    }

    private static byte[] line(long i) {
        int length = length(i);
        boolean crlf = i % 2 == 0;
        byte[] line = new byte[length + (crlf ? 2 : 1)];
        Arrays.fill(line, 0, length, (byte) ('a' + i % 26));
        if (crlf)
            line[length] = '\r';
        line[line.length - 1] = '\n';
        return line;
    }

    /** The next decimal line, or -1 at the end of stream. */
    private static long readNumber(InputStream in) throws IOException {
        long value = 0;
        int digits = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                assertThat(digits).as("end of stream in the middle of an answer").isZero();
                return -1;
            }
            if (b == '\n') {
                assertThat(digits).as("an empty answer").isPositive();
                return value;
            }
            assertThat(b).as("an answer's byte").isBetween((int) '0', (int) '9');
            value = value * 10 + (b - '0');
            digits++;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("end of stream in the response head").isNotNegative();
            head.append((char) b);
        }
        return head.toString();
    }
}
