package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeDispatcher;
import org.switchboard.UpgradePolicy;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.ExtendedConnect;
import org.switchboard.testing.TestServer;

/**
 * relay over HTTP/2 (PROTOCOL.md, "relay over HTTP/2"; RULES.md C1–C6): the same
 * {@link RelayProtocolHandler}, unchanged, reached by an RFC 8441 extended CONNECT with
 * {@code :protocol relay/1} or {@code relay/2} on a prior-knowledge HTTP/2 connection, driven by
 * Jetty's HTTP/2 client; every frame on the stream checked as on a socket.
 */
class RelayOverHttp2Test {

    private TestServer server;

    private TestServer start(RelayListener listener, RelayConfig config) throws Exception {
        server = TestServer.startWithExtendedConnect(Switchboard.builder()
            .handler(new RelayProtocolHandler(listener, config))
            .route("/chat", UpgradePolicy.required("relay"))
            .build(), new RequestSummaryHandler());
        return server;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null)
            server.close();
    }

    private void awaitUpgradedConnections(int open) {
        await().atMost(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS).until(() -> server.dispatcher().upgradedConnections() == open);
    }

    /** A CONNECT to /chat, answered 200, its session open on the server and counted. */
    private ExtendedConnect openCounted(String protocol, RecordingListener serverSide) throws Exception {
        ExtendedConnect tunnel = ExtendedConnect.open(server.port(), "/chat", protocol);
        assertThat(tunnel.status()).isEqualTo(200);
        serverSide.opened.get(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS);
        awaitUpgradedConnections(1);
        return tunnel;
    }

    private static HttpFields maxMessageSize(int bytes) {
        return HttpFields.build().put(RelayProtocolHandler.MAX_MESSAGE_SIZE_HEADER, Integer.toString(bytes));
    }

    @Test
    void C3_relay1OnAStream_200CarriesRelaysHeadersAndFramesFlowBothWays() throws Exception {
        start(new RelayServerTest.Echo(), RelayConfig.DEFAULT);
        try (ExtendedConnect tunnel = ExtendedConnect.open(server.port(), "/chat", "relay/1", maxMessageSize(4096), null, 0)) {
            assertThat(tunnel.status()).isEqualTo(200);
            assertThat(tunnel.headers().get(RelayProtocolHandler.MAX_MESSAGE_SIZE_HEADER)).isEqualTo("65536");
            assertThat(tunnel.headers().contains(HttpHeader.UPGRADE)).isFalse();
            tunnel.send(WireFrames.text(1, 0, "over h2")).get(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(tunnel.read(WireFrames.text(1, 0, "over h2").length)).isEqualTo(WireFrames.text(1, 0, "over h2"));
        }
    }

    @Test
    void C3_relay2OnAStreamNumbersAndAcknowledgesMessages() throws Exception {
        start(new RelayServerTest.Echo(), RelayConfig.DEFAULT);
        try (ExtendedConnect tunnel = ExtendedConnect.open(server.port(), "/chat", "relay/2")) {
            assertThat(tunnel.status()).isEqualTo(200);
            tunnel.send(WireFrames.text(2, 1, "hi")).get(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(tunnel.read(11)).isEqualTo(WireFrames.text(2, 1, "hi"));
            assertThat(tunnel.read(9)).isEqualTo(WireFrames.ack(1));
        }
    }

    @Test
    void C3_U10_framesSentRightBehindTheConnectAreHandled() throws Exception {
        RecordingListener serverSide = new RelayServerTest.Echo();
        start(serverSide, RelayConfig.DEFAULT);
        byte[] early = WireFrames.concat(WireFrames.text(1, 0, "first"), WireFrames.text(1, 0, "second"));
        try (ExtendedConnect tunnel = ExtendedConnect.open(server.port(), "/chat", "relay/1", HttpFields.EMPTY, early, 0)) {
            assertThat(tunnel.status()).isEqualTo(200);
            assertThat(serverSide.next()).isEqualTo("first");
            assertThat(serverSide.next()).isEqualTo("second");
            assertThat(tunnel.read(early.length)).isEqualTo(early);
        }
    }

    @Test
    void C4_SB4_anUnspokenVersionGets501ListingTheVersions_thenTheClientRetriesOneOfThem() throws Exception {
        start(new RelayServerTest.Echo(), RelayConfig.DEFAULT);
        try (ExtendedConnect tunnel = ExtendedConnect.open(server.port(), "/chat", "relay/3")) {
            assertThat(tunnel.status()).isEqualTo(501);
            assertThat(tunnel.headers().get(UpgradeDispatcher.CONNECT_PROTOCOL)).isEqualTo("relay/2, relay/1");
            assertThat(tunnel.body()).contains(":protocol relay/3");
        }
        // PROTOCOL.md: a client that speaks relay/1 retries with it, on a new stream.
        try (ExtendedConnect tunnel = ExtendedConnect.open(server.port(), "/chat", "relay/1")) {
            assertThat(tunnel.status()).isEqualTo(200);
        }
    }

    @Test
    void C4_SB2_aMalformedRelayMaxMessageSizeIsRejectedWith400OnTheStream() throws Exception {
        start(new RelayServerTest.Echo(), RelayConfig.DEFAULT);
        try (ExtendedConnect tunnel = ExtendedConnect.open(server.port(), "/chat", "relay/2",
            HttpFields.build().put(RelayProtocolHandler.MAX_MESSAGE_SIZE_HEADER, "lots"), null, 0)) {
            assertThat(tunnel.status()).isEqualTo(400);
            assertThat(tunnel.body()).startsWith(RelayProtocolHandler.MAX_MESSAGE_SIZE_HEADER + " must be a number");
        }
    }

    @Test
    void C3_flowControlIsRelaysBackpressure_aPausedReaderStallsTheServerAndEveryByteArrives() throws Exception {
        int count = 64;
        int size = 64 * 1024;
        RecordingListener serverSide = new RecordingListener() {
            @Override
            public void onText(RelaySession session, String text) {
                // "go": send 4 MiB of numbered binary messages; every send must be queued, none refused.
                boolean queued = true;
                for (int i = 0; i < count; i++)
                    queued &= session.sendBinary(ByteBuffer.wrap(numbered(i, size)));
                this.messages.add("queued all: " + queued);
            }
        };
        start(serverSide, RelayConfig.DEFAULT.withMaxQueuedBytes(count * (size + 16)));
        try (ExtendedConnect tunnel = ExtendedConnect.open(server.port(), "/chat", "relay/1", HttpFields.EMPTY, null, 65_535)) {
            assertThat(tunnel.status()).isEqualTo(200);
            tunnel.pause();
            tunnel.send(WireFrames.text(1, 0, "go")).get(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(serverSide.next()).isEqualTo("queued all: true");
            // The server may send no more than this reader's window: then it waits, with the rest queued.
            await().atMost(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS).until(() -> tunnel.receiveWindow() <= 0);
            assertThat(tunnel.receiveWindow()).isZero();
            tunnel.resume();
            for (int i = 0; i < count; i++) {
                WireFrames.Frame frame = WireFrames.read(tunnel);
                assertThat(frame.type()).isEqualTo(RelayFrames.BINARY);
                assertThat(frame.payload()).as("message %d", i).isEqualTo(numbered(i, size));
            }
        }
    }

    private static byte[] numbered(int n, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
            bytes[i] = (byte) (n * 31 + i);
        return bytes;
    }

    @Test
    void C5_W8_gracefulShutdownSaysCloseGoingAwayOnTheStream_andTheSessionIsCountedClosedOnce() throws Exception {
        RecordingListener serverSide = new RecordingListener();
        start(serverSide, RelayConfig.DEFAULT);
        try (ExtendedConnect tunnel = openCounted("relay/1", serverSide)) {

            CompletableFuture<Void> shutdown = server.dispatcher().shutdown();

            WireFrames.Frame close = WireFrames.read(tunnel);
            assertThat(close.type()).isEqualTo(RelayFrames.CLOSE);
            assertThat(close.closeCode()).isEqualTo(CloseCode.GOING_AWAY);
            assertThat(close.closeReason()).isEqualTo("server shutting down");
            tunnel.send(WireFrames.close(CloseCode.GOING_AWAY, "")).get(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(tunnel.awaitEnd()).as("the server ends the stream").isTrue();
            shutdown.get(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(serverSide.awaitClose()).startsWith("1001");
            awaitUpgradedConnections(0);
        }
        assertThat(server.dispatcher().metrics().snapshot().open("relay")).isZero();
    }

    @Test
    void C5_SB6_aClientThatResetsTheStreamLeavesTheSessionClosedAndUncounted() throws Exception {
        RecordingListener serverSide = new RecordingListener();
        start(serverSide, RelayConfig.DEFAULT);
        try (ExtendedConnect tunnel = openCounted("relay/2", serverSide)) {
            tunnel.cancel();
            assertThat(serverSide.awaitClose()).isNotEmpty();
            awaitUpgradedConnections(0);
        }
        assertThat(server.dispatcher().metrics().snapshot().open("relay")).isZero();
    }
}
