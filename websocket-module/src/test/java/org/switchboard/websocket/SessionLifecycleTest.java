package org.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.websocket.HandshakeTest.handshake;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.TestServer;

/** Per-endpoint limits and the closing side of W8: 1009 for too big, idle timeout, 1001 on graceful shutdown. */
class SessionLifecycleTest {

    private static Switchboard limited() {
        return Switchboard.builder()
            .handler(WebSocketProtocolHandler.builder()
                .endpoint(WebSocketEndpoint.builder("/small", (rq, rs, cb) -> new EchoEndpoint())
                    .limits(WebSocketLimits.DEFAULT.withMaxTextMessageSize(16).withMaxBinaryMessageSize(8))
                    .build())
                .endpoint(WebSocketEndpoint.builder("/tiny-frames", (rq, rs, cb) -> new EchoEndpoint())
                    .limits(WebSocketLimits.DEFAULT.withMaxFrameSize(200).withAutoFragment(false))
                    .build())
                .endpoint(WebSocketEndpoint.builder("/split-frames", (rq, rs, cb) -> new EchoEndpoint())
                    .limits(WebSocketLimits.DEFAULT.withMaxFrameSize(32))
                    .build())
                .endpoint(WebSocketEndpoint.builder("/annotated-small", (rq, rs, cb) -> new ShoutEndpoint())
                    .limits(WebSocketLimits.DEFAULT.withMaxTextMessageSize(16))
                    .build())
                .endpoint(WebSocketEndpoint.builder("/impatient", (rq, rs, cb) -> new EchoEndpoint())
                    .limits(WebSocketLimits.DEFAULT.withIdleTimeout(Duration.ofMillis(300)))
                    .build())
                .endpoint("/echo", (rq, rs, cb) -> new EchoEndpoint())
                .build())
            .build();
    }

    private static RawUpgradeClient open(TestServer server, String path) throws Exception {
        RawUpgradeClient client = RawUpgradeClient.connect(server.port());
        assertThat(client.send(handshake(path)).readHead().status()).isEqualTo(101);
        return client;
    }

    @Test
    void W8_aTextMessageOverTheEndpointsLimitIsClosedWith1009() throws Exception {
        try (TestServer server = TestServer.start(limited()); RawUpgradeClient client = open(server, "/small")) {
            assertThat(Frames.read(client.send(Frames.text("sixteen bytes ok"))).text()).isEqualTo("sixteen bytes ok");

            assertThat(Frames.read(client.send(Frames.text("seventeen bytes!!"))).closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void W8_aBinaryMessageOverTheEndpointsLimitIsClosedWith1009() throws Exception {
        try (TestServer server = TestServer.start(limited()); RawUpgradeClient client = open(server, "/small")) {
            assertThat(Frames.read(client.send(Frames.frame(Frames.BINARY, new byte[9]))).closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void W8_limitsApplyToAnnotatedEndpointsToo() throws Exception {
        try (TestServer server = TestServer.start(limited()); RawUpgradeClient client = open(server, "/annotated-small")) {
            assertThat(Frames.read(client.send(Frames.text("seventeen bytes!!"))).closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void W8_aFrameOverTheEndpointsMaxFrameSizeIsClosedWith1009() throws Exception {
        try (TestServer server = TestServer.start(limited()); RawUpgradeClient client = open(server, "/tiny-frames")) {
            assertThat(Frames.read(client.send(Frames.frame(Frames.BINARY, new byte[200]))).payload()).hasSize(200);

            assertThat(Frames.read(client.send(Frames.frame(Frames.BINARY, new byte[201]))).closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void W8_withAutoFragmentABigMessageIsSplitIntoFramesOfAtMostMaxFrameSize() throws Exception {
        try (TestServer server = TestServer.start(limited()); RawUpgradeClient client = open(server, "/split-frames")) {
            String message = "0123456789".repeat(10);
            client.send(Frames.text(message));

            StringBuilder echoed = new StringBuilder();
            Frames.Frame frame;
            do {
                frame = Frames.read(client);
                assertThat(frame.payload().length).isLessThanOrEqualTo(32);
                echoed.append(frame.text());
            } while (!frame.fin());
            assertThat(echoed.toString()).isEqualTo(message);
        }
    }

    @Test
    void aStrictFrameSizeUnderTheControlFrameLimitIsRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
            .isThrownBy(() -> WebSocketLimits.DEFAULT.withMaxFrameSize(124).withAutoFragment(false))
            .withMessageContaining("125");
    }

    @Test
    void limitsArePerEndpoint() throws Exception {
        try (TestServer server = TestServer.start(limited()); RawUpgradeClient client = open(server, "/echo")) {
            String big = "x".repeat(1000);
            assertThat(Frames.read(client.send(Frames.text(big))).text()).isEqualTo(big);
        }
    }

    @Test
    void W8_anIdleSessionIsClosedWithACloseFrame() throws Exception {
        try (TestServer server = TestServer.start(limited()); RawUpgradeClient client = open(server, "/impatient")) {
            // RawUpgradeClient reads with a 10 s timeout: the close frame must come from the 300 ms idle timeout.
            Frames.Frame close = Frames.read(client);

            assertThat(close.opcode()).isEqualTo(Frames.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1001);
        }
    }

    @Test
    void W8_aGracefulServerStopClosesEverySessionWith1001() throws Exception {
        TestServer server = TestServer.start(limited());
        server.server().setStopTimeout(5_000);
        try (RawUpgradeClient first = open(server, "/echo"); RawUpgradeClient second = open(server, "/small")) {
            // Both sessions are open and served before the stop.
            assertThat(Frames.read(first.send(Frames.text("before"))).text()).isEqualTo("before");
            // Jetty registers a session just after its 101 is written: wait for the second one.
            org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(ServerWebSocketContainer.get(server.server().getContext()).getOpenSessions()).hasSize(2));

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    server.close();
                } catch (Exception x) {
                    throw new RuntimeException(x);
                }
            });

            assertThat(Frames.read(first).closeCode()).isEqualTo(1001);
            assertThat(Frames.read(second).closeCode()).isEqualTo(1001);
            stopped.get();
        }
    }

    @Test
    void W8_theDispatchersGracefulShutdownAloneSays1001ThroughTheHandler() throws Exception {
        try (TestServer server = TestServer.start(limited()); RawUpgradeClient client = open(server, "/echo")) {
            assertThat(Frames.read(client.send(Frames.text("before"))).text()).isEqualTo("before");

            server.dispatcher().shutdown().get(5, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(Frames.read(client).closeCode()).isEqualTo(1001);
        }
    }
}
