package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.eclipse.jetty.server.Request;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.Verdict;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.ExtendedConnect;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.TestServer;

/**
 * Extended CONNECT (RFC 8441) through the dispatcher, rules C1–C6 of RULES.md, with the test
 * protocol {@link LineEchoProtocolHandler} — unchanged, the handler its HTTP/1.1 tests use — on a
 * real connector that speaks HTTP/1.1 and prior-knowledge HTTP/2, driven by Jetty's HTTP/2 client.
 */
class ExtendedConnectTest {

    private TestServer server;
    private UpgradeDispatcher dispatcher;
    private final List<Negotiation> negotiations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithExtendedConnect(Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo", "1", "2"))
            .handler(LineEchoProtocolHandler.scripted("picky", (offer, request) ->
                "no".equals(request.getHeaders().get("X-Picky"))
                    ? Verdict.reject(403, "picky refuses X-Picky: no")
                    : "skip".equals(request.getHeaders().get("X-Picky")) ? Verdict.decline("not for me") : null))
            .handler(new WholeConnection())
            .route("/echo-only", UpgradePolicy.required("echo"))
            .route("/picky-only", UpgradePolicy.optional("picky"))
            .listener(negotiations::add)
            .build(), new RequestSummaryHandler());
        dispatcher = server.dispatcher();
    }

    /** A protocol that takes a whole connection, as h2c does: not listed for CONNECT (C4), still for Upgrade. */
    private static final class WholeConnection implements ProtocolHandler {
        @Override
        public String protocol() {
            return "whole";
        }

        @Override
        public boolean reachableByExtendedConnect() {
            return false;
        }

        @Override
        public Verdict negotiate(UpgradeOffer offer, Request request) {
            return Verdict.decline("only over HTTP/1.1");
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private int port() {
        return server.port();
    }

    private void awaitUpgradedConnections(int open) {
        await().atMost(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS).until(() -> dispatcher.upgradedConnections() == open);
    }

    /** A CONNECT to echo, greeted, its connection open and counted. */
    private ExtendedConnect openCounted() throws Exception {
        ExtendedConnect tunnel = ExtendedConnect.open(port(), "/", "echo");
        assertThat(tunnel.readLine()).isEqualTo("echo/1 body=0");
        awaitUpgradedConnections(1);
        return tunnel;
    }

    @Test
    void C3_anAcceptedConnectIsAnswered200AndTheHandlersConnectionTakesTheStream() throws Exception {
        try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/anywhere", "echo/2")) {
            assertThat(tunnel.status()).isEqualTo(200);
            // The handler's headers, and none of HTTP/1.1's hop-by-hop fields (RFC 9113 8.2.2).
            assertThat(tunnel.headers().get("X-Test-Protocol")).isEqualTo("echo");
            assertThat(tunnel.headers().contains(HttpHeader.UPGRADE)).isFalse();
            assertThat(tunnel.headers().contains(HttpHeader.CONNECTION)).isFalse();
            assertThat(tunnel.readLine()).isEqualTo("echo/2 body=0");
            tunnel.sendText("over a stream\n");
            assertThat(tunnel.readLine()).isEqualTo("over a stream");
        }
        assertThat(dispatcher.metrics().snapshot().count("echo", UpgradeMetrics.Outcome.UPGRADED)).isEqualTo(1);
        assertThat(negotiations).singleElement().satisfies(n -> {
            assertThat(n.status()).isEqualTo(200);
            assertThat(n.upgrade()).isEqualTo("echo/2");
            assertThat(n.answer()).isEqualTo("200 echo/2");
            assertThat(n.requestLine()).startsWith("CONNECT /anywhere HTTP/2");
        });
    }

    @Test
    void C3_U10_bytesSentRightBehindTheConnectReachTheProtocol() throws Exception {
        byte[] early = "sent before the 200\n".getBytes(StandardCharsets.UTF_8);
        try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/", "echo", HttpFields.EMPTY, early, 0)) {
            assertThat(tunnel.status()).isEqualTo(200);
            assertThat(tunnel.readLine()).isEqualTo("echo/1 body=0");
            assertThat(tunnel.readLine()).isEqualTo("sent before the 200");
        }
    }

    @Test
    void C1_U1_theProtocolIsOneOfferParsedAsAnUpgradeElement_namesIgnoreCase() throws Exception {
        try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/", "ECHO/1")) {
            assertThat(tunnel.status()).isEqualTo(200);
            assertThat(tunnel.readLine()).isEqualTo("ECHO/1 body=0");
        }
    }

    @Test
    void C1_aMalformedProtocolGets400WithAReasonNotAReset() throws Exception {
        for (String malformed : List.of("echo, picky", "echo/", "/1", "echo/1/2", "ec ho", "écho")) {
            try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/", malformed)) {
                assertThat(tunnel.status()).as(malformed).isEqualTo(400);
                assertThat(tunnel.body()).as(malformed).startsWith(":protocol must be one protocol");
            }
        }
        assertThat(dispatcher.metrics().snapshot().count(UpgradeMetrics.NONE, UpgradeMetrics.Outcome.BAD_REQUEST)).isEqualTo(6);
    }

    @Test
    void C1_SB5_aProtocolOverTheUpgradeLengthLimitGets400() throws Exception {
        try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/", "x".repeat(UpgradeLimits.DEFAULT.maxUpgradeLength() + 1))) {
            assertThat(tunnel.status()).isEqualTo(400);
            assertThat(tunnel.body()).startsWith(":protocol is longer than");
        }
    }

    @Test
    void C4_SB3_aHandlersRejectionIsItsStatusAndReasonOnTheStream() throws Exception {
        try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/", "picky", HttpFields.build().put("X-Picky", "no"), null, 0)) {
            assertThat(tunnel.status()).isEqualTo(403);
            assertThat(tunnel.body()).isEqualTo("picky refuses X-Picky: no\n");
        }
        assertThat(dispatcher.metrics().snapshot().rejections().get("picky")).containsEntry(403, 1L);
    }

    @Test
    void C4_nothingAcceptedOnAnOptionalRouteIs501NamingTheRoutesProtocols() throws Exception {
        // Declined by its handler…
        try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/picky-only", "picky", HttpFields.build().put("X-Picky", "skip"), null, 0)) {
            assertThat(tunnel.status()).isEqualTo(501);
            assertThat(tunnel.headers().get(UpgradeDispatcher.CONNECT_PROTOCOL)).isEqualTo("picky");
            assertThat(tunnel.body()).contains(":protocol picky at /picky-only; it speaks: picky");
        }
        // …or a protocol nobody here speaks: never the application, whose 200 would be a tunnel nobody
        // reads. "whole" cannot run in a stream, so it is not listed.
        try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/", "unknown")) {
            assertThat(tunnel.status()).isEqualTo(501);
            assertThat(tunnel.headers().get(UpgradeDispatcher.CONNECT_PROTOCOL)).isEqualTo("echo/1, echo/2, picky");
            assertThat(tunnel.body()).contains(":protocol unknown");
        }
        assertThat(dispatcher.metrics().snapshot().rejections().get(UpgradeMetrics.OTHER)).containsEntry(501, 1L);
        assertThat(dispatcher.metrics().snapshot().rejections().get("picky")).containsEntry(501, 1L);
    }

    @Test
    void C4_U8_U11_nothingAcceptedOnARequiredRouteIs501InPlaceOf426() throws Exception {
        // echo/3 is not a declared version (SB4), picky is not allowed on the route (U3).
        for (String protocol : List.of("echo/3", "picky")) {
            try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/echo-only", protocol)) {
                assertThat(tunnel.status()).as(protocol).isEqualTo(501);
                assertThat(tunnel.headers().get(UpgradeDispatcher.CONNECT_PROTOCOL)).isEqualTo("echo/1, echo/2");
                assertThat(tunnel.headers().contains(HttpHeader.UPGRADE)).isFalse();
            }
        }
        assertThat(negotiations).hasSize(2).allSatisfy(n -> {
            assertThat(n.outcome()).isEqualTo(UpgradeMetrics.Outcome.UPGRADE_REQUIRED);
            assertThat(n.status()).isEqualTo(501);
        });
    }

    @Test
    void C2_theRoutesPolicyAppliesToConnectAsToUpgrade() throws Exception {
        try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/echo-only", "echo")) {
            assertThat(tunnel.status()).isEqualTo(200);
        }
        // The same request over HTTP/1.1 on the same port is still an upgrade.
        try (RawUpgradeClient http = RawUpgradeClient.connect(port())) {
            http.send("GET /echo-only HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
            assertThat(http.readHead().status()).isEqualTo(101);
        }
    }

    @Test
    void C3_flowControlIsTheProtocolsBackpressure_aSlowReaderStallsTheWriterAndNothingIsLost() throws Exception {
        byte[] payload = new byte[4 * 1024 * 1024];
        new Random(8441).nextBytes(payload);
        int window = 65_535;
        try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/", "echo", HttpFields.EMPTY, null, window)) {
            assertThat(tunnel.status()).isEqualTo(200);
            assertThat(tunnel.readLine()).isEqualTo("echo/1 body=0");
            tunnel.pause();
            CompletableFuture<?> sent = CompletableFuture.completedFuture(null);
            for (int at = 0; at < payload.length; at += 16 * 1024) {
                byte[] chunk = java.util.Arrays.copyOfRange(payload, at, Math.min(payload.length, at + 16 * 1024));
                sent = sent.thenCompose(done -> tunnel.send(chunk));
            }
            // The echo's writes stop at this reader's window, so it stops reading, so the server's
            // windows stop the client's writes: 4 MiB cannot all be sent while nobody reads.
            await().atMost(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS).until(() -> tunnel.receiveWindow() <= 0);
            assertThat(tunnel.receiveWindow()).isZero();
            assertThat(sent).isNotDone();
            tunnel.resume();
            assertThat(tunnel.read(payload.length)).isEqualTo(payload);
            sent.get(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void C5_SB6_aStreamConnectionIsCountedOpenThenClosedOnce_whenTheClientEndsItsSide() throws Exception {
        try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/", "echo")) {
            assertThat(tunnel.status()).isEqualTo(200);
            assertThat(tunnel.readLine()).isEqualTo("echo/1 body=0");
            // The test protocol greets before it opens (and is counted): wait for the count, not the greeting.
            awaitUpgradedConnections(1);
            assertThat(dispatcher.metrics().snapshot().open("echo")).isEqualTo(1);
            tunnel.endOutput();
            assertThat(tunnel.awaitEnd()).isTrue();
            awaitUpgradedConnections(0);
        }
        assertThat(dispatcher.metrics().snapshot().open("echo")).isZero();
    }

    @Test
    void C5_SB6_aStreamConnectionIsCountedClosedOnce_whenTheClientResetsTheStream() throws Exception {
        try (ExtendedConnect tunnel = openCounted()) {
            tunnel.cancel();
            awaitUpgradedConnections(0);
        }
        assertThat(dispatcher.metrics().snapshot().open("echo")).isZero();
    }

    @Test
    void C5_gracefulShutdownReachesStreamConnections() throws Exception {
        try (ExtendedConnect tunnel = openCounted()) {
            dispatcher.shutdown().get(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS);
            // The test protocol's goodbye is UpgradedConnection's default: finish writing, end the
            // stream's output (the client reads its end), then close once the client ends its side.
            assertThat(tunnel.awaitEnd()).isTrue();
            tunnel.endOutput();
            awaitUpgradedConnections(0);
        }
        assertThat(dispatcher.metrics().snapshot().open("echo")).isZero();
    }

    @Test
    void SB6_listenersSeeAConnectRefusedOnARequiredRouteWithItsHttp2Answer() throws Exception {
        try (ExtendedConnect tunnel = ExtendedConnect.open(port(), "/echo-only", "picky")) {
            assertThat(tunnel.status()).isEqualTo(501);
        }
        assertThat(negotiations).singleElement().satisfies(n -> {
            assertThat(n.upgrade()).isEqualTo("picky");
            assertThat(n.answer()).isEqualTo("501 Connect-Protocol: echo/1, echo/2");
        });
    }

    @Test
    void C6_dryRunDecidesAConnectAsHandleDoes() throws Exception {
        AtomicReference<UpgradeDispatcher> probed = new AtomicReference<>();
        List<Negotiation> dry = new CopyOnWriteArrayList<>();
        List<Negotiation> real = new CopyOnWriteArrayList<>();
        // The handler dry-runs the very request it is asked about (once: the dry run asks it too).
        LineEchoProtocolHandler probe = LineEchoProtocolHandler.scripted("probe", (offer, request) -> {
            if (request.getAttribute("dry-run") == null) {
                request.setAttribute("dry-run", Boolean.TRUE);
                dry.add(probed.get().dryRun(request));
            }
            return "yes".equals(request.getHeaders().get("X-Accept")) ? null : Verdict.reject(409, "probe says no");
        });
        try (TestServer probing = TestServer.startWithExtendedConnect(Switchboard.builder().handler(probe).listener(real::add).build(),
            new RequestSummaryHandler())) {
            probed.set(probing.dispatcher());
            try (ExtendedConnect tunnel = ExtendedConnect.open(probing.port(), "/", "probe")) {
                assertThat(tunnel.status()).isEqualTo(409);
            }
            try (ExtendedConnect tunnel = ExtendedConnect.open(probing.port(), "/", "probe", HttpFields.build().put("X-Accept", "yes"), null, 0)) {
                assertThat(tunnel.status()).isEqualTo(200);
            }
        }
        assertThat(dry).hasSize(2);
        assertThat(real).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(dry.get(i).answer()).isEqualTo(real.get(i).answer());
            assertThat(dry.get(i).status()).isEqualTo(real.get(i).status());
            assertThat(dry.get(i).outcome()).isEqualTo(real.get(i).outcome());
            assertThat(dry.get(i).upgrade()).isEqualTo("probe");
        }
        assertThat(real).extracting(Negotiation::answer).containsExactly("409 probe says no", "200 probe");
    }
}
