package org.switchboard.h2c;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.FrameType;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeLimits;
import org.switchboard.UpgradeMetrics;
import org.switchboard.UpgradePolicy;
import org.switchboard.spi.Verdict;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.TestServer;

/**
 * h2c upgrades on a real Jetty server, driven over raw sockets: the HTTP/1.1 side byte for byte,
 * the HTTP/2 side with Jetty's own frame generator and parser. Test names start with the rules
 * they prove (RULES.md at the repository root).
 */
class H2cUpgradeTest {

    private static Switchboard h2c() {
        return Switchboard.builder().handler(new H2cProtocolHandler()).build();
    }

    private static String upgradeHead(String method, String path, String extraHeaders) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
            + "Upgrade: h2c\r\nHTTP2-Settings: " + Http2Wire.CURL_SETTINGS + "\r\n" + extraHeaders + "\r\n";
    }

    private static String get(String path) {
        return upgradeHead("GET", path, "");
    }

    private static String post(String path, String body) {
        return upgradeHead("POST", path, "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n") + body;
    }

    /** Sends the client preface after the 101 and returns stream 1's response. */
    private static Http2Wire.StreamResponse streamOne(RawUpgradeClient client, Http2Wire wire) throws Exception {
        RawResponse head = client.readHead();
        assertThat(head.status()).as(head.head()).isEqualTo(101);
        wire.send(wire.preface());
        return wire.response(1);
    }

    @Test
    void H2_U4_U11_getIsSwitchedAndAnsweredOnStreamOneAfterTheServerSettings() throws Exception {
        Switchboard switchboard = h2c();
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            RawResponse head = client.send(get("/hello?x=1")).readHead();

            assertThat(head.head()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
            assertThat(head.header("Upgrade")).isEqualTo("h2c");
            assertThat(head.header("Connection")).isEqualTo("Upgrade");
            assertThat(head.header("Content-Length")).isNull();

            wire.send(wire.preface());
            Http2Wire.StreamResponse response = wire.response(1);
            // H2: the server's first frame is its SETTINGS, not an acknowledgement of ours.
            assertThat(wire.frames().get(0)).isInstanceOfSatisfying(SettingsFrame.class, s -> assertThat(s.isReply()).isFalse());
            assertThat(response.status()).isEqualTo(200);
            // U11: the application sees an HTTP/2 request, and the dispatcher did not try to upgrade it again.
            assertThat(response.body()).isEqualTo("GET /hello HTTP/2.0 body=");
            assertThat(switchboard.metrics().snapshot().count("h2c", UpgradeMetrics.Outcome.UPGRADED)).isEqualTo(1);
        }
    }

    @Test
    void H2_extendedConnectIsAnnouncedForWebSocketOverHttp2() throws Exception {
        try (TestServer server = TestServer.start(h2c()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            streamOne(client.send(get("/")), wire);

            SettingsFrame settings = (SettingsFrame) wire.frames().get(0);
            assertThat(settings.getSettings())
                .containsEntry(SettingsFrame.ENABLE_CONNECT_PROTOCOL, 1)
                .containsEntry(SettingsFrame.MAX_CONCURRENT_STREAMS, 128)
                .containsEntry(SettingsFrame.MAX_HEADER_LIST_SIZE, 8192);
        }
    }

    @Test
    void H2_configuredSettingsAreAnnounced() throws Exception {
        H2cConfig config = H2cConfig.DEFAULT.withMaxConcurrentStreams(7).withInitialStreamRecvWindow(100_000)
            .withMaxHeaderListSize(4096).withConnectProtocolEnabled(false);
        Switchboard switchboard = Switchboard.builder().handler(new H2cProtocolHandler(config)).build();
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            streamOne(client.send(get("/")), wire);

            SettingsFrame settings = (SettingsFrame) wire.frames().get(0);
            assertThat(settings.getSettings())
                .containsEntry(SettingsFrame.MAX_CONCURRENT_STREAMS, 7)
                .containsEntry(SettingsFrame.INITIAL_WINDOW_SIZE, 100_000)
                .containsEntry(SettingsFrame.MAX_HEADER_LIST_SIZE, 4096)
                .containsEntry(SettingsFrame.ENABLE_CONNECT_PROTOCOL, 0);
        }
    }

    @Test
    void H3_postWithAContentLengthBodyIsEchoedOnStreamOne() throws Exception {
        try (TestServer server = TestServer.start(h2c()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            Http2Wire.StreamResponse response = streamOne(client.send(post("/echo", "name=switchboard&x=1")), wire);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("POST /echo HTTP/2.0 body=name=switchboard&x=1");
        }
    }

    @Test
    void H3_chunkedPostIsUpgradedWithItsWholeBody() throws Exception {
        try (TestServer server = TestServer.start(h2c()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            client.send(upgradeHead("POST", "/chunked", "Transfer-Encoding: chunked\r\n")
                + "6\r\nhello,\r\n7\r\n chunks\r\n0\r\n\r\n");
            Http2Wire.StreamResponse response = streamOne(client, wire);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("POST /chunked HTTP/2.0 body=hello, chunks");
        }
    }

    @Test
    void H3_aBodyLargerThanTheHttp2StreamWindowReachesTheApplication() throws Exception {
        // 600 KiB: over the default 512 KiB stream window, so the windows must be widened for it.
        Switchboard switchboard = Switchboard.builder().handler(new H2cProtocolHandler())
            .limits(new UpgradeLimits(1024, 16, 1024 * 1024)).build();
        String body = "x".repeat(600 * 1024);
        try (TestServer server = TestServer.start(switchboard, Applications.bodyDigest()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            Http2Wire.StreamResponse response = streamOne(client.send(post("/big", body)), wire);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("HTTP/2.0 " + Applications.digest(body.getBytes(StandardCharsets.UTF_8)));
            // The connection is still healthy: a second stream is served after the big one.
            wire.send(wire.get(3, server.port(), "/after"));
            assertThat(wire.response(3).body()).isEqualTo("HTTP/2.0 " + Applications.digest(new byte[0]));
        }
    }

    @Test
    void H3_aBodyOverTheLimitIsNotUpgradedAndReachesTheApplicationIntactOnHttp11() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(new H2cProtocolHandler())
            .limits(new UpgradeLimits(1024, 16, 16)).build();
        String body = "this body is longer than sixteen bytes";
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(post("/big", body)).readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("POST /big HTTP/1.1 body=" + body);
            assertThat(response.header("Upgrade")).isNull();
            // Never a 413, never a hang: the connection serves the next request.
            assertThat(client.send("GET /next HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().body()).isEqualTo("GET /next HTTP/1.1 body=");
        }
    }

    @Test
    void H3_aChunkedBodyOverTheLimitReachesTheApplicationIntactOnHttp11() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(new H2cProtocolHandler())
            .limits(new UpgradeLimits(1024, 16, 8)).build();
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(upgradeHead("POST", "/chunked", "Transfer-Encoding: chunked\r\n")
                + "6\r\nfirst,\r\n7\r\n second\r\n6\r\n,third\r\n0\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("POST /chunked HTTP/1.1 body=first, second,third");
        }
    }

    @Test
    void U9_expect100ContinueGets100ThenTheBodyIsReadThen101AndTheConnectionStaysOpen() throws Exception {
        try (TestServer server = TestServer.start(h2c()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            client.send(upgradeHead("POST", "/expect", "Expect: 100-continue\r\nContent-Length: 5\r\n"));

            RawResponse interim = client.readHead();
            assertThat(interim.status()).isEqualTo(100);
            client.send("hello");
            RawResponse head = client.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Connection")).isEqualTo("Upgrade");

            wire.send(wire.preface());
            assertThat(wire.response(1).body()).isEqualTo("POST /expect HTTP/2.0 body=hello");
            wire.send(wire.get(3, server.port(), "/again"));
            assertThat(wire.response(3).body()).isEqualTo("GET /again HTTP/2.0 body=");
        }
    }

    @Test
    void U10_theClientPrefacePipelinedInTheSameWriteAsTheRequestIsNotLost() throws Exception {
        try (TestServer server = TestServer.start(h2c()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            byte[] request = post("/pipelined", "abc").getBytes(StandardCharsets.ISO_8859_1);
            byte[] preface = wire.preface();
            byte[] stream3 = wire.get(3, server.port(), "/three");
            byte[] all = new byte[request.length + preface.length + stream3.length];
            System.arraycopy(request, 0, all, 0, request.length);
            System.arraycopy(preface, 0, all, request.length, preface.length);
            System.arraycopy(stream3, 0, all, request.length + preface.length, stream3.length);
            client.send(all);

            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(wire.response(1).body()).isEqualTo("POST /pipelined HTTP/2.0 body=abc");
            assertThat(wire.response(3).body()).isEqualTo("GET /three HTTP/2.0 body=");
        }
    }

    @Test
    void SB1_websocketPreferredBeforeH2cWinsWhenItsHandlerAccepts() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(new H2cProtocolHandler())
            .handler(LineEchoProtocolHandler.accepting("websocket"))
            .build();
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(upgradeHead("GET", "/", "").replace("Upgrade: h2c", "Upgrade: websocket, h2c")).readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("websocket");
            assertThat(client.readText("websocket body=0\n".length())).isEqualTo("websocket body=0\n");
        }
    }

    @Test
    void SB1_h2cPreferredBeforeWebsocketWins() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("websocket"))
            .handler(new H2cProtocolHandler())
            .build();
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            client.send(upgradeHead("GET", "/first", "").replace("Upgrade: h2c", "Upgrade: h2c, websocket"));

            RawResponse head = client.readHead();
            assertThat(head.header("Upgrade")).isEqualTo("h2c");
            wire.send(wire.preface());
            assertThat(wire.response(1).body()).isEqualTo("GET /first HTTP/2.0 body=");
        }
    }

    @Test
    void SB1_SB2_whenWebsocketDeclinesOrIsUnknownH2cIsNext() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.scripted("websocket", (offer, request) -> Verdict.decline("bad key")))
            .handler(new H2cProtocolHandler())
            .build();
        try (TestServer server = TestServer.start(switchboard)) {
            for (String upgrade : List.of("websocket, h2c", "foo, h2c", "H2C")) {
                try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                    Http2Wire wire = new Http2Wire(client);
                    client.send(upgradeHead("GET", "/order", "").replace("Upgrade: h2c", "Upgrade: " + upgrade));
                    assertThat(streamOne(client, wire).body()).as(upgrade).isEqualTo("GET /order HTTP/2.0 body=");
                }
            }
        }
    }

    @Test
    void SB1_routePoliciesDecideH2cTooJettysShortcutDoesNotPreemptThem() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(new H2cProtocolHandler())
            .handler(LineEchoProtocolHandler.accepting("websocket"))
            .route("/ws/*", UpgradePolicy.required("websocket"))
            .route("/page", UpgradePolicy.optional("websocket"))
            .build();
        try (TestServer server = TestServer.start(switchboard)) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                RawResponse required = client.send(get("/ws/chat")).readResponse();
                assertThat(required.status()).isEqualTo(426);
                assertThat(required.header("Upgrade")).isEqualTo("websocket");
            }
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                RawResponse optional = client.send(get("/page")).readResponse();
                assertThat(optional.status()).isEqualTo(200);
                assertThat(optional.body()).isEqualTo("GET /page HTTP/1.1 body=");
            }
        }
    }

    @Test
    void H1_withoutHttp2SettingsTheRequestIsServedOnHttp11NotRefused() throws Exception {
        assertServedOnHttp11("GET /plain HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
    }

    @Test
    void H1_twoHttp2SettingsHeadersAreServedOnHttp11() throws Exception {
        assertServedOnHttp11(upgradeHead("GET", "/plain", "HTTP2-Settings: " + Http2Wire.CURL_SETTINGS + "\r\n"));
    }

    @Test
    void H1_undecodableHttp2SettingsAreServedOnHttp11() throws Exception {
        for (String settings : List.of("not base64!", "AAMAAABk+/", "AAMAAA", "AAIAAAAC", "AAUAAAAB"))
            assertServedOnHttp11(get("/plain").replace(Http2Wire.CURL_SETTINGS, settings));
    }

    @Test
    void H1_http2SettingsMustBeAConnectionOption() throws Exception {
        assertServedOnHttp11(get("/plain").replace("Connection: Upgrade, HTTP2-Settings", "Connection: Upgrade"));
    }

    @Test
    void H1_anEmptySettingsPayloadIsValid() throws Exception {
        try (TestServer server = TestServer.start(h2c()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            client.send(get("/empty").replace(Http2Wire.CURL_SETTINGS, Http2Wire.EMPTY_SETTINGS));
            assertThat(streamOne(client, wire).body()).isEqualTo("GET /empty HTTP/2.0 body=");
        }
    }

    private static void assertServedOnHttp11(String request) throws Exception {
        Switchboard switchboard = h2c();
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(request).readResponse();

            assertThat(response.status()).as(request).isEqualTo(200);
            assertThat(response.body()).as(request).isEqualTo("GET /plain HTTP/1.1 body=");
            assertThat(switchboard.metrics().snapshot().count("h2c", UpgradeMetrics.Outcome.FALLBACK)).isEqualTo(1);
            assertThat(client.send("GET /next HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void H2_oneHundredConcurrentStreamsOnTheUpgradedConnectionAreAllAnswered() throws Exception {
        try (TestServer server = TestServer.start(h2c()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            assertThat(streamOne(client.send(get("/one")), wire).body()).isEqualTo("GET /one HTTP/2.0 body=");

            List<Integer> streams = new ArrayList<>();
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 100; i++) {
                int streamId = 3 + 2 * i;
                streams.add(streamId);
                burst.writeBytes(wire.get(streamId, server.port(), "/s/" + streamId));
            }
            wire.send(burst.toByteArray());

            Set<String> bodies = new HashSet<>();
            for (int streamId : streams) {
                Http2Wire.StreamResponse response = wire.response(streamId);
                assertThat(response.status()).isEqualTo(200);
                bodies.add(response.body());
            }
            assertThat(bodies).hasSize(100).contains("GET /s/3 HTTP/2.0 body=", "GET /s/201 HTTP/2.0 body=");
        }
    }

    @Test
    void priorKnowledgeStillWorksOnTheSamePort() throws Exception {
        Switchboard switchboard = h2c();
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(wire.preface());
            bytes.writeBytes(wire.get(1, server.port(), "/direct"));
            wire.send(bytes.toByteArray());

            Http2Wire.StreamResponse response = wire.response(1);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("GET /direct HTTP/2.0 body=");
            // Prior knowledge is not an HTTP/1.1 upgrade: the dispatcher counts nothing.
            assertThat(switchboard.metrics().snapshot().count("h2c", UpgradeMetrics.Outcome.UPGRADED)).isZero();
        }
    }

    @Test
    void H2_streamOneCarriesNoHopByHopHeadersAndAnExactContentLength() throws Exception {
        try (TestServer server = TestServer.start(h2c(), Applications.headerNames()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            client.send(upgradeHead("POST", "/h", "Keep-Alive: timeout=5\r\nX-Hop: 1\r\nX-Kept: 2\r\nTransfer-Encoding: chunked\r\n")
                .replace("Connection: Upgrade, HTTP2-Settings", "Connection: Upgrade, HTTP2-Settings, X-Hop")
                + "3\r\nabc\r\n0\r\n\r\n");

            assertThat(streamOne(client, wire).body()).isEqualTo("content-length,host,x-kept length=3");
        }
    }

    @Test
    void H2_theGivenHttpConfigurationsCustomizersApplyToUpgradedRequests() throws Exception {
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer((request, responseHeaders) -> {
            responseHeaders.put("X-Customized", request.getConnectionMetaData().getProtocol());
            return request;
        });
        Switchboard switchboard = Switchboard.builder().handler(new H2cProtocolHandler(H2cConfig.DEFAULT, http)).build();
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            Http2Wire.StreamResponse response = streamOne(client.send(get("/custom")), wire);

            assertThat(response.headers().get("X-Customized")).isEqualTo("HTTP/2.0");
        }
    }

    @Test
    void H2_aClientThatSpeaksHttp11AfterThe101GetsAGoAwayAndTheServerServesOthers() throws Exception {
        try (TestServer server = TestServer.start(h2c())) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                Http2Wire wire = new Http2Wire(client);
                assertThat(client.send(get("/")).readHead().status()).isEqualTo(101);
                client.send("GET /not-http2 HTTP/1.1\r\nHost: t\r\n\r\n");

                Frame frame;
                do {
                    frame = wire.next();
                } while (!(frame instanceof GoAwayFrame));
                assertThat(((GoAwayFrame) frame).tryConvertPayload()).isEqualTo("invalid_preface");
                assertThat(client.closedWithin(Duration.ofMillis(10_000))).isTrue();
            }
            try (RawUpgradeClient other = RawUpgradeClient.connect(server.port())) {
                assertThat(other.send("GET /other HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().body()).isEqualTo("GET /other HTTP/1.1 body=");
            }
        }
    }

    @Test
    void H2_responseHeadersOfStreamOneAreHttp2NotHopByHop() throws Exception {
        try (TestServer server = TestServer.start(h2c()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            Http2Wire.StreamResponse response = streamOne(client.send(get("/")), wire);

            assertThat(response.headers().get(HttpHeader.CONTENT_TYPE)).startsWith("text/plain");
            assertThat(response.headers().contains(HttpHeader.CONNECTION)).isFalse();
            assertThat(wire.frames()).map(Frame::getType).contains(FrameType.HEADERS);
            assertThat(wire.frames()).filteredOn(HeadersFrame.class::isInstance).first()
                .satisfies(f -> assertThat(((HeadersFrame) f).getStreamId()).isEqualTo(1));
        }
    }
}
