package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawHttp;
import org.switchboard.testing.TestServer;
import org.switchboard.spi.Verdict;
import org.switchboard.spi.UpgradedConnection;
import org.switchboard.spi.SwitchContext;

/**
 * The dispatcher on a real Jetty server, driven over raw sockets so that every byte on the wire is
 * checked. Test names start with the rule they prove (RULES.md at the repository root).
 */
class DispatcherTest {

    private static final String PLAIN_GET = "GET /after HTTP/1.1\r\nHost: t\r\n\r\n";

    private static String upgradeRequest(String path, String upgrade) {
        return "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: " + upgrade + "\r\n\r\n";
    }

    private static Switchboard echoAndShout() {
        return Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .handler(LineEchoProtocolHandler.accepting("shout"))
            .build();
    }

    @Test
    void U4_101CarriesUpgradeAndConnectionAndNoBody() throws Exception {
        try (TestServer server = TestServer.start(echoAndShout()); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Head head = client.send(upgradeRequest("/", "echo")).readHead();

            assertThat(head.raw()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
            assertThat(head.header("Upgrade")).isEqualTo("echo");
            assertThat(head.header("Connection")).isEqualTo("Upgrade");
            assertThat(head.header("X-Test-Protocol")).isEqualTo("echo");
            assertThat(head.header("Content-Length")).isNull();
            assertThat(head.header("Transfer-Encoding")).isNull();
            // The very next bytes are the new protocol's: its greeting, nothing from HTTP in between.
            assertThat(client.readText("echo body=0\n".length())).isEqualTo("echo body=0\n");
            assertThat(client.send("ping").readText(4)).isEqualTo("ping");
        }
    }

    @Test
    void U10_bytesPipelinedInTheSameWriteAsTheRequestReachTheNewProtocol() throws Exception {
        try (TestServer server = TestServer.start(echoAndShout()); RawHttp client = RawHttp.connect(server.port())) {
            client.send(upgradeRequest("/", "echo") + "hello, pipelined");

            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(client.readText("echo body=0\n".length() + "hello, pipelined".length()))
                .isEqualTo("echo body=0\nhello, pipelined");
        }
    }

    @Test
    void U2_SB1_clientPreferenceOrderPicksTheFirstAcceptableOffer() throws Exception {
        try (TestServer server = TestServer.start(echoAndShout()); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Head head = client.send(upgradeRequest("/", "unknown, shout, echo")).readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("shout");
        }
    }

    @Test
    void SB1_serverPriorityOrderIsAnOptIn() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .handler(LineEchoProtocolHandler.accepting("shout"))
            .order(NegotiationOrder.SERVER_PRIORITY)
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            assertThat(client.send(upgradeRequest("/", "shout, echo")).readHead().header("Upgrade")).isEqualTo("echo");
        }
    }

    @Test
    void U1_namesCompareCaseInsensitivelyAndSeveralUpgradeLinesJoinInOrder() throws Exception {
        try (TestServer server = TestServer.start(echoAndShout()); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Head head = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: keep-alive, Upgrade\r\n"
                + "Upgrade: , nope/1 ,\r\nUpgrade: SHOUT, echo\r\n\r\n").readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("shout");
        }
    }

    @Test
    void SB2_aDeclineFallsThroughToTheNextOffer() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.scripted("echo", (offer, request) -> Verdict.decline("not today")))
            .handler(LineEchoProtocolHandler.accepting("shout"))
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            assertThat(client.send(upgradeRequest("/", "echo, shout")).readHead().header("Upgrade")).isEqualTo("shout");
        }
    }

    @Test
    void SB3_aRejectionBeatsFallbackAndTheConnectionServesTheNextRequest() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.scripted("echo", (offer, request) ->
                Verdict.reject(403, HttpFields.build().put("X-Why", "origin"), "origin not allowed")))
            .handler(LineEchoProtocolHandler.scripted("shout", (offer, request) -> Verdict.decline("no")))
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response response = client.send(upgradeRequest("/", "shout, echo")).readResponse();

            assertThat(response.status()).isEqualTo(403);
            assertThat(response.header("X-Why")).isEqualTo("origin");
            assertThat(response.body()).isEqualTo("origin not allowed\n");
            assertThat(client.send(PLAIN_GET).readResponse().body()).isEqualTo("GET /after HTTP/1.1 body=");
            assertThat(switchboard.metrics().snapshot().count("echo", UpgradeMetrics.Outcome.REJECTED)).isEqualTo(1);
        }
    }

    @Test
    void SB3_theMostPreferredRejectionIsSent() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.scripted("echo", (offer, request) -> Verdict.reject(403, "echo says no")))
            .handler(LineEchoProtocolHandler.scripted("shout", (offer, request) -> Verdict.reject(400, "shout says no")))
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            assertThat(client.send(upgradeRequest("/", "shout, echo")).readResponse().body()).isEqualTo("shout says no\n");
        }
    }

    @Test
    void U7_SB3_nothingAcceptableOnAnOptionalRouteIsServedAsIfUpgradeWereAbsent() throws Exception {
        Switchboard switchboard = echoAndShout();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response response = client.send(upgradeRequest("/page", "unknown/2, other")).readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("GET /page HTTP/1.1 body=");
            assertThat(response.header("Upgrade")).isNull();
            // Counted under the fixed key for unregistered protocols, never under the client's name (SB6).
            assertThat(switchboard.metrics().snapshot().count(UpgradeMetrics.OTHER, UpgradeMetrics.Outcome.FALLBACK)).isEqualTo(1);
        }
    }

    private static String closingUpgradeRequest(String path, String upgrade) {
        return "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close, Upgrade\r\nUpgrade: " + upgrade + "\r\n\r\n";
    }

    @Test
    void U4_aRequestWithConnectionCloseIsServedWithoutSwitchingAndClosed() throws Exception {
        Switchboard switchboard = echoAndShout();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response response = client.send(closingUpgradeRequest("/page", "echo") + "not for echo").readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("GET /page HTTP/1.1 body=");
            assertThat(response.header("Upgrade")).isNull();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedWithin(5_000)).isTrue();
            assertThat(switchboard.metrics().snapshot().count("echo", UpgradeMetrics.Outcome.FALLBACK)).isEqualTo(1);
            assertThat(switchboard.metrics().snapshot().count("echo", UpgradeMetrics.Outcome.UPGRADED)).isZero();
        }
    }

    @Test
    void U4_U8_aRequestWithConnectionCloseOnARequiredRouteGets426AndIsClosed() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .route("/echo", UpgradePolicy.required("echo"))
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response response = client.send(closingUpgradeRequest("/echo", "echo")).readResponse();

            assertThat(response.status()).isEqualTo(426);
            assertThat(response.header("Upgrade")).isEqualTo("echo");
            assertThat(client.closedWithin(5_000)).isTrue();
        }
    }

    @Test
    void U4_every101CarriesExactlyConnectionUpgradeWhateverElseTheClientsConnectionSays() throws Exception {
        try (TestServer server = TestServer.start(echoAndShout()); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Head head = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: keep-alive, Upgrade\r\nConnection: TE\r\nTE: trailers\r\nUpgrade: echo\r\n\r\n")
                .readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.raw()).contains("\r\nConnection: Upgrade\r\n");
        }
    }

    @Test
    void U3_aHandlerThatAcceptsAProtocolTheClientDidNotOfferIsCountedAndDeclined() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.scripted("lc", (offer, request) -> Verdict.accept("other/1", context -> null)))
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response fallback = client.send(upgradeRequest("/page", "lc")).readResponse();
            assertThat(fallback.status()).isEqualTo(200);
            assertThat(fallback.body()).isEqualTo("GET /page HTTP/1.1 body=");

            // The bad accept counts as a decline: the client's next offer still wins.
            RawHttp.Head next = client.send(upgradeRequest("/", "lc, echo")).readHead();
            assertThat(next.status()).isEqualTo(101);
            assertThat(next.header("Upgrade")).isEqualTo("echo");
            assertThat(switchboard.metrics().snapshot().handlerFaults("lc")).isEqualTo(2);
            assertThat(switchboard.metrics().snapshot().count("lc", UpgradeMetrics.Outcome.UPGRADED)).isZero();
        }
    }

    @Test
    void SB4_aHandlerThatAcceptsAVersionItDoesNotDeclareOrTheClientDidNotAskIsCountedAndDeclined() throws Exception {
        LineEchoProtocolHandler lc = LineEchoProtocolHandler.scriptedVersions("lc", java.util.List.of("1", "2"),
            (offer, request) -> Verdict.accept(offer.hasVersion() ? "lc/2" : "lc/7", context -> null));
        Switchboard switchboard = Switchboard.builder().handler(lc).build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            // lc/7 for an unversioned offer: 7 is not declared.
            assertThat(client.send(upgradeRequest("/page", "lc")).readResponse().status()).isEqualTo(200);
            // lc/2 for an offer of lc/1: not what the client asked for.
            assertThat(client.send(upgradeRequest("/page", "lc/1")).readResponse().status()).isEqualTo(200);
            assertThat(switchboard.metrics().snapshot().handlerFaults("lc")).isEqualTo(2);
        }
    }

    @Test
    void SB4_anUnversionedOfferMayBeAnsweredWithADeclaredVersionOrNone() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("relay", "2", "1"))
            .handler(LineEchoProtocolHandler.scripted("Shout", (offer, request) -> null))
            .build();
        try (TestServer server = TestServer.start(switchboard)) {
            try (RawHttp client = RawHttp.connect(server.port())) {
                assertThat(client.send(upgradeRequest("/", "relay")).readHead().header("Upgrade")).isEqualTo("relay/2");
            }
            try (RawHttp client = RawHttp.connect(server.port())) {
                // Names compare case-insensitively (U1): the handler's spelling answers the client's.
                assertThat(client.send(upgradeRequest("/", "shout")).readHead().header("Upgrade")).isEqualTo("Shout");
            }
            assertThat(switchboard.metrics().snapshot().handlerFaults().isEmpty()).isTrue();
        }
    }

    @Test
    void U1_aHandlerWhoseProtocolOrVersionIsNotATokenFailsWhenTheDispatcherIsBuilt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                Switchboard.builder().handler(LineEchoProtocolHandler.accepting("line count")).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(LineEchoProtocolHandler.class.getName())
            .hasMessageContaining("'line count' is not a token");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                Switchboard.builder().handler(LineEchoProtocolHandler.accepting("lc", "1.0 beta")).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(LineEchoProtocolHandler.class.getName())
            .hasMessageContaining("'1.0 beta' is not a token");
    }

    @Test
    void SB6_metricKeysAreBoundedWhateverTheClientOffers() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.scripted("echo", (offer, request) -> Verdict.reject(403, "Origin " + request.getHeaders().get("Origin") + " refused")))
            .route("/required", UpgradePolicy.required("echo"))
            .build();
        try (TestServer server = TestServer.start(switchboard)) {
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < 30; i++) {
                String madeUp = "made-up-" + Long.toHexString(random.nextLong());
                exchange(server, upgradeRequest("/page", madeUp));                                  // fallback
                exchange(server, upgradeRequest("/required", madeUp));                              // 426
                exchange(server, "GET /page HTTP/1.1\r\nHost: t\r\nUpgrade: " + madeUp + "\r\n\r\n"); // Jetty's 400, U6
                exchange(server, upgradeRequest("/page", (madeUp + ",").repeat(17)));              // 400, SB5
                exchange(server, "GET /page HTTP/1.1\r\nHost: t\r\nOrigin: http://" + madeUp
                    + "\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");                          // 403, its reason quotes the client
            }
            UpgradeMetrics.Snapshot snapshot = switchboard.metrics().snapshot();
            assertThat(snapshot.outcomes().keySet()).containsOnly("echo", UpgradeMetrics.OTHER, UpgradeMetrics.NONE);
            assertThat(snapshot.count(UpgradeMetrics.OTHER, UpgradeMetrics.Outcome.FALLBACK)).isEqualTo(30);
            assertThat(snapshot.count(UpgradeMetrics.OTHER, UpgradeMetrics.Outcome.UPGRADE_REQUIRED)).isEqualTo(30);
            assertThat(snapshot.count(UpgradeMetrics.NONE, UpgradeMetrics.Outcome.BAD_REQUEST)).isEqualTo(30);
            assertThat(snapshot.rejections()).isEqualTo(java.util.Map.of(
                "echo", java.util.Map.of(403, 30L),
                UpgradeMetrics.NONE, java.util.Map.of(400, 30L)));
        }
    }

    private static int exchange(TestServer server, String request) throws Exception {
        try (RawHttp client = RawHttp.connect(server.port())) {
            return client.send(request).readResponse().status();
        }
    }

    @Test
    void U8_aRequiredRouteAnswers426ListingItsProtocolsInOrder() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("relay", "2", "1"))
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .handler(LineEchoProtocolHandler.accepting("shout"))
            .route("/relay", UpgradePolicy.required("relay", "echo"))
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response plain = client.send("GET /relay HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
            assertThat(plain.status()).isEqualTo(426);
            assertThat(plain.header("Upgrade")).isEqualTo("relay/2, relay/1, echo");
            assertThat(plain.header("Connection")).isEqualTo("Upgrade");
            assertThat(plain.body()).contains("requires an upgrade").contains("relay/2, relay/1, echo");

            // shout exists, but not on this route (U3: only what the route allows).
            RawHttp.Response other = client.send(upgradeRequest("/relay", "shout")).readResponse();
            assertThat(other.status()).isEqualTo(426);

            assertThat(client.send(upgradeRequest("/relay", "relay/1")).readHead().header("Upgrade")).isEqualTo("relay/1");
        }
    }

    @Test
    void SB4_offeredVersionsAreMatchedAgainstDeclaredOnesInClientOrder() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(LineEchoProtocolHandler.accepting("relay", "2", "1")).build();
        try (TestServer server = TestServer.start(switchboard)) {
            try (RawHttp client = RawHttp.connect(server.port())) {
                assertThat(client.send(upgradeRequest("/", "relay/9, relay/1, relay/2")).readHead().header("Upgrade")).isEqualTo("relay/1");
            }
            try (RawHttp client = RawHttp.connect(server.port())) {
                assertThat(client.send(upgradeRequest("/", "relay")).readHead().header("Upgrade")).isEqualTo("relay/2");
            }
            try (RawHttp client = RawHttp.connect(server.port())) {
                assertThat(client.send(upgradeRequest("/", "relay/9")).readResponse().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void U5_anHttp10RequestIsNeverSwitched() throws Exception {
        try (TestServer server = TestServer.start(echoAndShout()); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response response = client.send("GET /old HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("GET /old HTTP/1.0 body=");
        }
    }

    @Test
    void U6_upgradeWithoutConnectionUpgradeIs400NamingWhatIsMissing() throws Exception {
        try (TestServer server = TestServer.start(echoAndShout())) {
            try (RawHttp client = RawHttp.connect(server.port())) {
                RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: t\r\nUpgrade: echo\r\n\r\n").readResponse();
                assertThat(response.status()).isEqualTo(400);
                assertThat(response.body()).contains("Connection: upgrade");
            }
            try (RawHttp client = RawHttp.connect(server.port())) {
                RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\nUpgrade: echo\r\n\r\n").readResponse();
                assertThat(response.status()).isEqualTo(400);
                assertThat(response.body()).contains("Connection: upgrade");
            }
            try (RawHttp client = RawHttp.connect(server.port())) {
                assertThat(client.send(PLAIN_GET).readResponse().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void U9_expect100ContinueGets100BeforeThe101() throws Exception {
        try (TestServer server = TestServer.start(echoAndShout()); RawHttp client = RawHttp.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\n"
                + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertThat(client.readHead().status()).isEqualTo(100);

            client.send("12345");
            RawHttp.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Connection")).isEqualTo("Upgrade");
            assertThat(client.readText("echo body=5\n".length())).isEqualTo("echo body=5\n");
            assertThat(client.send("still open").readText(10)).isEqualTo("still open");
        }
    }

    @Test
    void U10_aBodyIsReadInFullBeforeThe101AndBytesAfterItBelongToTheNewProtocol() throws Exception {
        try (TestServer server = TestServer.start(echoAndShout()); RawHttp client = RawHttp.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\nContent-Length: 4\r\n\r\nbodyAFTER");

            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(client.readText("echo body=4\nAFTER".length())).isEqualTo("echo body=4\nAFTER");
        }
    }

    @Test
    void U10_aChunkedBodyIsReadInFullBeforeThe101() throws Exception {
        try (TestServer server = TestServer.start(echoAndShout()); RawHttp client = RawHttp.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\nNEXT");

            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(client.readText("echo body=5\nNEXT".length())).isEqualTo("echo body=5\nNEXT");
        }
    }

    @Test
    void U10_aBodyOverTheLimitIsNotUpgradedAndReachesTheApplicationIntact() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .limits(new UpgradeLimits(1024, 16, 8))
            .build();
        String body = "0123456789abcdefghij";
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response fixed = client.send("POST /big HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).readResponse();
            assertThat(fixed.status()).isEqualTo(200);
            assertThat(fixed.body()).isEqualTo("POST /big HTTP/1.1 body=" + body);

            client.send("POST /big HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "6\r\n012345\r\n");
            client.send("6\r\n6789ab\r\n");
            client.send("8\r\ncdefghij\r\n0\r\n\r\n");
            RawHttp.Response chunked = client.readResponse();
            assertThat(chunked.status()).isEqualTo(200);
            assertThat(chunked.body()).isEqualTo("POST /big HTTP/1.1 body=" + body);
        }
    }

    @Test
    void SB5_anOversizedUpgradeIs400AndTheServerGoesOn() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .limits(new UpgradeLimits(64, 4, 1024))
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response tooLong = client.send(upgradeRequest("/", "x".repeat(65))).readResponse();
            assertThat(tooLong.status()).isEqualTo(400);
            assertThat(tooLong.body()).contains("longer than 64");
            assertThat(client.send(PLAIN_GET).readResponse().status()).isEqualTo(200);

            RawHttp.Response tooMany = client.send(upgradeRequest("/", "a, b, c, d, echo")).readResponse();
            assertThat(tooMany.status()).isEqualTo(400);
            assertThat(tooMany.body()).contains("more than 4");
            assertThat(client.send(PLAIN_GET).readResponse().status()).isEqualTo(200);
            assertThat(switchboard.metrics().snapshot().count("none", UpgradeMetrics.Outcome.BAD_REQUEST)).isEqualTo(2);
        }
    }

    @Test
    void U12_normalResponsesCanAdvertiseTheRoutesProtocols() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .handler(LineEchoProtocolHandler.accepting("relay", "2", "1"))
            .advertise(true)
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response response = client.send(PLAIN_GET).readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Upgrade")).isEqualTo("echo, relay/2, relay/1");
            assertThat(response.header("Connection")).containsIgnoringCase("upgrade");
        }
    }

    @Test
    void SB2_aHandlerThatThrowsCountsAsDecliningAndOthersStillWork() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.scripted("broken", (offer, request) -> {
                throw new IllegalStateException("bug in handler");
            }))
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            assertThat(client.send(upgradeRequest("/", "broken, echo")).readHead().header("Upgrade")).isEqualTo("echo");
        }
    }

    @Test
    void U10_aConnectionThatCannotTakeLeftoverBytesIsRefusedBeforeThe101() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.scripted("careless", (offer, request) -> Verdict.accept("careless", context ->
                new org.eclipse.jetty.io.AbstractConnection(context.endPoint(), context.connector().getExecutor()) {
                    @Override
                    public void onFillable() {
                    }
                })))
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response response = client.send(upgradeRequest("/", "careless")).readResponse();

            assertThat(response.status()).isEqualTo(500);
            assertThat(client.send(PLAIN_GET).readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void SB6_upgradesAndClosesAreCountedPerProtocol() throws Exception {
        Switchboard switchboard = echoAndShout();
        try (TestServer server = TestServer.start(switchboard)) {
            try (RawHttp client = RawHttp.connect(server.port())) {
                client.send(upgradeRequest("/", "echo")).readHead();
                client.readText("echo body=0\n".length());
                // Counted open and tracked once Jetty has opened the new connection, which may be
                // just after the greeting (this protocol greets from its onOpen).
                org.awaitility.Awaitility.await().until(() -> switchboard.metrics().snapshot().open("echo") == 1);
                org.awaitility.Awaitility.await().until(() -> server.dispatcher().upgradedConnections() == 1);
            }
            assertThat(switchboard.metrics().snapshot().count("echo", UpgradeMetrics.Outcome.UPGRADED)).isEqualTo(1);
            org.awaitility.Awaitility.await().until(() -> switchboard.metrics().snapshot().open("echo") == 0);
        }
    }

    @Test
    void gracefulStopClosesUpgradedConnections() throws Exception {
        TestServer server = TestServer.start(echoAndShout());
        try (RawHttp client = RawHttp.connect(server.port())) {
            client.send(upgradeRequest("/", "echo")).readHead();
            client.readText("echo body=0\n".length());

            server.close();

            assertThat(client.closedWithin(5000)).isTrue();
        }
    }


    @Test
    void gracefulStopLetsGracefulConnectionsSayGoodbye() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.scripted("polite", (offer, request) -> Verdict.accept("polite", PoliteConnection::new)))
            .build();
        TestServer server = TestServer.start(switchboard);
        server.server().setStopTimeout(5_000);
        try (RawHttp client = RawHttp.connect(server.port())) {
            assertThat(client.send(upgradeRequest("/", "polite")).readHead().status()).isEqualTo(101);

            server.close();

            assertThat(client.readText("going away\n".length())).isEqualTo("going away\n");
            assertThat(client.closedWithin(5000)).isTrue();
        }
    }

    @Test
    void U5_U8_anHttp10RequestOnARequiredRouteGets426() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .route("/ws/*", UpgradePolicy.required())
            .build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            RawHttp.Response response = client.send("GET /ws/room HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(426);
            assertThat(response.header("Upgrade")).isEqualTo("echo");
        }
    }

    /** A protocol that says goodbye when the server shuts down gracefully. */
    private static final class PoliteConnection extends UpgradedConnection {
        PoliteConnection(SwitchContext context) {
            super(context);
        }

        @Override
        protected java.util.concurrent.CompletableFuture<Void> onGoodbye() {
            return writeLast(org.eclipse.jetty.util.BufferUtil.toBuffer("going away\n"));
        }
    }
}
