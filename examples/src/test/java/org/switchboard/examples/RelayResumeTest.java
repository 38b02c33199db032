package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;
import org.switchboard.testing.Closer;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RedisServer;
import org.switchboard.testing.TcpProxy;

/**
 * The sample's {@code /relay} members resume over the room (custom-protocol-module's PROTOCOL.md
 * section 8): real sample servers, a real redis-server for two instances, {@link RelayClient} with
 * resume behind a {@link TcpProxy} that cuts its connection mid-stream. A second relay member,
 * never cut, hears the room as it is; the resuming one must hear exactly that — every message once,
 * in order — and each of its own messages must be in the room once.
 */
class RelayResumeTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final RelayClient.Reconnect FAST = new RelayClient.Reconnect(40, Duration.ofMillis(20), Duration.ofMillis(500), 4 << 20);
    private static final AtomicInteger ROOMS = new AtomicInteger();

    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    private Server sample(RoomOptions room) throws Exception {
        Server server = SampleServer.start("127.0.0.1", 0, room);
        closer.add(() -> {
            if (!server.isStopped())
                server.stop();
        });
        return server;
    }

    /** A room of its own on {@code redis}, so that no test hears another's messages. */
    private static RoomOptions newRoomOn(RedisServer redis) {
        return RoomOptions.DEFAULT.onRedis(redis.uri()).named("resume" + ROOMS.incrementAndGet());
    }

    private static int port(Server server) {
        return ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    private static URI relay(int port) {
        return URI.create("relay://127.0.0.1:" + port + "/relay");
    }

    /** What a member heard, in order, and how its reconnections went. */
    static class Heard implements RelayListener {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> resumptions = new CopyOnWriteArrayList<>();
        volatile long acknowledged;

        @Override
        public void onText(RelaySession session, String text) {
            lines.add(text);
        }

        @Override
        public void onAcknowledged(RelaySession session, long acknowledged) {
            this.acknowledged = acknowledged;
        }

        @Override
        public void onResumed(RelaySession session, boolean resumed, String reason) {
            resumptions.add(resumed ? "resumed" : "not resumed: " + reason);
        }
    }

    private static List<String> lines(String sender, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> sender + ": " + i).toList();
    }

    @Test
    void relay2MembersResumeAfterACutInTheInMemoryRoom() throws Exception {
        Server server = sample(RoomOptions.DEFAULT);
        TcpProxy proxy = closer.add(TcpProxy.start(port(server)));
        exchange(proxy, relay(port(server)), cutAt -> proxy.cut(), Map.of(150, "cut", 350, "cut"));
    }

    @Test
    void aRelay2MemberCutFromInstanceAResumesOnInstanceBThroughRedis() throws Exception {
        RoomOptions room = newRoomOn(closer.add(RedisServer.start()));
        Server a = sample(room);
        Server b = sample(room);
        TcpProxy proxy = closer.add(TcpProxy.start(port(a), port(b)));
        exchange(proxy, relay(port(b)), cutAt -> {
            switch (cutAt) {
                case 150 -> {
                    proxy.targets(port(b), port(a));  // A to B
                    proxy.cut();
                }
                case 350 -> {
                    proxy.targets(port(a), port(b));  // B to A
                    proxy.cut();
                }
                default -> CompletableFuture.runAsync(() -> {
                    try {
                        a.stop();  // graceful: CLOSE 1001, and A refuses: the proxy goes on to B
                    } catch (Exception x) {
                        throw new IllegalStateException(x);
                    }
                });
            }
        }, Map.of(150, "cut to B", 350, "cut to A", 500, "A stops"));
        assertThat(proxy.accepted()).as("the first connection, two cuts, A's stop").isEqualTo(4);
    }

    /**
     * alice (resuming, through {@code proxy}) sends 600 lines, at most 50 ahead of what she hears;
     * bob (on {@code direct}, never cut) sends 200 meanwhile. {@code event} runs on alice's reading
     * thread when she has heard the line counts in {@code events}.
     */
    private static void exchange(TcpProxy proxy, URI direct, IntConsumer event, Map<Integer, String> events) throws Exception {
        int aliceSends = 600;
        int bobSends = 200;
        Semaphore credit = new Semaphore(50);
        Heard bobHeard = new Heard();
        Heard aliceHeard = new Heard() {
            @Override
            public void onText(RelaySession session, String text) {
                super.onText(session, text);
                credit.release();
                if (events.containsKey(lines.size()))
                    event.accept(lines.size());
            }
        };
        try (RelayClient bob = RelayClient.connect(direct, bobHeard, 2);
             RelayClient alice = RelayClient.builder(proxy.uri("relay", "/relay")).versions(2).resume(FAST).connect(aliceHeard)) {
            assertThat(alice.sessionToken()).isNotNull();
            CompletableFuture<Void> aliceSending = CompletableFuture.runAsync(() -> {
                for (String line : lines("alice", aliceSends)) {
                    try {
                        if (!credit.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS))
                            throw new AssertionError("alice heard nothing for " + WAIT);
                    } catch (InterruptedException x) {
                        throw new AssertionError(x);
                    }
                    alice.sendText(line);
                }
            });
            for (String line : lines("bob", bobSends))
                bob.sendText(line);
            int total = aliceSends + bobSends;
            try {
                aliceSending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException x) {
                throw new AssertionError("alice still sending: she heard " + aliceHeard.lines.size() + ", bob " + bobHeard.lines.size()
                    + " of " + total + "; alice acknowledged " + aliceHeard.acknowledged + ", resumptions " + aliceHeard.resumptions
                    + ", alice open " + alice.isOpen() + " closed " + alice.closed().getNow(null), x);
            }
            try {
                await().atMost(WAIT).until(() -> aliceHeard.lines.size() >= total && bobHeard.lines.size() >= total
                    && aliceHeard.acknowledged == aliceSends);
            } catch (org.awaitility.core.ConditionTimeoutException x) {
                throw new AssertionError("alice heard " + aliceHeard.lines.size() + ", bob " + bobHeard.lines.size() + " of " + total
                    + "; alice acknowledged " + aliceHeard.acknowledged + " of " + aliceSends + ", resumptions " + aliceHeard.resumptions
                    + ", alice open " + alice.isOpen() + " closed " + alice.closed().getNow(null), x);
            }

            assertThat(aliceHeard.lines).as("alice heard the room as bob did: every line once, in order").isEqualTo(bobHeard.lines);
            assertThat(bobHeard.lines.stream().filter(line -> line.startsWith("alice: ")).toList())
                .as("each of alice's lines in the room once, in her order").isEqualTo(lines("alice", aliceSends));
            assertThat(bobHeard.lines.stream().filter(line -> line.startsWith("bob: ")).toList()).isEqualTo(lines("bob", bobSends));
            assertThat(aliceHeard.resumptions).as("every break resumed").hasSize(events.size()).containsOnly("resumed");
            assertThat(alice.unacknowledged()).isZero();
        }
    }

    @Test
    void aSessionCutBeforeItHeardAnythingInAnEmptyRoomResumesWithWhatWasSaidMeanwhile() throws Exception {
        Server server = sample(RoomOptions.DEFAULT);
        TcpProxy proxy = closer.add(TcpProxy.start(port(server)));
        cutBeforeAnythingIsHeard(proxy, relay(port(server)), () -> { });
    }

    @Test
    void aSessionCutBeforeItHeardAnythingInAnEmptyRedisRoomResumesOnTheOtherInstance() throws Exception {
        RoomOptions room = newRoomOn(closer.add(RedisServer.start()));
        Server a = sample(room);
        Server b = sample(room);
        TcpProxy proxy = closer.add(TcpProxy.start(port(a)));
        cutBeforeAnythingIsHeard(proxy, relay(port(b)), () -> proxy.targets(port(b)));
    }

    /**
     * alice joins an empty room through {@code proxy} and is cut off before anyone speaks; bob, on
     * {@code direct}, speaks while she is away; she comes back (where {@code moved} sent the proxy) and
     * hears what he said, resumed — the position her session started at is the room's start.
     */
    private static void cutBeforeAnythingIsHeard(TcpProxy proxy, URI direct, Runnable moved) throws Exception {
        Heard aliceHeard = new Heard();
        Heard bobHeard = new Heard();
        try (RelayClient alice = RelayClient.builder(proxy.uri("relay", "/relay")).versions(2).resume(FAST).connect(aliceHeard);
             RelayClient bob = RelayClient.connect(direct, bobHeard, 2)) {
            assertThat(alice.sessionToken()).isNotNull();
            proxy.refuse();
            for (String line : lines("bob", 3))
                bob.sendText(line);
            await().atMost(WAIT).until(() -> bobHeard.lines.size() == 3);
            moved.run();
            proxy.restore();
            await().atMost(WAIT).until(() -> aliceHeard.lines.size() >= 3 && !aliceHeard.resumptions.isEmpty());
            assertThat(aliceHeard.resumptions).containsExactly("resumed");
            assertThat(aliceHeard.lines).isEqualTo(lines("bob", 3));
        }
    }

    @Test
    void aPositionTrimmedFromTheRoomsHistoryIsExplicitlyNotResumed() throws Exception {
        Server server = sample(RoomOptions.DEFAULT.withHistory(5));
        TcpProxy proxy = closer.add(TcpProxy.start(port(server)));
        notResumedAfter(proxy, relay(port(server)), bob -> {
            for (String line : lines("bob", 20))
                bob.sendText(line);
        });
    }

    @Test
    void afterRedisLostItsDataAResumingSessionIsExplicitlyNotResumed() throws Exception {
        RedisServer redis = closer.add(RedisServer.start());
        Server server = sample(newRoomOn(redis));
        TcpProxy proxy = closer.add(TcpProxy.start(port(server)));
        notResumedAfter(proxy, relay(port(server)), bob -> {
            try {
                redis.stop();
                redis.restart();
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        });
    }

    /**
     * alice, resumable through {@code proxy}, hears bob's first line; while she is cut off
     * {@code meanwhile} runs; when she comes back the room says, in so many words, that it could not
     * resume her session, and she goes on in a fresh one.
     */
    private static void notResumedAfter(TcpProxy proxy, URI direct, java.util.function.Consumer<RelayClient> meanwhile) throws Exception {
        Heard aliceHeard = new Heard();
        Heard bobHeard = new Heard();
        try (RelayClient alice = RelayClient.builder(proxy.uri("relay", "/relay")).versions(2).resume(FAST).connect(aliceHeard);
             RelayClient bob = RelayClient.connect(direct, bobHeard, 2)) {
            bob.sendText("bob: before");
            await().atMost(WAIT).until(() -> aliceHeard.lines.size() == 1);
            proxy.refuse();
            meanwhile.accept(bob);
            proxy.restore();
            await().atMost(WAIT).until(() -> !aliceHeard.resumptions.isEmpty());
            assertThat(aliceHeard.resumptions.get(0)).startsWith("not resumed: ");
            assertThat(alice.sessionToken()).isNotNull();
        }
    }

    @Test
    void aTokenTheRoomDoesNotKnowIsAnExplicitFreshSession() throws Exception {
        Server server = sample(RoomOptions.DEFAULT);
        try (RawUpgradeClient client = RawUpgradeClient.connect(port(server))) {
            RawResponse head = client.send("GET /relay HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: relay/2\r\n"
                + "Relay-Resume: AAAAAAAAAAAAAAAAAAAAAA; received=3\r\n\r\n").readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Relay-Resumed")).isEqualTo("no; reason=\"session unknown or expired\"");
            assertThat(head.header("Relay-Session")).isNotEqualTo("AAAAAAAAAAAAAAAAAAAAAA");
        }
    }
}
