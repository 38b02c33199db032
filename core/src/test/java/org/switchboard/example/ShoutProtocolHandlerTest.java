package org.switchboard.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.RawHttp;
import org.switchboard.testing.TestServer;

/** A byte-stream protocol on UpgradedConnection's chunk reading and bounded writer: safe to copy. */
class ShoutProtocolHandlerTest {

    private static final byte[] PATTERN = "abcdefghijklmnopqrstuvwxyz0123456789 -\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void U4_U10_shoutSwitchesAndAnswersPipelinedBytesUpperCased() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(new ShoutProtocolHandler()).build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: shout\r\n\r\nhello");

            RawHttp.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("shout/1");
            assertThat(client.readText(5)).isEqualTo("HELLO");
            assertThat(client.send("again").readText(5)).isEqualTo("AGAIN");
        }
    }

    /**
     * The example must be safe to copy: 64 MiB streamed through one connection, the first 16 KiB
     * in the same write as the request (more than the handler's buffer, so the pipelined bytes
     * take several reads, U10), all answered upper-cased, then end of stream answered by close.
     * A handler that re-enters onFillable from its write callback overflows its stack after a
     * few MB and stalls: the socket read times out.
     */
    @Test
    void U10_shoutStreams64MiBStartingInTheRequestsWrite() throws Exception {
        long total = 64L * 1024 * 1024;
        int first = 16 * 1024;
        Switchboard switchboard = Switchboard.builder().handler(new ShoutProtocolHandler()).build();
        try (TestServer server = TestServer.start(switchboard); Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            socket.setSoTimeout(10_000);                       // a stalled server fails the read, not the clock
            assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                request.writeBytes("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: shout\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(pattern(0, first));
                out.write(request.toByteArray());              // request line, headers and the first bytes: one write
                out.flush();

                assertThat(readHead(in)).startsWith("HTTP/1.1 101 ");
                expectUpperCased(in, 0, first);                // the pipelined bytes, before anything else is sent

                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        for (long offset = first; offset < total; offset += 64 * 1024)
                            out.write(pattern(offset, (int) Math.min(64 * 1024, total - offset)));
                        socket.shutdownOutput();
                    } catch (Exception x) {
                        throw new RuntimeException(x);
                    }
                });
                expectUpperCased(in, first, total - first);
                assertThat(in.read()).as("the server closes after the client's end of stream").isEqualTo(-1);
                writer.join();
            });
        }
    }

    private static byte[] pattern(long offset, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = PATTERN[(int) ((offset + i) % PATTERN.length)];
        return bytes;
    }

    private static void expectUpperCased(InputStream in, long offset, long length) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        while (read < length) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - read));
            assertThat(n).as("end of stream after %d of %d bytes", offset + read, offset + length).isPositive();
            for (int i = 0; i < n; i++) {
                byte sent = PATTERN[(int) ((offset + read + i) % PATTERN.length)];
                byte expected = sent >= 'a' && sent <= 'z' ? (byte) (sent - 'a' + 'A') : sent;
                if (buffer[i] != expected)
                    throw new AssertionError("byte " + (offset + read + i) + ": expected " + expected + ", got " + buffer[i]);
            }
            read += n;
        }
    }

    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("end of stream in the response head").isNotNegative();
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
