package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.relay.RelayClient;
import org.switchboard.testing.RedisServer;

/**
 * The failure behaviour of the sample behind nginx, with the real parts: one {@code redis-server},
 * two instances of the sample in JVMs of their own on it ({@code --redis}), and nginx running
 * {@code examples/deploy/nginx-cluster.conf} in front of them; relay/2 clients that resume
 * ({@code RelayClient.builder(…).resume(…)}) connect through nginx. An instance killed with SIGKILL
 * mid-stream, or stopped gracefully: its clients reconnect through nginx to the other and resume,
 * and every client ends with every message exactly once, in one order. Every wait is bounded
 * generously and nothing depends on how fast the machine is. (Redis itself stopping is
 * {@code RoomOnRedisTest}'s.)
 */
class ClusterFailoverTest {

    private static final int CLIENTS = 10;
    private static final int MESSAGES_PER_CLIENT = 100;   // 1,000 in all
    private static final Duration BOUND = Duration.ofSeconds(120);

    @TempDir
    Path workDir;

    private RedisServer redis;
    private SampleJvm a;
    private SampleJvm b;
    private ReverseProxy nginx;
    private final List<RelayClient> clients = new ArrayList<>();
    private final List<RelayInbox> inboxes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startCluster() throws Exception {
        redis = RedisServer.start();
        a = SampleJvm.start(workDir, "a", "--redis", redis.uri(), "--max-connections-per-address", "0");
        b = SampleJvm.start(workDir, "b", "--redis", redis.uri(), "--max-connections-per-address", "0");
        nginx = ReverseProxy.nginxCluster(a.port(), b.port(), workDir);
        // A room with a past, as a live one has: a session joins at the last message its instance
        // heard, so it can be resumed from its start (in an empty room, only once its first ACK is recorded).
        List<RelayInbox> witnesses = List.of(new RelayInbox(), new RelayInbox());
        try (RelayClient onA = RelayClient.connect(a.base().resolve("/relay"), witnesses.get(0), 2);
             RelayClient onB = RelayClient.connect(b.base().resolve("/relay"), witnesses.get(1), 2)) {
            post(a, "zz: the beginning");
            for (RelayInbox witness : witnesses)
                assertThat(witness.next()).isEqualTo("zz: the beginning");
        }
        for (int i = 0; i < CLIENTS; i++) {
            RelayInbox inbox = new RelayInbox();
            inboxes.add(inbox);
            clients.add(RelayClient.builder(URI.create("relay://127.0.0.1:" + nginx.port() + "/relay"))
                .resume(RelayClient.Reconnect.DEFAULT)
                .connect(inbox));
        }
        // least_conn: half of them on each instance (once the witnesses' connections are gone).
        await(() -> open(a) == CLIENTS / 2 && open(b) == CLIENTS / 2, "half of the clients on each instance");
    }

    @AfterEach
    void stopCluster() throws Exception {
        for (RelayClient client : clients)
            client.close();
        if (nginx != null)
            nginx.close();
        if (b != null)
            b.close();
        if (a != null)
            a.close();
        if (redis != null)
            redis.close();
    }

    @Test
    void sigkillMidStream_everyRelay2ClientResumesThroughNginxWithEveryMessageOnceInOrder() throws Exception {
        Thread sender = startSending();
        // Mid-stream: the room is flowing, most of the 1,000 still to come.
        await(() -> inboxes.get(0).heard() >= 200, "the first 200 messages heard");
        a.kill();
        sender.join(BOUND.toMillis());

        assertEveryMessageOnceInOneOrder();
        // The clients that were on A came back through nginx to B, their sessions resumed.
        assertThat(inboxes).filteredOn(inbox -> !inbox.reconnections().isEmpty()).hasSize(CLIENTS / 2)
            .allSatisfy(inbox -> assertThat(inbox.reconnections()).containsOnly("resumed"));
        await(() -> open(b) == CLIENTS, "every client on B");
    }

    @Test
    void gracefulStop_itsRelayClientsGetClose1001AndResumeOnTheOther() throws Exception {
        // A witness that does not resume, connected to A directly: it sees the goodbye itself.
        RelayInbox witness = new RelayInbox();
        RelayClient direct = RelayClient.connect(a.base().resolve("/relay"), witness, 2);
        Thread sender = startSending();
        await(() -> inboxes.get(0).heard() >= 200, "the first 200 messages heard");
        a.close();
        sender.join(BOUND.toMillis());

        assertThat(witness.closed()).succeedsWithin(BOUND).asString().startsWith("1001");
        assertEveryMessageOnceInOneOrder();
        assertThat(inboxes).filteredOn(inbox -> !inbox.reconnections().isEmpty()).hasSize(CLIENTS / 2)
            .allSatisfy(inbox -> assertThat(inbox.reconnections()).containsOnly("resumed"));
        direct.close();
    }

    /** Each client sends its messages ("cI: J", J in order), all clients interleaved, from one thread. */
    private Thread startSending() {
        Thread sender = new Thread(() -> {
            for (int j = 0; j < MESSAGES_PER_CLIENT; j++)
                for (int i = 0; i < CLIENTS; i++)
                    clients.get(i).sendText("c" + i + ": " + j);
        }, "sender");
        sender.start();
        return sender;
    }

    /**
     * Once every client's messages are acknowledged (each is in the room), a last message posted on B
     * closes the stream: everything before it, for every client, is exactly the 1,000 messages, each
     * once, every sender's in the order sent, and the same order for all.
     */
    private void assertEveryMessageOnceInOneOrder() throws Exception {
        await(() -> clients.stream().allMatch(client -> client.unacknowledged() == 0), "every message acknowledged");
        post(b, "zz: the end");

        List<String> first = null;
        for (RelayInbox inbox : inboxes) {
            List<String> heard = inbox.until("zz: the end");
            assertThat(heard).hasSize(CLIENTS * MESSAGES_PER_CLIENT).doesNotHaveDuplicates();
            Map<String, Integer> next = new LinkedHashMap<>();
            for (String line : heard) {
                String sender = line.substring(0, line.indexOf(':'));
                int j = Integer.parseInt(line.substring(line.indexOf(' ') + 1));
                assertThat(j).as("%s's next message", sender).isEqualTo(next.getOrDefault(sender, 0));
                next.put(sender, j + 1);
            }
            if (first == null)
                first = heard;
            else
                assertThat(heard).as("one order for every member").isEqualTo(first);
        }
    }

    private static int open(SampleJvm instance) {
        try {
            return instance.open("relay");
        } catch (Exception x) {
            return -1;
        }
    }

    private void post(SampleJvm instance, String line) throws Exception {
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(instance.base().resolve("/messages"))
            .POST(HttpRequest.BodyPublishers.ofString(line)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + BOUND).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
