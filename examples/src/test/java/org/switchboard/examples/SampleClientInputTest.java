package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.switchboard.UpgradeDispatcher;
import org.switchboard.UpgradeMetrics;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/**
 * Issue 13 items 1 and 4 against the whole sample: a request body is limited by the bytes actually
 * read, whatever its framing, and no client input makes the server answer 5xx or write a stack
 * trace (or any WARN) into its log.
 */
class SampleClientInputTest {

    private static final int MESSAGE_LIMIT = 16 * 1024;
    private static final String WEBSOCKET_KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

    private Server server;
    private int port;
    private ListAppender<ILoggingEvent> log;

    @BeforeEach
    void start() throws Exception {
        log = new ListAppender<>();
        log.start();
        root().addAppender(log);
        server = SampleServer.start("127.0.0.1", 0);
        port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        root().detachAppender(log);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** What was logged at WARN or above while the test ran: client input must log nothing there. */
    private List<String> warnings() {
        return log.list.stream()
            .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
            .map(event -> event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : " / " + event.getThrowableProxy().getClassName()))
            .toList();
    }

    private static String post(String contentType, int length) {
        return "POST /messages HTTP/1.1\r\nHost: t\r\nContent-Type: " + contentType + "\r\nContent-Length: " + length + "\r\n\r\n";
    }

