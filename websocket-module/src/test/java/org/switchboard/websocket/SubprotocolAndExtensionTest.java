package org.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.websocket.HandshakeTest.SAMPLE_KEY;
import static org.switchboard.websocket.HandshakeTest.handshake;

import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.TestServer;

/** Subprotocol selection (W6) and extension negotiation (W7) as seen in the 101's headers. */
class SubprotocolAndExtensionTest {

    private static Switchboard endpoints() {
        return Switchboard.builder()
            .handler(WebSocketProtocolHandler.builder()
                .endpoint(WebSocketEndpoint.builder("/server-order", (rq, rs, cb) -> new EchoEndpoint())
                    .subprotocols("chat.v2", "chat.v1")
                    .build())
                .endpoint(WebSocketEndpoint.builder("/client-order", (rq, rs, cb) -> new EchoEndpoint())
                    .subprotocols("chat.v2", "chat.v1")
                    .subprotocolOrder(SubprotocolOrder.CLIENT_PREFERENCE)
                    .build())
                .endpoint(WebSocketEndpoint.builder("/plain", (rq, rs, cb) -> new EchoEndpoint())
                    .compression(false)
                    .build())
                .build())
            .build();
    }

    private static RawResponse upgrade(TestServer server, String path, String extra) throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(handshake(path, SAMPLE_KEY, extra)).readHead();
            assertThat(head.status()).isEqualTo(101);
            return head;
        }
    }

    @Test
    void W6_serverOrderPicksTheEndpointsFavouriteAmongTheOffered() throws Exception {
        try (TestServer server = TestServer.start(endpoints())) {
            assertThat(upgrade(server, "/server-order", "Sec-WebSocket-Protocol: chat.v1, chat.v2\r\n")
                .header("Sec-WebSocket-Protocol")).isEqualTo("chat.v2");
        }
    }

    @Test
    void W6_clientOrderPicksTheClientsFavouriteAmongThoseSpoken() throws Exception {
        try (TestServer server = TestServer.start(endpoints())) {
            assertThat(upgrade(server, "/client-order", "Sec-WebSocket-Protocol: chat.v1\r\nSec-WebSocket-Protocol: chat.v2\r\n")
                .header("Sec-WebSocket-Protocol")).isEqualTo("chat.v1");
        }
    }

    @Test
    void W6_noCommonSubprotocolMeansNoHeaderAndNeverAnUnofferedValue() throws Exception {
        try (TestServer server = TestServer.start(endpoints())) {
            assertThat(upgrade(server, "/server-order", "Sec-WebSocket-Protocol: mqtt, CHAT.V2\r\n")
                .header("Sec-WebSocket-Protocol")).isNull();
            assertThat(upgrade(server, "/server-order", "").header("Sec-WebSocket-Protocol")).isNull();
        }
    }

    @Test
    void W7_permessageDeflateIsNegotiatedWhenOffered() throws Exception {
        try (TestServer server = TestServer.start(endpoints())) {
            String extensions = upgrade(server, "/server-order",
                "Sec-WebSocket-Extensions: x-unknown; a=1, permessage-deflate; client_max_window_bits\r\n").header("Sec-WebSocket-Extensions");

            assertThat(extensions).startsWith("permessage-deflate");
            assertThat(extensions).doesNotContain("x-unknown");
        }
    }

    @Test
    void W7_compressionCanBeSwitchedOffPerEndpoint() throws Exception {
        try (TestServer server = TestServer.start(endpoints())) {
            assertThat(upgrade(server, "/plain", "Sec-WebSocket-Extensions: permessage-deflate\r\n")
                .header("Sec-WebSocket-Extensions")).isNull();
        }
    }

    @Test
    void W7_nothingIsNegotiatedThatWasNotOffered() throws Exception {
        try (TestServer server = TestServer.start(endpoints())) {
            assertThat(upgrade(server, "/server-order", "").header("Sec-WebSocket-Extensions")).isNull();
        }
    }

    @Test
    void W7_aCompressedFrameFromTheServerHasRsv1Set() throws Exception {
        try (TestServer server = TestServer.start(endpoints()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(handshake("/server-order", SAMPLE_KEY, "Sec-WebSocket-Extensions: permessage-deflate\r\n"))
                .readHead().header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");

            // An uncompressed client message is legal under permessage-deflate; the echo comes back compressed.
            Frames.Frame echoed = Frames.read(client.send(Frames.text("a".repeat(1000))));

            assertThat(echoed.rsv() & 0x4).isEqualTo(0x4);
            assertThat(echoed.payload().length).isLessThan(1000);
        }
    }
}
