package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.relay.WireFrames.concat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.UpgradePolicy;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.TestServer;

/**
 * The relay server through Switchboard's dispatcher on a real Jetty connector, driven over raw
 * sockets so that every frame on the wire is checked against PROTOCOL.md. Test names start with
 * the rule (RULES.md at the repository root) or the PROTOCOL.md section they prove.
 */
class RelayServerTest {

    private static String upgrade(String path, String protocols) {
        return "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: " + protocols + "\r\n\r\n";
    }

    /** Echoes every message and records it. */
    static class Echo extends RecordingListener {
        @Override
        public void onText(RelaySession session, String text) {
            super.onText(session, text);
            session.sendText(text);
        }

        @Override
        public void onBinary(RelaySession session, ByteBuffer data) {
            session.sendBinary(data.duplicate());
            super.onBinary(session, data);
        }
    }

    private static TestServer start(RelayListener listener, RelayConfig config) throws Exception {
        return TestServer.start(Switchboard.builder()
            .handler(new RelayProtocolHandler(listener, config))
            .route("/required", UpgradePolicy.required())
            .build());
    }

    private static TestServer start(RelayListener listener) throws Exception {
        return start(listener, RelayConfig.DEFAULT);
    }

    // Section 1: handshake and negotiation.

    @Test
    void SB4_relay2CommaRelay1GetsRelay2AndThe101AnnouncesTheMaximumMessageSize() throws Exception {
        try (TestServer server = start(new Echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(upgrade("/", "relay/2, relay/1")).readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("relay/2");
            assertThat(head.header("Connection")).isEqualTo("Upgrade");
            assertThat(head.header("Relay-Max-Message-Size")).isEqualTo("65536");
            client.send(WireFrames.text(2, 1, "hi"));
            assertThat(client.readExactly(11)).isEqualTo(WireFrames.text(2, 1, "hi"));
            assertThat(client.readExactly(9)).isEqualTo(WireFrames.ack(1));
        }
    }

    @Test
    void SB4_relay1AloneGetsRelay1WithoutIdsOrAcks() throws Exception {
        try (TestServer server = start(new Echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(upgrade("/", "relay/1")).readHead().header("Upgrade")).isEqualTo("relay/1");

            client.send(concat(WireFrames.text(1, 0, "one"), WireFrames.control(RelayFrames.PING, new byte[] {7})));
            assertThat(client.readExactly(8)).isEqualTo(WireFrames.text(1, 0, "one"));
            assertThat(client.readExactly(6)).as("no ACK in relay/1: the PONG comes next").isEqualTo(WireFrames.control(RelayFrames.PONG, new byte[] {7}));
        }
    }

    @Test
    void SB4_clientPreferenceDecidesBetweenVersions() throws Exception {
        try (TestServer server = start(new Echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(upgrade("/", "relay/1, relay/2")).readHead().header("Upgrade")).isEqualTo("relay/1");
        }
    }

    @Test
    void SB4_relayWithoutAVersionGetsTheDocumentedDefaultRelay1() throws Exception {
        try (TestServer server = start(new Echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(upgrade("/", "relay")).readHead().header("Upgrade")).isEqualTo("relay/" + RelayProtocolHandler.DEFAULT_VERSION);
            client.send(WireFrames.text(1, 0, "v1"));
            assertThat(client.readExactly(7)).isEqualTo(WireFrames.text(1, 0, "v1"));
        }
    }

    @Test
    void SB3_SB4_relay9IsDeclinedSoTheRoutePolicyDecides() throws Exception {
        try (TestServer server = start(new Echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse optional = client.send(upgrade("/chat", "relay/9")).readResponse();
            assertThat(optional.status()).isEqualTo(200);
            assertThat(optional.body()).isEqualTo("GET /chat HTTP/1.1 body=");

            RawResponse required = client.send(upgrade("/required", "relay/9")).readResponse();
            assertThat(required.status()).isEqualTo(426);
            assertThat(required.header("Upgrade")).isEqualTo("relay/2, relay/1");
        }
    }

    @Test
    void SB2_aMalformedRelayMaxMessageSizeIsRejectedWith400() throws Exception {
        try (TestServer server = start(new Echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: relay/2\r\n"
                + "Relay-Max-Message-Size: 12\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("Relay-Max-Message-Size");
        }
    }

    @Test
    void U10_framesPipelinedInTheSameWriteAsTheUpgradeRequestAreHandled() throws Exception {
        Echo echo = new Echo();
        try (TestServer server = start(echo); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(concat(upgrade("/", "relay/2"), WireFrames.text(2, 1, "first"), WireFrames.text(2, 2, "second"),
                WireFrames.control(RelayFrames.PING, new byte[] {1, 2})));

            assertThat(client.readHead().header("Upgrade")).isEqualTo("relay/2");
            assertThat(client.readExactly(14)).isEqualTo(WireFrames.text(2, 1, "first"));
            assertThat(client.readExactly(15)).isEqualTo(WireFrames.text(2, 2, "second"));
            assertThat(client.readExactly(7)).isEqualTo(WireFrames.control(RelayFrames.PONG, new byte[] {1, 2}));
            assertThat(client.readExactly(9)).as("one ACK for the read, after its frames").isEqualTo(WireFrames.ack(2));
            assertThat(echo.next()).isEqualTo("first");
            assertThat(echo.next()).isEqualTo("second");
        }
    }

    // Section 2: full duplex.

    @Test
    void theServerPushesWhileTheClientIsSending() throws Exception {
        int count = 2000;
        CompletableFuture<Void> pushed = new CompletableFuture<>();
        AtomicInteger received = new AtomicInteger();
        RelayListener pusher = new RelayListener() {
            @Override
            public void onOpen(RelaySession session) {
                // Push from another thread while the client's messages arrive on the I/O thread.
                new Thread(() -> {
                    for (int i = 0; i < count; i++)
                        session.sendText("push " + i);
                    pushed.complete(null);
                }).start();
            }

            @Override
            public void onText(RelaySession session, String text) {
                received.incrementAndGet();
            }
        };
        RecordingListener heard = new RecordingListener();
        try (TestServer server = start(pusher); RelayClient client = RelayClient.connect(URI.create("http://127.0.0.1:" + server.port() + "/"), heard)) {
            for (int i = 0; i < count; i++)
                assertThat(client.sendText("send " + i)).isTrue();

            for (int i = 0; i < count; i++)
                assertThat(heard.next()).isEqualTo("push " + i);
            pushed.get(10, TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heard.acknowledged == count);
            assertThat(received.get()).isEqualTo(count);
        }
    }

    @Test
    void aMessageBiggerThanTheReadBufferArrivesWholeWhateverTheWriteSizes() throws Exception {
        Echo echo = new Echo();
        String big = "0123456789abcdef".repeat(4000);
        byte[] frame = WireFrames.text(1, 0, big);
        try (TestServer server = start(echo); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(upgrade("/", "relay/1")).readHead();
            // Small writes, so the frame reaches the server across many reads.
            for (int offset = 0; offset < frame.length; offset += 1000)
                client.send(java.util.Arrays.copyOfRange(frame, offset, Math.min(frame.length, offset + 1000)));

            assertThat(WireFrames.read(client).text(0)).isEqualTo(big);
            assertThat(echo.next()).isEqualTo(big);
        }
        RecordingListener heard = new RecordingListener();
        try (TestServer server = start(new Echo());
             RelayClient client = RelayClient.connect(URI.create("http://127.0.0.1:" + server.port() + "/"), heard)) {
            client.sendText(big);
            assertThat(heard.next()).isEqualTo(big);
        }
    }

    @Test
    void pingIsAnsweredWithAPongCarryingTheSamePayload() throws Exception {
        try (TestServer server = start(new Echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(upgrade("/", "relay/2")).readHead();
            byte[] payload = "are you there?".getBytes(StandardCharsets.US_ASCII);
            client.send(WireFrames.control(RelayFrames.PING, payload));

            WireFrames.Frame pong = WireFrames.read(client);
            assertThat(pong.type()).isEqualTo(RelayFrames.PONG);
            assertThat(pong.payload()).isEqualTo(payload);
        }
    }

    // Section 4: closing.

    @Test
    void aClientCloseIsAnsweredWithTheSameCodeThenTheServerEndsTheStream() throws Exception {
        Echo echo = new Echo();
        try (TestServer server = start(echo); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(upgrade("/", "relay/1")).readHead();
            client.send(WireFrames.close(3001, "bye now"));

            WireFrames.Frame close = WireFrames.read(client);
            assertThat(close.type()).isEqualTo(RelayFrames.CLOSE);
            assertThat(close.closeCode()).isEqualTo(3001);
            assertThat(close.closeReason()).isEmpty();
            assertThat(client.closedWithin(Duration.ofMillis(5000))).isTrue();
            assertThat(echo.awaitClose()).isEqualTo("3001 bye now");
        }
    }

    @Test
    void afterBothClosesTheServerClosesTheConnectionWithoutWaitingForTheClientsEndOfStream() throws Exception {
        try (TestServer server = start(new Echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(upgrade("/", "relay/1")).readHead();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.dispatcher().upgradedConnections() == 1);
            client.send(WireFrames.close(CloseCode.NORMAL, ""));

            assertThat(WireFrames.read(client).closeCode()).isEqualTo(CloseCode.NORMAL);
            // The client's sending side stays open: only the server closing frees its connection.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.dispatcher().upgradedConnections() == 0);
            assertThat(client.closedWithin(Duration.ofMillis(5000))).isTrue();
        }
    }

    @Test
    void afterAServerCloseWithoutTheClientsTheServerWaitsForTheClientsEndOfStream() throws Exception {
        try (TestServer server = start(new Echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(upgrade("/", "relay/1")).readHead();
            client.send(new byte[] {0x42, 0, 0, 0, 0});

            assertThat(WireFrames.read(client).closeCode()).isEqualTo(CloseCode.PROTOCOL_ERROR);
            // FIN after the final CLOSE, but the connection stays until the client ends its side:
            // closing with the client's bytes unread would reset it and could lose the CLOSE.
            assertThat(client.closedWithin(Duration.ofMillis(5000))).isTrue();
            assertThat(server.dispatcher().upgradedConnections()).isEqualTo(1);
            client.shutdownOutput();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.dispatcher().upgradedConnections() == 0);
        }
    }

    @Test
    void aServerCloseIsAnsweredByTheClientAndBothSidesHearTheCode() throws Exception {
        RecordingListener serverSide = new RecordingListener() {
            @Override
            public void onText(RelaySession session, String text) {
                session.close(3000, "asked to quit");
                // After CLOSE nothing more may be sent.
                messages.add("sent after close: " + session.sendText("too late"));
            }
        };
        RecordingListener clientSide = new RecordingListener();
        try (TestServer server = start(serverSide);
             RelayClient client = RelayClient.connect(URI.create("http://127.0.0.1:" + server.port() + "/"), clientSide)) {
            client.sendText("quit");

            assertThat(clientSide.awaitClose()).isEqualTo("3000 asked to quit");
            assertThat(serverSide.awaitClose()).isEqualTo("3000 asked to quit");
            assertThat(serverSide.next()).isEqualTo("sent after close: false");
            assertThat(client.closed().get(10, TimeUnit.SECONDS)).isEqualTo(3000);
            assertThat(clientSide.messages).isEmpty();
        }
    }

    @Test
    void gracefulShutdownSendsCloseGoingAwayAndCompletesWhenClientsAnswer() throws Exception {
        RecordingListener serverSide = new RecordingListener();
        RecordingListener clientSide = new RecordingListener();
        try (TestServer server = start(serverSide);
             RelayClient client = RelayClient.connect(URI.create("http://127.0.0.1:" + server.port() + "/"), clientSide);
             RawUpgradeClient raw = RawUpgradeClient.connect(server.port())) {
            raw.send(upgrade("/", "relay/1")).readHead();
            serverSide.opened.get(10, TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.dispatcher().upgradedConnections() == 2);

            CompletableFuture<Void> shutdown = server.dispatcher().shutdown();

            WireFrames.Frame close = WireFrames.read(raw);
            assertThat(close.closeCode()).isEqualTo(CloseCode.GOING_AWAY);
            assertThat(close.closeReason()).isEqualTo("server shutting down");
            assertThat(clientSide.awaitClose()).isEqualTo("1001 server shutting down");
            assertThat(shutdown).as("the raw client has not answered yet").isNotDone();
            raw.send(WireFrames.close(CloseCode.GOING_AWAY, ""));
            assertThat(raw.closedWithin(Duration.ofMillis(5000))).as("the server ends its side").isTrue();
            raw.close();
            shutdown.get(10, TimeUnit.SECONDS);
            assertThat(server.dispatcher().upgradedConnections()).isZero();
        }
    }

    @Test
    void stoppingTheServerGracefullyClosesRelaySessionsWithGoingAway() throws Exception {
        RecordingListener clientSide = new RecordingListener();
        TestServer server = start(new Echo());
        server.server().setStopTimeout(10_000);
        try (RelayClient client = RelayClient.connect(URI.create("http://127.0.0.1:" + server.port() + "/"), clientSide)) {
            client.sendText("before");
            assertThat(clientSide.next()).isEqualTo("before");

            // Jetty's own stop reaches the dispatcher, which is Graceful, and through it every session.
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    server.close();
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });
            assertThat(clientSide.awaitClose()).isEqualTo("1001 server shutting down");
            stopped.get(10, TimeUnit.SECONDS);
            assertThat(client.closed().get(10, TimeUnit.SECONDS)).isEqualTo(CloseCode.GOING_AWAY);
        }
    }

    // Section 3 and 6: limits and protocol errors.

    @Test
    void aSlowReaderIsClosedWith4001InsteadOfBufferingWithoutBound() throws Exception {
        int queueBound = 64 * 1024;
        byte[] message = new byte[1000];
        AtomicInteger accepted = new AtomicInteger();
        RecordingListener pusher = new RecordingListener() {
            @Override
            public void onOpen(RelaySession session) {
                super.onOpen(session);
                new Thread(() -> {
                    // The client reads nothing: sends are accepted until the queue is full.
                    while (session.sendBinary(ByteBuffer.wrap(message)))
                        accepted.incrementAndGet();
                }).start();
            }
        };
        RelayConfig config = new RelayConfig(4096, queueBound, Duration.ofSeconds(30));
        try (TestServer server = start(pusher, config); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(upgrade("/", "relay/1")).readHead();

            // The server gives up on its own, while the client has read nothing after the 101.
            assertThat(pusher.awaitClose()).isEqualTo("4001 outbound queue full");

            int frames = 0;
            WireFrames.Frame frame;
            while ((frame = WireFrames.read(client)).type() == RelayFrames.BINARY)
                frames++;
            assertThat(frame.type()).isEqualTo(RelayFrames.CLOSE);
            assertThat(frame.closeCode()).isEqualTo(CloseCode.SLOW_CONSUMER);
            assertThat(client.closedWithin(Duration.ofMillis(5000))).isTrue();
            // What was queued when the bound was hit is dropped, never more than the bound.
            assertThat(accepted.get() - frames).isBetween(0, queueBound / message.length);
        }
        try (TestServer server = start(new Echo(), config); RawUpgradeClient other = RawUpgradeClient.connect(server.port())) {
            assertThat(other.send(upgrade("/", "relay/1")).readHead().status()).isEqualTo(101);
        }
    }

    @Test
    void anIdleClientIsPingedThenClosedWith4002() throws Exception {
        RecordingListener serverSide = new RecordingListener();
        try (TestServer server = start(serverSide, RelayConfig.DEFAULT.withIdleTimeout(Duration.ofMillis(300)));
             RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(upgrade("/", "relay/1")).readHead();

            assertThat(client.readExactly(5)).as("PING, empty").isEqualTo(WireFrames.control(RelayFrames.PING, new byte[0]));
            WireFrames.Frame close = WireFrames.read(client);
            assertThat(close.closeCode()).isEqualTo(CloseCode.IDLE_TIMEOUT);
            assertThat(close.closeReason()).isEqualTo("idle timeout");
            assertThat(client.closedWithin(Duration.ofMillis(5000))).isTrue();
            assertThat(serverSide.awaitClose()).isEqualTo("4002 idle timeout");
        }
    }

    @Test
    void aClientThatAnswersPingsStaysConnected() throws Exception {
        try (TestServer server = start(new Echo(), RelayConfig.DEFAULT.withIdleTimeout(Duration.ofMillis(200)));
             RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(upgrade("/", "relay/1")).readHead();

            for (int i = 0; i < 3; i++) {
                assertThat(WireFrames.read(client).type()).isEqualTo(RelayFrames.PING);
                client.send(WireFrames.control(RelayFrames.PONG, new byte[0]));
            }
            client.send(WireFrames.text(1, 0, "still here"));
            assertThat(WireFrames.read(client).text(0)).isEqualTo("still here");
        }
    }

    @Test
    void anUnknownFrameTypeClosesWith1002AndTheServerKeepsServingOthers() throws Exception {
        Echo echo = new Echo();
        try (TestServer server = start(echo); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(upgrade("/", "relay/1")).readHead();
            client.send(concat(WireFrames.header(0x42, 3), "abc".getBytes(StandardCharsets.US_ASCII), WireFrames.text(1, 0, "ignored")));

            WireFrames.Frame close = WireFrames.read(client);
            assertThat(close.closeCode()).isEqualTo(CloseCode.PROTOCOL_ERROR);
            assertThat(close.closeReason()).isEqualTo("unknown frame type 0x42");
            assertThat(client.closedWithin(Duration.ofMillis(5000))).isTrue();
            assertThat(echo.awaitClose()).isEqualTo("1002 unknown frame type 0x42");
            assertThat(echo.messages).isEmpty();

            try (RawUpgradeClient other = RawUpgradeClient.connect(server.port())) {
                other.send(concat(upgrade("/", "relay/1"), WireFrames.text(1, 0, "fine")));
                assertThat(other.readHead().status()).isEqualTo(101);
                assertThat(WireFrames.read(other).text(0)).isEqualTo("fine");
            }
        }
    }

    @Test
    void aFrameOverTheMaximumMessageSizeClosesWith1009() throws Exception {
        try (TestServer server = start(new Echo(), RelayConfig.DEFAULT.withMaxMessageSize(1000)); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(upgrade("/", "relay/1")).readHead().header("Relay-Max-Message-Size")).isEqualTo("1000");
            // Only the header: the server must refuse without waiting for the payload.
            client.send(WireFrames.header(RelayFrames.BINARY, 1001));

            WireFrames.Frame close = WireFrames.read(client);
            assertThat(close.closeCode()).isEqualTo(CloseCode.TOO_BIG);
            assertThat(client.closedWithin(Duration.ofMillis(5000))).isTrue();
        }
    }

    @Test
    void aFrameTruncatedByTheEndOfTheStreamClosesWith1002() throws Exception {
        Echo echo = new Echo();
        try (TestServer server = start(echo); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(upgrade("/", "relay/1")).readHead();
            byte[] frame = WireFrames.text(1, 0, "cut short");
            client.send(java.util.Arrays.copyOf(frame, 8));
            client.shutdownOutput();

            WireFrames.Frame close = WireFrames.read(client);
            assertThat(close.closeCode()).isEqualTo(CloseCode.PROTOCOL_ERROR);
            assertThat(close.closeReason()).isEqualTo("truncated frame");
            assertThat(client.closedWithin(Duration.ofMillis(5000))).isTrue();
        }
    }

    @Test
    void anApplicationThatThrowsClosesTheSessionWith1011() throws Exception {
        RecordingListener failing = new RecordingListener() {
            @Override
            public void onText(RelaySession session, String text) {
                throw new IllegalStateException("application bug");
            }
        };
        try (TestServer server = start(failing); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(concat(upgrade("/", "relay/2"), WireFrames.text(2, 1, "boom")));
            client.readHead();

            WireFrames.Frame close = WireFrames.read(client);
            assertThat(close.closeCode()).as("no ACK for a message the application failed on").isEqualTo(CloseCode.INTERNAL_ERROR);
            assertThat(failing.awaitClose()).isEqualTo("1011 internal error");
        }
    }

    @Test
    void relay2AcknowledgesMessagesCumulativelyAndRefusesAnAckForAMessageNeverSent() throws Exception {
        RecordingListener serverSide = new RecordingListener() {
            @Override
            public void onOpen(RelaySession session) {
                super.onOpen(session);
                session.sendText("a");
                session.sendText("b");
            }
        };
        try (TestServer server = start(serverSide); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send(upgrade("/", "relay/2")).readHead();
            List<WireFrames.Frame> pushed = new ArrayList<>(List.of(WireFrames.read(client), WireFrames.read(client)));
            assertThat(pushed).extracting(f -> f.id() + ":" + f.text(4)).containsExactly("1:a", "2:b");

            client.send(WireFrames.ack(2));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> serverSide.acknowledged == 2);
            client.send(WireFrames.ack(3));
            WireFrames.Frame close = WireFrames.read(client);
            assertThat(close.closeCode()).isEqualTo(CloseCode.PROTOCOL_ERROR);
            assertThat(close.closeReason()).isEqualTo("ACK 3 for a message never sent");
        }
    }
}
