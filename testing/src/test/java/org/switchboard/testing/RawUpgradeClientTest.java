package org.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;

/** The raw client over real sockets: against Switchboard on a real server, and against servers that misbehave. */
class RawUpgradeClientTest {

    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n";

    private static TestServer server;

    /** Answers {@code /parts} in two writes with no length (chunked on HTTP/1.1, up to the close on HTTP/1.0); the rest as the summary. */
    private static final Handler PARTS = new Handler.Abstract() {
        private final Handler summary = new RequestSummaryHandler();

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!Request.getPathInContext(request).equals("/parts"))
                return summary.handle(request, response, callback);
            response.write(false, ascii("first,"), Callback.from(() -> response.write(true, ascii("second"), callback), callback::failed));
            return true;
        }
    };

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build(), PARTS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void u4_u10_aSwitchThenTheNewProtocolsBytesBothWays() throws IOException {
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.uri())) {
            RawResponse response = client.send(UPGRADE + "pipelined").readResponse();

            assertThat(response.status()).isEqualTo(101);
            assertThat(response.header("Upgrade")).isEqualTo("echo");
            assertThat(client.readLine()).isEqualTo("echo body=0");
            assertThat(client.readText(9)).isEqualTo("pipelined");
            client.send(new byte[] {0, 1, 2, (byte) 0xff});
            assertThat(client.readExactly(4)).containsExactly(0, 1, 2, 0xff);
            assertThat(client.quietFor(Duration.ofMillis(50))).isTrue();

            client.send("x");
            assertThat(client.quietFor(Duration.ofSeconds(10))).as("a byte arrives: not quiet").isFalse();
            assertThat(client.readAvailable()).as("and the byte is kept").containsExactly('x');

            client.shutdownOutput();
            assertThat(client.closedWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aContentLengthBody() throws IOException {
        try (RawUpgradeClient client = server.connect()) {
            RawResponse response = client.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-length")).isEqualTo("25");
            assertThat(response.bodyText()).isEqualTo("GET /plain HTTP/1.1 body=");
        }
    }

    @Test
    void aChunkedBodyIsDecoded() throws IOException {
        try (RawUpgradeClient client = server.connect()) {
            RawResponse response = client.send("GET /parts HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(response.bodyText()).isEqualTo("first,second");
            assertThat(client.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().bodyText())
                .as("the connection is left at the next response").isEqualTo("GET /again HTTP/1.1 body=");
        }
    }

    @Test
    void aBodyUpToTheClose() throws IOException {
        try (RawUpgradeClient client = server.connect()) {
            RawResponse response = client.send("GET /parts HTTP/1.0\r\n\r\n").readResponse();

            assertThat(response.header("Content-Length")).isNull();
            assertThat(response.bodyText()).isEqualTo("first,second");
            assertThat(client.closedWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aHeadAloneLeavesTheBodyToRead() throws IOException {
        try (RawUpgradeClient client = server.connect()) {
            RawResponse head = client.send("GET /parts HTTP/1.1\r\nHost: x\r\n\r\n").readHead();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            String chunked = "6\r\nfirst,\r\n6\r\nsecond\r\n0\r\n\r\n";
            assertThat(client.readText(chunked.length())).isEqualTo(chunked);
        }
    }

    @Test
    void everythingUpToTheClose() throws IOException {
        try (RawUpgradeClient client = server.connect()) {
            assertThat(client.send("GET /parts HTTP/1.0\r\n\r\n").readHead().status()).isEqualTo(200);

            assertThat(new String(client.readUntilClosed(), StandardCharsets.US_ASCII)).isEqualTo("first,second");
        }
    }

    @Test
    void anEndlessHeadStopsAtTheHeadLimit() throws IOException {
        byte[] line = "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ScriptedSocketServer hostile = ScriptedSocketServer.writingRepeatedly(line, 10_000);
             RawUpgradeClient client = RawUpgradeClient.connect(new InetSocketAddress("127.0.0.1", hostile.port()),
                 ReadLimits.DEFAULT.withMaxHeadBytes(4096))) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThatThrownBy(client::readResponse).isInstanceOf(IOException.class).hasMessageContaining("over 4096 bytes");
        }
    }

    @Test
    void aBodyOverTheLimitIsRefused() throws IOException {
        byte[] response = ("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "a".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
        try (ScriptedSocketServer big = ScriptedSocketServer.writingThenClosing(response);
             RawUpgradeClient client = RawUpgradeClient.connect(new InetSocketAddress("127.0.0.1", big.port()),
                 ReadLimits.DEFAULT.withMaxBodyBytes(1000))) {
            assertThatThrownBy(client::readResponse).isInstanceOf(IOException.class)
                .hasMessageContaining("response body over 1000 bytes (ReadLimits.maxBodyBytes)");
        }
    }

    @Test
    void notHttpIsSaidSo() throws IOException {
        try (ScriptedSocketServer ssh = ScriptedSocketServer.writingThenClosing("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
             RawUpgradeClient client = RawUpgradeClient.connect(ssh.port())) {
            assertThatThrownBy(client::readResponse).isInstanceOf(IOException.class)
                .hasMessageContaining("not an HTTP/1.1 response");
        }
    }

    @Test
    void aCloseInTheBodyIsAnEarlyEnd() throws IOException {
        byte[] cut = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII);
        try (ScriptedSocketServer server = ScriptedSocketServer.writingThenClosing(cut);
             RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThatThrownBy(client::readResponse).isInstanceOf(EOFException.class)
                .hasMessageContaining("closed").hasMessageContaining("before the response was complete");
        }
    }

    @Test
    void nothingComingFailsWithinTheTimeout() throws IOException {
        try (ScriptedSocketServer silent = ScriptedSocketServer.writingRepeatedly(new byte[0], 0);
             RawUpgradeClient client = RawUpgradeClient.connect(new InetSocketAddress("127.0.0.1", silent.port()),
                 ReadLimits.DEFAULT.withTimeout(Duration.ofMillis(200)))) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThatThrownBy(client::readResponse).isInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("no whole response within 200 ms").hasMessageContaining("nothing received");
            assertThat(client.closedWithin(Duration.ofMillis(50))).isFalse();
        }
    }

    @Test
    void endlessChunksStopWhenTheServerStopsReading() throws Exception {
        try (ScriptedSocketServer reader = ScriptedSocketServer.readingThenClosing(200_000);
             RawUpgradeClient client = RawUpgradeClient.connect(reader.port())) {
            long sent = client.sendEndlessChunks("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 1L << 40)
                .get(30, TimeUnit.SECONDS);

            assertThat(reader.received().get(30, TimeUnit.SECONDS)).isEqualTo(200_000);
            assertThat(sent).isLessThan(1L << 40);
        }
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
