package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.UpgradePolicy;
import org.switchboard.testing.TestServer;

/** {@link RelayClient} against the real server, and against a scripted socket for what a server must not do. */
class RelayClientTest {

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static TestServer discovered() throws Exception {
        return TestServer.start(Switchboard.builder().discoverHandlers().route("/ws", UpgradePolicy.required("websocket")).build());
    }

    @Test
    void discoveryFindsTheRelayProviderThroughServiceLoader() {
        assertThat(Switchboard.builder().discoverHandlers().build().handlers())
            .singleElement().isInstanceOf(RelayProtocolHandler.class);
    }

    @Test
    void SB4_theClientOffersRelay2ThenRelay1AndGetsRelay2WithAcknowledgements() throws Exception {
        RecordingListener heard = new RecordingListener();
        try (TestServer server = discovered(); RelayClient client = RelayClient.connect(uri(server.port(), "/"), heard)) {
            assertThat(client.protocol()).isEqualTo("relay/2");
            assertThat(client.sendText("one")).isTrue();
            assertThat(client.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}))).isTrue();
            assertThat(client.sendText("")).isTrue();

            assertThat(heard.next()).isEqualTo("one");
            assertThat(heard.next()).isEqualTo("binary 010203");
            assertThat(heard.next()).isEmpty();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heard.acknowledged == 3);
        }
        assertThat(heard.awaitClose()).isEqualTo("1000 ");
    }

    @Test
    void SB4_theClientSpeaksRelay1WhenItOffersOnlyRelay1() throws Exception {
        RecordingListener heard = new RecordingListener();
        try (TestServer server = discovered(); RelayClient client = RelayClient.connect(uri(server.port(), "/"), heard, 1)) {
            assertThat(client.version()).isEqualTo(1);
            client.sendText("plain");
            assertThat(heard.next()).isEqualTo("plain");
            assertThat(heard.acknowledged).isZero();
        }
    }

    @Test
    void pingCompletesWhenThePongArrives() throws Exception {
        try (TestServer server = discovered(); RelayClient client = RelayClient.connect(uri(server.port(), "/"), new RecordingListener())) {
            CompletableFuture<Void> first = client.ping();
            CompletableFuture<Void> second = client.ping();
            second.get(10, TimeUnit.SECONDS);
            assertThat(first).isDone();
        }
    }

    @Test
    void aMessageOverTheServersMaximumIsRefusedBeforeSending() throws Exception {
        try (TestServer server = TestServer.start(Switchboard.builder()
                 .handler(new RelayProtocolHandler(new RelayListener() { }, RelayConfig.DEFAULT.withMaxMessageSize(200))).build());
             RelayClient client = RelayClient.connect(uri(server.port(), "/"), new RecordingListener())) {
            assertThatThrownBy(() -> client.sendText("x".repeat(201))).isInstanceOf(IllegalArgumentException.class);
            assertThat(client.sendText("x".repeat(200))).isTrue();
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void U8_aRouteThatRefusesRelayFailsTheConnectWithTheStatus() throws Exception {
        try (TestServer server = discovered()) {
            assertThatThrownBy(() -> RelayClient.connect(uri(server.port(), "/ws"), new RecordingListener()))
                .isInstanceOf(RelayClient.UpgradeFailedException.class)
                .hasMessageContaining("426")
                .satisfies(x -> assertThat(((RelayClient.UpgradeFailedException) x).status()).isEqualTo(426));
        }
    }

    @Test
    void U3_a101ForAVersionThatWasNotOfferedIsRefused() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> answer(fake,
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: relay/2\r\nConnection: Upgrade\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
            assertThatThrownBy(() -> RelayClient.connect(uri(fake.getLocalPort(), "/"), new RecordingListener(), 1))
                .isInstanceOf(RelayClient.UpgradeFailedException.class)
                .hasMessageContaining("not offered");
            served.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void U4_bytesRightAfterThe101InTheSameWriteAreTheFirstFrames() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            byte[] response = WireFrames.concat("HTTP/1.1 101 Switching Protocols\r\nUpgrade: relay/1\r\nConnection: Upgrade\r\n\r\n",
                WireFrames.text(1, 0, "welcome"), WireFrames.close(CloseCode.NORMAL, "done"));
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> answer(fake, response));
            RecordingListener heard = new RecordingListener();
            try (RelayClient client = RelayClient.connect(uri(fake.getLocalPort(), "/"), heard, 1)) {
                assertThat(heard.next()).isEqualTo("welcome");
                assertThat(heard.awaitClose()).isEqualTo("1000 done");
                assertThat(client.isOpen()).isFalse();
            }
            served.get(10, TimeUnit.SECONDS);
        }
    }

    /** Accepts one connection, reads the request head, writes {@code response} in one write and closes. */
    private static void answer(ServerSocket fake, byte[] response) {
        try (Socket socket = fake.accept()) {
            socket.setSoTimeout(10_000);
            int state = 0;
            while (state < 4) {
                int b = socket.getInputStream().read();
                if (b < 0)
                    return;
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
            }
            OutputStream out = socket.getOutputStream();
            out.write(response);
            out.flush();
            socket.shutdownOutput();
            while (socket.getInputStream().read() >= 0) {
                // until the client closes
            }
        } catch (java.io.IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }
}
