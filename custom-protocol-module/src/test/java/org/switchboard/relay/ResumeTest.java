package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.UpgradePolicy;
import org.switchboard.testing.Closer;
import org.switchboard.testing.ExtendedConnect;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.TcpProxy;
import org.switchboard.testing.TestServer;

/**
 * PROTOCOL.md section 8, "Resume (relay/2, optional extension)", with real servers, real sockets
 * and {@link RelayClient}: a {@link ResumableRoom} is the store (one room shared by two servers is
 * a store two instances share), a {@link TcpProxy} stands where a load balancer would and cuts
 * connections. Waits are bounded, never timed: a cut happens once the client has seen a given
 * number of messages.
 */
class ResumeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final RelayConfig DEFERRED = RelayConfig.DEFAULT.withDeferredAcknowledge(true);
    private static final RelayClient.Reconnect FAST = new RelayClient.Reconnect(20, Duration.ofMillis(20), Duration.ofMillis(500), 4 << 20);

    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    private TestServer start(RelayListener room, RelayConfig config, RelayResumption store) throws Exception {
        return closer.add(TestServer.start(Switchboard.builder()
            .handler(new RelayProtocolHandler(room, config, store))
            .route("/chat", UpgradePolicy.required("relay"))
            .build()));
    }

    private TestServer start(ResumableRoom room) throws Exception {
        return start(room, DEFERRED, room);
    }

    /** What a resuming client's listener saw. */
    static class Seen extends RecordingListener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<String> resumptions = new CopyOnWriteArrayList<>();

        @Override
        public void onText(RelaySession session, String text) {
            texts.add(text);
            super.onText(session, text);
        }

        @Override
        public void onResumed(RelaySession session, boolean resumed, String reason) {
            resumptions.add(resumed ? "resumed" : "not resumed: " + reason);
        }
    }

    private static String upgrade(String extra) {
        return "GET /chat HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: relay/2\r\n" + extra + "\r\n";
    }

    private static List<String> numbered(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).toList();
    }

    // 101: Relay-Session, Relay-Resumed.

    @Test
    void resume_everyRelay2SessionGetsATokenAndRelay1IgnoresRelayResume() throws Exception {
        ResumableRoom room = new ResumableRoom();
        TestServer server = start(room);
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(upgrade("")).readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Relay-Session")).matches("[A-Za-z0-9_-]{22}");
            assertThat(head.header("Relay-Resumed")).as("only an answer to Relay-Resume").isNull();
        }
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send("GET /chat HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: relay/1\r\n"
                + "Relay-Resume: AAAAAAAAAAAAAAAAAAAAAA; received=3\r\n\r\n").readHead();
            assertThat(head.header("Upgrade")).isEqualTo("relay/1");
            assertThat(head.header("Relay-Session")).isNull();
            assertThat(head.header("Relay-Resumed")).isNull();
            client.send(WireFrames.text(1, 0, "v1"));
            assertThat(client.readExactly(7)).as("relay/1 as ever: no id, no ACK").isEqualTo(WireFrames.text(1, 0, "v1"));
        }
    }

    @Test
    void resume_aClientThatDoesNotAskIsUnaffected() throws Exception {
        ResumableRoom room = new ResumableRoom();
        TestServer server = start(room);
        Seen seen = new Seen();
        try (RelayClient client = RelayClient.connect(URI.create("relay://127.0.0.1:" + server.port() + "/chat"), seen)) {
            assertThat(client.sessionToken()).as("the server gave one; this client just does not use it").isNotNull();
            client.sendText("plain");
            assertThat(seen.next()).isEqualTo("plain");
            await().atMost(WAIT).until(() -> seen.acknowledged == 1);
            assertThat(client.unacknowledged()).as("nothing kept without resume").isZero();
        }
        // A server without a store: no token, the client's resume option does nothing.
        TestServer plain = start(new RelayServerTest.Echo(), RelayConfig.DEFAULT, null);
        try (RelayClient client = RelayClient.builder(URI.create("relay://127.0.0.1:" + plain.port() + "/chat")).resume(FAST).connect(seen)) {
            assertThat(client.sessionToken()).isNull();
            client.sendText("echo");
            assertThat(seen.next()).isEqualTo("echo");
        }
    }

    @Test
    void resume_malformedRelayResumeIs400WithAOneLineReason() throws Exception {
        TestServer server = start(new ResumableRoom());
        for (String value : List.of("short; received=1", "AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAA; received=-1",
            "AAAAAAAAAAAAAAAAAAAAAA; received=99999999999999999999", "AAAAAAAAAAAAAAAAAAAAAA; received=1x", "AAAA/AAAAAAAAAAAAAAAAA; received=1", "")) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                RawResponse response = client.send(upgrade("Relay-Resume: " + value + "\r\n")).readResponse();
                assertThat(response.status()).as(value).isEqualTo(400);
                assertThat(response.body().strip()).as(value).contains("Relay-Resume").doesNotContain("\n").doesNotContain("Exception");
            }
        }
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(upgrade("Relay-Resume: AAAAAAAAAAAAAAAAAAAAAA; received=1\r\n"
                + "Relay-Resume: AAAAAAAAAAAAAAAAAAAAAA; received=2\r\n")).readResponse();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("one Relay-Resume");
        }
    }

    @Test
    void resume_anUnknownTokenIsAnExplicitFreshSession() throws Exception {
        TestServer server = start(new ResumableRoom());
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send(upgrade("Relay-Resume: AAAAAAAAAAAAAAAAAAAAAA; received=7\r\n")).readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Relay-Resumed")).isEqualTo("no; reason=\"unknown session\"");
            assertThat(head.header("Relay-Session")).matches("[A-Za-z0-9_-]{22}").isNotEqualTo("AAAAAAAAAAAAAAAAAAAAAA");
            client.send(WireFrames.text(2, 1, "fresh"));
            assertThat(client.readExactly(14)).as("ids from 1 again").isEqualTo(WireFrames.text(2, 1, "fresh"));
            assertThat(client.readExactly(9)).isEqualTo(WireFrames.ack(1));
        }
    }

    @Test
    void resume_aResumedSessionContinuesItsIdsAndReplaysFromTheClientsCount() throws Exception {
        ResumableRoom room = new ResumableRoom();
        TestServer server = start(room);
        String token;
        try (RawUpgradeClient first = RawUpgradeClient.connect(server.port())) {
            token = first.send(upgrade("")).readHead().header("Relay-Session");
            first.send(WireFrames.concat(WireFrames.text(2, 1, "a"), WireFrames.text(2, 2, "b")));
            assertThat(first.readExactly(10)).isEqualTo(WireFrames.text(2, 1, "a"));
            await().atMost(WAIT).until(() -> room.log().size() == 2);
            // The connection breaks: the client handled server message 1 only.
        }
        try (RawUpgradeClient second = RawUpgradeClient.connect(server.port())) {
            RawResponse head = second.send(upgrade("Relay-Resume: " + token + "; received=1\r\n")).readHead();
            assertThat(head.header("Relay-Resumed")).isEqualTo("yes; received=2");
            assertThat(head.header("Relay-Session")).as("the token stays").isEqualTo(token);
            assertThat(second.readExactly(10)).as("replay from n + 1 = 2").isEqualTo(WireFrames.text(2, 2, "b"));
            second.send(WireFrames.text(2, 3, "c"));
            assertThat(second.readExactly(10)).isEqualTo(WireFrames.text(2, 3, "c"));
            assertThat(second.readExactly(9)).as("ACKs go on from m").isEqualTo(WireFrames.ack(3));
        }
        assertThat(room.log()).containsExactly("a", "b", "c");
    }

    // Cuts, both directions: nothing lost, nothing doubled, ids continue.

    @Test
    void resume_aCutMidStreamLosesAndDoublesNothingInEitherDirection() throws Exception {
        ResumableRoom room = new ResumableRoom();
        TestServer server = start(room);
        TcpProxy proxy = closer.add(TcpProxy.start(server.port()));
        exchangeWithCuts(room, proxy, () -> { });
    }

    @Test
    void resume_onASecondServerSharingTheStore() throws Exception {
        ResumableRoom room = new ResumableRoom();
        TestServer a = start(room);
        TestServer b = start(room);
        TcpProxy proxy = closer.add(TcpProxy.start(a.port()));
        // Each cut sends the client to the other server, as a load balancer would after a failure.
        int[] turn = {0};
        exchangeWithCuts(room, proxy, () -> proxy.targets(++turn[0] % 2 == 1 ? b.port() : a.port()));
        assertThat(proxy.accepted()).as("the first connection and one per cut").isEqualTo(4);
    }

    /**
     * One client sends 1,500 messages, at most 50 ahead of what it has received, while the room
     * sends each back (the room sends every member every message): both directions always have
     * messages in flight. The client's own listener cuts the connection when it has handled the
     * 300th, 700th and 1,100th, {@code beforeCut} running before each cut.
     */
    private static void exchangeWithCuts(ResumableRoom room, TcpProxy proxy, Runnable beforeCut) throws Exception {
        int total = 1500;
        int window = 50;
        Set<Integer> cutAt = Set.of(300, 700, 1100);
        Semaphore credit = new Semaphore(window);
        Seen seen = new Seen() {
            @Override
            public void onText(RelaySession session, String text) {
                super.onText(session, text);
                credit.release();
                if (cutAt.contains(texts.size())) {
                    beforeCut.run();
                    proxy.cut();
                }
            }
        };
        try (RelayClient client = RelayClient.builder(proxy.uri("relay", "/chat")).versions(2).resume(FAST).connect(seen)) {
            String token = client.sessionToken();
            assertThat(token).isNotNull();
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                for (String message : numbered(1, total)) {
                    try {
                        if (!credit.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS))
                            throw new AssertionError("nothing came back for " + WAIT);
                    } catch (InterruptedException x) {
                        throw new AssertionError(x);
                    }
                    client.sendText(message);
                }
            });
            sender.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> seen.texts.size() >= total && seen.acknowledged == total);

            assertThat(room.log()).as("every message the client sent, once, in order").isEqualTo(numbered(1, total));
            assertThat(seen.texts).as("every message of the room, once, in order").isEqualTo(numbered(1, total));
            assertThat(seen.resumptions).as("each cut resumed").containsExactly("resumed", "resumed", "resumed");
            assertThat(client.sessionToken()).isEqualTo(token);
            assertThat(client.unacknowledged()).isZero();
            assertThat(client.received()).isEqualTo(total);
            assertThat(client.sent()).isEqualTo(total);
        }
        assertThat(seen.awaitClose()).startsWith("1000");
    }

    @Test
    void resume_goingAway1001ResumesOnTheOtherServer() throws Exception {
        ResumableRoom room = new ResumableRoom();
        TestServer a = start(room);
        TestServer b = start(room);
        TcpProxy proxy = closer.add(TcpProxy.start(a.port(), b.port()));
        Seen seen = new Seen();
        try (RelayClient client = RelayClient.builder(proxy.uri("relay", "/chat")).resume(FAST).connect(seen)) {
            for (String message : numbered(1, 10))
                client.sendText(message);
            await().atMost(WAIT).until(() -> seen.texts.size() == 10);
            a.close();  // graceful: CLOSE 1001, then A refuses connections and the proxy goes on to B
            await().atMost(WAIT).until(() -> seen.resumptions.size() == 1);
            for (String message : numbered(11, 20))
                client.sendText(message);
            await().atMost(WAIT).until(() -> seen.texts.size() == 20 && seen.acknowledged == 20);
            assertThat(seen.resumptions).containsExactly("resumed");
            assertThat(seen.texts).isEqualTo(numbered(1, 20));
            assertThat(room.log()).isEqualTo(numbered(1, 20));
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void resume_anExpiredSessionIsNotResumedAndTheClientSaysSo() throws Exception {
        ResumableRoom room = new ResumableRoom();
        TestServer server = start(room);
        TcpProxy proxy = closer.add(TcpProxy.start(server.port()));
        Seen seen = new Seen();
        try (RelayClient client = RelayClient.builder(proxy.uri("relay", "/chat")).resume(FAST).connect(seen)) {
            String token = client.sessionToken();
            client.sendText("before");
            await().atMost(WAIT).until(() -> seen.acknowledged == 1);
            room.expire(token);
            proxy.cut();
            await().atMost(WAIT).until(() -> seen.resumptions.size() == 1);
            assertThat(seen.resumptions).containsExactly("not resumed: session expired");
            assertThat(client.resumed()).isFalse();
            assertThat(client.sessionToken()).as("a fresh session, a new token").isNotEqualTo(token);
            client.sendText("after");
            await().atMost(WAIT).until(() -> seen.texts.contains("after"));
            assertThat(client.sent()).as("ids from 1 again").isEqualTo(1);
            assertThat(room.log()).containsExactly("before", "after");
        }
    }

    // ACK timing: deferred acknowledgement.

    @Test
    void resume_deferredAcknowledgeSendsNoAckBeforeAcknowledgeAndNeverBeyondReceived() throws Exception {
        CompletableFuture<RelaySession> session = new CompletableFuture<>();
        List<Long> countsInOnText = new CopyOnWriteArrayList<>();
        RelayListener holding = new RelayListener() {
            @Override
            public void onOpen(RelaySession opened) {
                session.complete(opened);
            }

            @Override
            public void onText(RelaySession from, String text) {
                countsInOnText.add(from.received());
            }
        };
        TestServer server = start(holding, DEFERRED, null);
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(upgrade("")).readHead().status()).isEqualTo(101);
            client.send(WireFrames.concat(WireFrames.text(2, 1, "one"), WireFrames.text(2, 2, "two")));
            await().atMost(WAIT).until(() -> countsInOnText.size() == 2);
            assertThat(countsInOnText).as("received() is the count of the message in onText").containsExactly(1L, 2L);
            client.send(WireFrames.control(RelayFrames.PING, new byte[] {5}));
            assertThat(client.readExactly(6)).as("no ACK came before the PONG").isEqualTo(WireFrames.control(RelayFrames.PONG, new byte[] {5}));

            RelaySession relay = session.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThatThrownBy(() -> relay.acknowledge(3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 received");
            relay.acknowledge(1);
            assertThat(client.readExactly(9)).isEqualTo(WireFrames.ack(1));
            assertThatThrownBy(() -> relay.acknowledge(0)).as("backwards").isInstanceOf(IllegalArgumentException.class);
            relay.acknowledge(1);  // the same count again: nothing
            relay.acknowledge(2);
            assertThat(client.readExactly(9)).as("the next frame is ACK 2, no repeat of ACK 1").isEqualTo(WireFrames.ack(2));
        }
        TestServer immediate = start(new RelayServerTest.Echo(), RelayConfig.DEFAULT, null);
        RecordingListener seen = new RecordingListener();
        try (RelayClient client = RelayClient.connect(URI.create("relay://127.0.0.1:" + immediate.port() + "/chat"), seen)) {
            assertThatThrownBy(() -> client.acknowledge(1)).isInstanceOf(IllegalStateException.class);
        }
    }

    // A store that does not answer.

    @Test
    void resume_aStoreThatDoesNotAnswerInTimeOrFailsIs503WithRetryAfter() throws Exception {
        RelayConfig quick = DEFERRED.withResumeTimeout(Duration.ofMillis(200));
        TestServer silent = start(new ResumableRoom(), quick, (token, received) -> new CompletableFuture<>());
        TestServer failing = start(new ResumableRoom(), quick,
            (token, received) -> CompletableFuture.failedFuture(new IllegalStateException("store down")));
        for (TestServer server : List.of(silent, failing)) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                RawResponse response = client.send(upgrade("Relay-Resume: AAAAAAAAAAAAAAAAAAAAAA; received=1\r\n")).readResponse();
                assertThat(response.status()).isEqualTo(503);
                assertThat(response.header("Retry-After")).isEqualTo("1");
                assertThat(response.body()).contains("session store").doesNotContain("store down");
            }
        }
    }

    // Over HTTP/2.

    @Test
    void resume_overExtendedConnectTheSameFieldsInLowerCase() throws Exception {
        ResumableRoom room = new ResumableRoom();
        TestServer server = closer.add(TestServer.startWithExtendedConnect(Switchboard.builder()
            .handler(new RelayProtocolHandler(room, DEFERRED, room))
            .route("/chat", UpgradePolicy.required("relay"))
            .build(), new RequestSummaryHandler()));
        String token;
        try (ExtendedConnect first = ExtendedConnect.open(server.port(), "/chat", "relay/2")) {
            assertThat(first.status()).isEqualTo(200);
            token = first.headers().get("relay-session");
            assertThat(token).matches("[A-Za-z0-9_-]{22}");
            first.send(WireFrames.text(2, 1, "h2")).get(ExtendedConnect.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(first.read(11)).isEqualTo(WireFrames.text(2, 1, "h2"));
            assertThat(first.read(9)).isEqualTo(WireFrames.ack(1));
        }
        HttpFields resume = HttpFields.build().put("relay-resume", token + "; received=0");
        try (ExtendedConnect second = ExtendedConnect.open(server.port(), "/chat", "relay/2", resume, null, 0)) {
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.headers().get("relay-resumed")).isEqualTo("yes; received=1");
            assertThat(second.read(11)).as("replayed: the client said it had handled none").isEqualTo(WireFrames.text(2, 1, "h2"));
        }
        HttpFields malformed = HttpFields.build().put("relay-resume", "nonsense");
        try (ExtendedConnect third = ExtendedConnect.open(server.port(), "/chat", "relay/2", malformed, null, 0)) {
            assertThat(third.status()).isEqualTo(400);
        }
    }
}
