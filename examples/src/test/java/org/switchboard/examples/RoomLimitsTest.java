package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.relay.CloseCode;
import org.switchboard.relay.RelayClient;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.relay.RelaySession;
import org.switchboard.relay.RelayListener;

/**
 * The room's message size limit, over the running sample (issue 13 items 6 and 8): each protocol
 * announces the room's limit once and enforces it with its own "too big" close (W8 and PROTOCOL.md
 * "Limits": 1009) and a one-line reason; what a protocol accepted the room accepts; a member that
 * cannot take a message is closed with 1009, never left connected and deaf; a client cannot write a
 * stack trace into the log.
 */
class RoomLimitsTest {

    private Server server;
    private int port;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeEach
    void start() throws Exception {
        // The sample logs to the console (logback.xml): keep a copy of what it writes.
        stdout = System.out;
        System.setOut(new PrintStream(new TeeStream(stdout, log), true, StandardCharsets.UTF_8));
        server = SampleServer.start("127.0.0.1", 0);
        port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            server.stop();
        } finally {
            System.setOut(stdout);
        }
    }

    private String logged() {
        System.out.flush();
        return log.toString(StandardCharsets.UTF_8);
    }

    private static void assertNoStackTrace(String log) {
        assertThat(log).as("the log").doesNotContain("\tat ").doesNotContain("Exception");
    }

    private URI relayUri() {
        return URI.create("http://127.0.0.1:" + port + "/relay");
    }

    private static final class Heard implements RelayListener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final java.util.concurrent.CompletableFuture<String> closed = new java.util.concurrent.CompletableFuture<>();

        @Override
        public void onText(RelaySession session, String text) {
            texts.add(text);
        }

        @Override
        public void onClose(RelaySession session, int code, String reason) {
            closed.complete(code + " " + reason);
        }

        String next() throws InterruptedException {
            return texts.poll(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void W8_aWebSocketTextOver4096CharactersIsPostedNotClosedWith1011() throws Exception {
        TextSocket socket = TextSocket.open(URI.create("ws://127.0.0.1:" + port + "/chat"), "chat");
        String line = "wendy: " + "w".repeat(5000);
        socket.send(line);

        assertThat(socket.next()).isEqualTo(line);
        socket.close();
        assertNoStackTrace(logged());
    }

    @Test
    void limits_aRelayTextOver4096CharactersIsPostedNotClosedWith1011() throws Exception {
        Heard heard = new Heard();
        try (RelayClient client = RelayClient.connect(relayUri(), heard)) {
            String line = "rita: " + "r".repeat(5000);
            assertThat(client.sendText(line)).isTrue();

            assertThat(heard.next()).isEqualTo(line);
            assertThat(client.isOpen()).isTrue();
        }
        assertNoStackTrace(logged());
    }

    @Test
    void W8_limits_bothProtocolsAnnounceTheRoomsLimitAndTheRoomTakesAndDeliversAMessageOfExactlyThatSize() throws Exception {
        Heard atRelay = new Heard();
        try (RelayClient relay = RelayClient.connect(relayUri(), atRelay)) {
            assertThat(relay.peerMaxMessageSize()).as("Relay-Max-Message-Size").isEqualTo(ChatRoom.MAX_INCOMING_BYTES);
            TextSocket socket = TextSocket.open(URI.create("ws://127.0.0.1:" + port + "/chat"), "chat");

            // The largest text WebSocket accepts, from nobody in particular: it goes out as
            // "anonymous: ...", which a relay member with the default maximum (65536) still takes.
            String text = "a".repeat(ChatRoom.MAX_INCOMING_BYTES);
            socket.send(text);
            assertThat(socket.next()).isEqualTo("anonymous: " + text);
            String heard = atRelay.next();
            assertThat(heard).isEqualTo("anonymous: " + text);
            assertThat(heard.getBytes(StandardCharsets.UTF_8)).hasSize(ChatMessage.MAX_LINE_BYTES);

            // And the largest one relay accepts.
            String fromRelay = "b".repeat(ChatRoom.MAX_INCOMING_BYTES);
            assertThat(relay.sendText(fromRelay)).isTrue();
            assertThat(socket.next()).isEqualTo("anonymous: " + fromRelay);
            assertThat(atRelay.next()).isEqualTo("anonymous: " + fromRelay);
            socket.close();
        }
        assertNoStackTrace(logged());
    }

    @Test
    void W8_aWebSocketTextOverTheLimitIsClosedWith1009AndAOneLineReasonWithoutAStackTrace() throws Exception {
        TextSocket socket = TextSocket.open(URI.create("ws://127.0.0.1:" + port + "/chat"), "chat");
        socket.send("x".repeat(ChatRoom.MAX_INCOMING_BYTES + 1));

        assertThat(socket.closeCode()).isEqualTo(1009);
        assertThat(socket.closeReason()).isNotBlank().doesNotContain("\n");
        assertNoStackTrace(logged());
    }

    @Test
    void limits_aRelayFrameOverTheLimitIsClosedWith1009AndAOneLineReasonWithoutAStackTrace() throws Exception {
        try (RawUpgradeClient raw = RawUpgradeClient.connect(port)) {
            RawResponse head = raw.send("GET /relay HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: relay/1\r\n\r\n").readHead();
            assertThat(head.header("Relay-Max-Message-Size")).isEqualTo(Integer.toString(ChatRoom.MAX_INCOMING_BYTES));
            raw.send(ByteBuffer.allocate(5).put((byte) 0x01).putInt(ChatRoom.MAX_INCOMING_BYTES + 1).array());

            ByteBuffer header = ByteBuffer.wrap(raw.readExactly(5));
            assertThat(header.get()).as("CLOSE").isEqualTo((byte) 0x08);
            ByteBuffer payload = ByteBuffer.wrap(raw.readExactly(header.getInt()));
            assertThat(payload.getShort() & 0xFFFF).isEqualTo(CloseCode.TOO_BIG);
            assertThat(StandardCharsets.UTF_8.decode(payload).toString()).isNotBlank().doesNotContain("\n");
        }
        assertNoStackTrace(logged());
    }

    @Test
    void limits_aRelayMemberThatAnnounced125IsClosedWith1009ByA200CharacterMessageNotLeftDeaf() throws Exception {
        Heard small = new Heard();
        Heard big = new Heard();
        try (RelayClient smallClient = RelayClient.connectWithMaxMessageSize(relayUri(), small, 125, 2);
             RelayClient bigClient = RelayClient.connect(relayUri(), big)) {
            TextSocket socket = TextSocket.open(URI.create("ws://127.0.0.1:" + port + "/chat"), "chat");
            // Everyone is in the room once each has heard a short message.
            socket.send("wendy: hi");
            assertThat(small.next()).isEqualTo("wendy: hi");
            assertThat(big.next()).isEqualTo("wendy: hi");
            assertThat(socket.next()).isEqualTo("wendy: hi");

            String line = "wendy: " + "w".repeat(200);
            socket.send(line);

            assertThat(small.closed.get(10, TimeUnit.SECONDS)).isEqualTo("1009 a message of 207 bytes is over your Relay-Max-Message-Size 125");
            assertThat(smallClient.closed().get(10, TimeUnit.SECONDS)).isEqualTo(CloseCode.TOO_BIG);
            assertThat(small.texts).isEmpty();
            assertThat(big.next()).isEqualTo(line);
            assertThat(socket.next()).isEqualTo(line);
            socket.send("wendy: still here");
            assertThat(big.next()).isEqualTo("wendy: still here");
            socket.close();
        }
        assertNoStackTrace(logged());
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
