package org.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeMetrics;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.TestServer;

/**
 * The opening handshake on raw sockets, byte for byte: each W rule of RFC 6455 §4 as Switchboard
 * and Jetty answer it (RULES.md at the repository root).
 */
class HandshakeTest {

    static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    static Switchboard echo() {
        return Switchboard.builder()
            .handler(WebSocketProtocolHandler.builder()
                .endpoint("/echo", (request, response, callback) -> new EchoEndpoint())
                .endpoint("/shout", (request, response, callback) -> new ShoutEndpoint())
                .endpoint("/members-only", (request, response, callback) -> {
                    // Application code may still refuse in its creator, as with any Jetty creator.
                    Response.writeError(request, response, callback, 403, "members only");
                    return null;
                })
                .endpoint(WebSocketEndpoint.builder("/partners", (request, response, callback) -> new EchoEndpoint())
                    .origins(OriginPolicy.allowing("https://partner.example"))
                    .build())
                .build())
            .build();
    }

    /** A valid handshake for {@code path}, with {@code extra} header lines (each ending in CRLF). */
    static String handshake(String path, String key, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n";
    }

    static String handshake(String path) {
        return handshake(path, SAMPLE_KEY, "");
    }

    @Test
    void W2_acceptForTheRfcSampleKey() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(handshake("/echo", "dGhlIHNhbXBsZSBub25jZQ==", "")).readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
    }

    @Test
    void W2_acceptForTheSecondVector() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(handshake("/echo", "x3JJHMbDL1EzLkh9GBhXDw==", "")).readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Sec-WebSocket-Accept")).isEqualTo("HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
        }
    }

    @Test
    void U4_W1_101HasUpgradeConnectionNoBodyAndFramesFlowBothWays() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(handshake("/echo")).readHead();

            assertThat(head.head()).startsWith("HTTP/1.1 101 ");
            assertThat(head.header("Upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(head.header("Connection")).isEqualToIgnoringCase("Upgrade");
            assertThat(head.header("Content-Length")).isNull();
            assertThat(head.header("Transfer-Encoding")).isNull();
            // The first bytes after the 101 are a WebSocket frame: the echo of ours.
            Frames.Frame echoed = Frames.read(client.send(Frames.text("hello")));
            assertThat(echoed.opcode()).isEqualTo(Frames.TEXT);
            assertThat(echoed.fin()).isTrue();
            assertThat(echoed.text()).isEqualTo("hello");
            // The connection stays open: a second message, and a binary one, are echoed as well.
            assertThat(Frames.read(client.send(Frames.text("again"))).text()).isEqualTo("again");
            Frames.Frame binary = Frames.read(client.send(Frames.frame(Frames.BINARY, new byte[]{0, 1, 2, (byte) 255})));
            assertThat(binary.opcode()).isEqualTo(Frames.BINARY);
            assertThat(binary.payload()).containsExactly(0, 1, 2, 255);
            assertThat(server.dispatcher().metrics().snapshot().count("websocket", UpgradeMetrics.Outcome.UPGRADED)).isEqualTo(1);
        }
    }

    @Test
    void W8_aCloseFrameIsAnsweredWithACloseFrameAndTheConnectionEnds() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(handshake("/echo")).readHead().status()).isEqualTo(101);

            Frames.Frame close = Frames.read(client.send(Frames.close(1000)));

            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(client.closedWithin(Duration.ofMillis(5_000))).isTrue();
        }
    }

    @Test
    void annotatedEndpointsWorkToo() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(handshake("/shout")).readHead().status()).isEqualTo(101);
            assertThat(Frames.read(client.send(Frames.text("hello"))).text()).isEqualTo("HELLO");
        }
    }

    @Test
    void U10_aFramePipelinedInTheSameWriteAsTheHandshakeIsEchoed() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            byte[] request = handshake("/echo").getBytes(StandardCharsets.ISO_8859_1);
            byte[] frame = Frames.text("pipelined");
            byte[] both = new byte[request.length + frame.length];
            System.arraycopy(request, 0, both, 0, request.length);
            System.arraycopy(frame, 0, both, request.length, frame.length);

            assertThat(client.send(both).readHead().status()).isEqualTo(101);
            assertThat(Frames.read(client).text()).isEqualTo("pipelined");
        }
    }

    @Test
    void W3_missingKeyGets400WithAReason() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send("GET /echo HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("Sec-WebSocket-Key");
            // Bad input costs only that request: the same connection serves the next handshake.
            assertThat(client.send(handshake("/echo")).readHead().status()).isEqualTo(101);
        }
    }

    @Test
    void W3_aKeyThatIsNotBase64Of16BytesGets400() throws Exception {
        try (TestServer server = TestServer.start(echo())) {
            for (String key : new String[]{"dGhlIHNhbXBsZQ==", "not base64 at all!!!!!!!", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ==dGhl"}) {
                try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                    RawResponse response = client.send(handshake("/echo", key, "")).readResponse();

                    assertThat(response.status()).as(key).isEqualTo(400);
                    assertThat(response.body()).contains("16 bytes");
                }
            }
        }
    }

    @Test
    void W3_twoKeysGet400() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/echo", SAMPLE_KEY, "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\n")).readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("more than one Sec-WebSocket-Key");
        }
    }

    @Test
    void W1_W3_aPostHandshakeGets400() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/echo").replaceFirst("GET", "POST")).readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("must be a GET");
        }
    }

    @Test
    void W1_W3_missingVersionGets400() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/echo").replace("Sec-WebSocket-Version: 13\r\n", "")).readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("Sec-WebSocket-Version");
        }
    }

    @Test
    void W1_W3_missingHostGets400() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/echo").replace("Host: 127.0.0.1\r\n", "")).readResponse();

            assertThat(response.status()).isEqualTo(400);
        }
    }

    @Test
    void W4_unsupportedVersionGets426WithSecWebSocketVersion13() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/echo").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8")).readResponse();

            assertThat(response.status()).isEqualTo(426);
            assertThat(response.header("Sec-WebSocket-Version")).isEqualTo("13");
            assertThat(response.body()).contains("Unsupported Sec-WebSocket-Version 8");
            assertThat(client.send(handshake("/echo")).readHead().status()).isEqualTo(101);
        }
    }

    @Test
    void W4_aVersionListNamingMoreThan13Gets426() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/echo").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 13, 8")).readResponse();

            assertThat(response.status()).isEqualTo(426);
            assertThat(response.header("Sec-WebSocket-Version")).isEqualTo("13");
            assertThat(response.body()).contains("Unsupported Sec-WebSocket-Version 13, 8");
        }
    }

    @Test
    void W4_thirteenOnTwoLinesIsAListOfTwoAndGets426() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/echo", SAMPLE_KEY, "Sec-WebSocket-Version: 13\r\n")).readResponse();

            assertThat(response.status()).isEqualTo(426);
            assertThat(response.body()).contains("Unsupported Sec-WebSocket-Version 13, 13");
        }
    }

    @Test
    void W3_W4_aMalformedQuotedVersionGets400NotAHandlerFaultOrAFallback() throws Exception {
        Switchboard switchboard = echo();
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            for (String version : new String[] {"\"13", "13, \"8", "\""}) {
                RawResponse response = client.send(handshake("/echo").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: " + version))
                    .readResponse();

                assertThat(response.status()).as(version).isEqualTo(400);
                assertThat(response.body()).as(version).contains("Sec-WebSocket-Version").hasLineCount(1);
            }
            assertThat(client.send(handshake("/echo")).readHead().status()).isEqualTo(101);
        }
        assertThat(switchboard.metrics().snapshot().handlerFaults("websocket")).isZero();
        assertThat(switchboard.metrics().snapshot().count("websocket", UpgradeMetrics.Outcome.REJECTED)).isEqualTo(3);
    }

    @Test
    void W5_aForeignOriginGets403() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/echo", SAMPLE_KEY, "Origin: https://evil.example\r\n")).readResponse();

            assertThat(response.status()).isEqualTo(403);
            assertThat(response.body()).contains("https://evil.example");
        }
    }

    @Test
    void W5_theOpaqueNullOriginGets403() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(handshake("/echo", SAMPLE_KEY, "Origin: null\r\n")).readResponse().status()).isEqualTo(403);
        }
    }

    @Test
    void W5_sameOriginAndNoOriginAreAllowedByDefault() throws Exception {
        try (TestServer server = TestServer.start(echo())) {
            String sameOrigin = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nOrigin: http://127.0.0.1:" + server.port()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + SAMPLE_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                assertThat(client.send(sameOrigin).readHead().status()).isEqualTo(101);
            }
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                assertThat(client.send(handshake("/echo")).readHead().status()).isEqualTo(101);
            }
            // Same host, other port: another origin.
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                assertThat(client.send(sameOrigin.replace("Origin: http://127.0.0.1:" + server.port(), "Origin: http://127.0.0.1:1"))
                    .readResponse().status()).isEqualTo(403);
            }
        }
    }

    @Test
    void W5_anAllowListedOriginIsAccepted() throws Exception {
        try (TestServer server = TestServer.start(echo())) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                assertThat(client.send(handshake("/partners", SAMPLE_KEY, "Origin: HTTPS://Partner.example:443\r\n")).readHead().status()).isEqualTo(101);
            }
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                assertThat(client.send(handshake("/echo", SAMPLE_KEY, "Origin: https://partner.example\r\n")).readResponse().status()).isEqualTo(403);
            }
        }
    }

    @Test
    void SB2_aPathWithNoEndpointIsDeclinedAndReachesTheApplication() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/nowhere")).readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("GET /nowhere HTTP/1.1 body=");
        }
    }

    @Test
    void SB1_websocketBeforeH2cYieldsWebsocketEvenWithAnH2cFactoryOnTheConnector() throws Exception {
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new RequestSummaryHandler());
        try (TestServer running = TestServer.start(echo(), server); RawUpgradeClient client = running.connect()) {
            RawResponse head = client.send(handshake("/echo").replace("Upgrade: websocket", "Upgrade: websocket, h2c")
                .replace("Connection: Upgrade", "Connection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA")).readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(head.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(Frames.read(client.send(Frames.text("over websocket"))).text()).isEqualTo("over websocket");
        }
    }

    @Test
    void U2_websocketListedAfterAnUnknownProtocolStillWins() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(handshake("/echo").replace("Upgrade: websocket", "Upgrade: foo, WebSocket")).readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(Frames.read(client.send(Frames.text("x"))).text()).isEqualTo("x");
        }
    }

    @Test
    void U1_aSingleWebSocketOfferInAnyCaseUpgrades() throws Exception {
        // Jetty compares the last Upgrade line with "websocket" ignoring case, so this request reaches
        // Jetty as it came, without the rewritten view the SB1 cases need.
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(handshake("/echo").replace("Upgrade: websocket", "Upgrade: WebSocket")).readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(Frames.read(client.send(Frames.text("x"))).text()).isEqualTo("x");
        }
    }

    @Test
    void theApplicationsCreatorMayStillRefuse() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/members-only")).readResponse();

            assertThat(response.status()).isEqualTo(403);
            assertThat(response.body()).contains("members only");
        }
    }

    @Test
    void U6_withoutConnectionUpgradeTheHandshakeGets400NamingIt() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/echo").replace("Connection: Upgrade", "Connection: keep-alive")).readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("Connection: upgrade");
        }
    }

    @Test
    void U5_anHttp10HandshakeIsNeverUpgraded() throws Exception {
        try (TestServer server = TestServer.start(echo()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(handshake("/echo").replace("HTTP/1.1", "HTTP/1.0")).readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("GET /echo HTTP/1.0 body=");
        }
    }
}