    @Test
    void bodyLimit_chunkedPostToMessagesOver16KiBGets413WithoutReadingItAll() throws Exception {
        long bound = 64L * 1024 * 1024;   // more than the kernel's loopback buffers can hold: the writer must block or fail
        try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
            // A body that never ends: 64 KiB chunks until the server stops taking them (or the bound).
            CompletableFuture<Long> sent = client.sendEndlessChunks("POST /messages HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n", bound);

            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).contains(String.valueOf(MESSAGE_LIMIT)).doesNotContain("\n\t").hasLineCount(1);
            assertThat(response.header("Connection")).containsIgnoringCase("close");
            assertThat(client.closedWithin(Duration.ofMillis(10_000))).isTrue();
            assertThat(sent.get(30, TimeUnit.SECONDS)).isLessThan(bound);
        }
        assertThat(warnings()).isEmpty();
    }

    @Test
    void bodyLimit_aChunkedPostOfExactly16KiBIsStillPosted() throws Exception {
        String json = "{\"sender\": \"ann\", \"text\": \"hi\"}";
        String body = json + " ".repeat(MESSAGE_LIMIT - json.length());
        try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
            client.send("POST /messages HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < body.length(); i += 4096)
                client.send("1000\r\n" + body.substring(i, i + 4096) + "\r\n");
            RawResponse response = client.send("0\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(201);
            assertThat(response.body()).contains("\"sender\":\"ann\"");
        }
    }

    @Test
    void bodyLimit_aMessageBodyThatStopsArrivingGets408AndTheConnectionCloses() throws Exception {
        ((ServerConnector) server.getConnectors()[0]).setIdleTimeout(500);
        try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
            RawResponse response = client.send(post("text/plain", 100) + "ann: only part of it").readResponse();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).hasLineCount(1);
            assertThat(client.closedWithin(Duration.ofMillis(10_000))).isTrue();
        }
        assertThat(warnings()).isEmpty();
    }

    private static final String H2C_UPGRADE_POST = "POST /messages HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nContent-Type: text/plain\r\n";

    @Test
    void U10_anH2cUpgradePostDeclaring1GiBGets413FromTheApplicationAtOnce() throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
            RawResponse response = client.send(H2C_UPGRADE_POST + "Content-Length: " + (1L << 30) + "\r\n\r\n" + "a".repeat(10 * 1024))
                .readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).hasLineCount(1);
            assertThat(client.closedWithin(Duration.ofMillis(10_000))).isTrue();
        }
        assertThat(warnings()).isEmpty();
    }

    @Test
    void U10_anH2cUpgradePostWhoseBodyStopsArrivingGets408NotA500() throws Exception {
        ((ServerConnector) server.getConnectors()[0]).setIdleTimeout(500);
        try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
            RawResponse response = client.send(H2C_UPGRADE_POST + "Content-Length: 20000\r\n\r\n" + "a".repeat(10 * 1024))
                .readResponse();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).hasLineCount(1);
            assertThat(client.closedWithin(Duration.ofMillis(10_000))).isTrue();
        }
        assertThat(warnings()).isEmpty();
    }

    @Test
    void bodyLimit_anEndlessChunkedH2cUpgradePostGets413FromTheApplication() throws Exception {
        long bound = 64L * 1024 * 1024;
        try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
            CompletableFuture<Long> sent = client.sendEndlessChunks(H2C_UPGRADE_POST + "Transfer-Encoding: chunked\r\n\r\n", bound);

            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(client.closedWithin(Duration.ofMillis(10_000))).isTrue();
            assertThat(sent.get(30, TimeUnit.SECONDS)).isLessThan(bound);
        }
        assertThat(warnings()).isEmpty();
    }

    @Test
    void badInput_aMessageBodyThatIsNotUtf8Gets400WithAOneLineReason() throws Exception {
        byte[] body = {'a', 'n', 'n', ':', ' ', (byte) 0xC3, (byte) 0x28, (byte) 0xFF};
        for (String type : new String[] {"text/plain", "application/json"}) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
                client.send(post(type, body.length)).send(body);
                RawResponse response = client.readResponse();

                assertThat(response.status()).as(type).isEqualTo(400);
                assertThat(response.body()).as(type).contains("UTF-8").hasLineCount(1);
            }
        }
        assertThat(warnings()).isEmpty();
    }

    @Test
    void badInput_malformedJsonGets400WithAOneLineReasonThatDoesNotEchoTheParser() throws Exception {
        for (String json : new String[] {"{\"sender\": \"ann\", \"text\": ", "{\"text\": \"hi\"\n\n  oops}", "[1, 2", "\"\\uZZZZ\""}) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
                RawResponse response = client.send(post("application/json", body.length)).send(body).readResponse();

                assertThat(response.status()).as(json).isEqualTo(400);
                assertThat(response.body()).as(json).startsWith("bad message: ").hasLineCount(1).doesNotContain("Source:");
            }
        }
        assertThat(warnings()).isEmpty();
    }

    @Test
    void W4_aMalformedQuotedSecWebSocketVersionIsRefusedNotServedOrFallenBackOn() throws Exception {
        for (String path : new String[] {"/echo", "/chat"}) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
                RawResponse response = client.send("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + WEBSOCKET_KEY + "Sec-WebSocket-Version: \"13\r\n\r\n").readResponse();

                assertThat(response.status()).as(path).isEqualTo(400);
                assertThat(response.body()).as(path).contains("Sec-WebSocket-Version").hasLineCount(1);
            }
        }
        UpgradeDispatcher dispatcher = (UpgradeDispatcher) server.getHandler();
        assertThat(dispatcher.metrics().snapshot().handlerFaults("websocket")).isZero();
        assertThat(dispatcher.metrics().snapshot().count("websocket", UpgradeMetrics.Outcome.REJECTED)).isEqualTo(2);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void badInput_malformedQuotingInAnyUpgradeHeaderNeverGives5xxOrAStackTrace() throws Exception {
        String[] headers = {
            "Upgrade: websocket\r\n" + WEBSOCKET_KEY + "Sec-WebSocket-Version: \"13\r\n",
            "Upgrade: websocket\r\n" + WEBSOCKET_KEY + "Sec-WebSocket-Version: 13, \"\r\n",
            "Upgrade: websocket\r\n" + WEBSOCKET_KEY + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: \"chat\r\n",
            "Upgrade: websocket\r\n" + WEBSOCKET_KEY + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: \"permessage-deflate\r\n",
            "Upgrade: websocket\r\n" + WEBSOCKET_KEY + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; x=\"\r\n",
            "Upgrade: \"websocket\r\n" + WEBSOCKET_KEY + "Sec-WebSocket-Version: 13\r\n",
            "Upgrade: h2c\r\nHTTP2-Settings: \"AAMAAABk\r\n",
            "Upgrade: relay/2\r\nRelay-Max-Message-Size: \"1024\r\n",
            "Upgrade: relay/2\r\nRelay-Max-Message-Size: 99999999999999999999\r\n",
        };
        for (String path : new String[] {"/echo", "/chat", "/relay", "/"}) {
            for (String extra : headers) {
                boolean h2c = extra.startsWith("Upgrade: h2c");
                // Connection itself well-formed, then with an unbalanced quote of its own.
                for (String connection : h2c ? new String[] {"Upgrade, HTTP2-Settings", "Upgrade, \"HTTP2-Settings"} : new String[] {"Upgrade", "Upgrade, \""}) {
                    try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
                        RawResponse response = client.send("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: " + connection + "\r\n"
                            + extra + "\r\n").readResponse();

                        String what = path + " Connection: " + connection + " " + extra;
                        assertThat(response.status()).as(what).isBetween(101, 499);
                        assertThat(response.body()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
                    }
                }
            }
        }
        UpgradeDispatcher dispatcher = (UpgradeDispatcher) server.getHandler();
        for (String protocol : new String[] {"websocket", "h2c", "relay"})
            assertThat(dispatcher.metrics().snapshot().handlerFaults(protocol)).as(protocol).isZero();
        assertThat(warnings()).isEmpty();
    }
}
