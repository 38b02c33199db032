package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.switchboard.internal.AllowedHostsHandler;
import org.switchboard.internal.HeadDeadline;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.TestServer;

/** Issue 13, items 2 (slowloris, connection caps, backlog), 9 (retained buffer memory) and 10 (allowed hosts). */
class ServerLimitsTest {

    private static final Duration HEAD_TIMEOUT = Duration.ofMillis(300);

    private static Switchboard switchboard(ServerLimits limits) {
        return Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).serverLimits(limits).build();
    }

    private static String get(String host) {
        return "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    }

    /** Sends {@code prefix}, then one byte every 100 ms until stopped or the server closes. */
    private static Thread trickle(RawUpgradeClient client, String prefix, AtomicBoolean stop) throws IOException {
        client.send(prefix);
        Thread thread = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Thread.sleep(100);
                    client.send("a");
                }
            } catch (IOException | InterruptedException closed) {
                // the server closed the connection, as it should
            }
        }, "slowloris");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits up to 5 s for {@code condition}. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean())
                return true;
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** Whether the server ends the connection (end of stream, or reset) within 5 s, sending nothing first. */
    private static boolean endedByServer(RawUpgradeClient client) throws IOException {
        return client.closedWithin(Duration.ofSeconds(5));
    }

    private static ServerConnector connector(TestServer server) {
        return (ServerConnector) server.server().getConnectors()[0];
    }

    @Test
    void issue13_item2_slowlorisHeadGets408AndTheConnectionCloses() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (TestServer server = TestServer.start(switchboard(ServerLimits.DEFAULT.withRequestHeadTimeout(HEAD_TIMEOUT)));
             RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            // Every byte restarts the 30 s idle timeout; only a deadline on the whole head ends this.
            trickle(client, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", stop);

            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.body()).contains("request head not received within 300 ms");
            assertThat(endedByServer(client)).as("end of stream after the 408").isTrue();
            assertThat(eventually(() -> connector(server).getConnectedEndPoints().isEmpty()))
                .as("the server closed its end too").isTrue();
        } finally {
            stop.set(true);
        }
    }

    @Test
    void issue13_item2_aHeadBegunBetweenTwoSweepsStillGetsTheWholeDeadlineFromItsFirstByte() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (TestServer server = TestServer.start(switchboard(ServerLimits.DEFAULT.withRequestHeadTimeout(HEAD_TIMEOUT)));
             RawUpgradeClient idle = RawUpgradeClient.connect(server.port())) {
            // One sweep samples every connection; the idle one started it, so it is not aligned with the next.
            assertThat(eventually(() -> connector(server).getConnectedEndPoints().size() == 1)).isTrue();
            Thread.sleep(HEAD_TIMEOUT.toMillis() * 2 / 3);
            try (RawUpgradeClient slow = RawUpgradeClient.connect(server.port())) {
                long firstByte = System.nanoTime();
                trickle(slow, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", stop);

                RawResponse response = slow.readResponse();

                assertThat(response.status()).isEqualTo(408);
                assertThat(Duration.ofNanos(System.nanoTime() - firstByte)).as("at least the deadline from the head's first byte")
                    .isGreaterThanOrEqualTo(HEAD_TIMEOUT);
            }
            // The idle keep-alive connection sent nothing: it is the idle timeout's, not the deadline's.
            assertThat(idle.quietFor(Duration.ofMillis(100))).isTrue();
        } finally {
            stop.set(true);
        }
    }

    @Test
    void issue13_item2_theSweepThatStoppedWithTheLastConnectionStartsAgainWithTheNext() throws Exception {
        try (TestServer server = TestServer.start(switchboard(ServerLimits.DEFAULT.withRequestHeadTimeout(HEAD_TIMEOUT)))) {
            for (int round = 1; round <= 2; round++) {
                AtomicBoolean stop = new AtomicBoolean();
                try (RawUpgradeClient slow = RawUpgradeClient.connect(server.port())) {
                    trickle(slow, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", stop);
                    assertThat(slow.readResponse().status()).as("round %d", round).isEqualTo(408);
                } finally {
                    stop.set(true);
                }
                assertThat(eventually(() -> connector(server).getConnectedEndPoints().isEmpty())).isTrue();
                // Longer than a deadline with no connection open: the sweep finds none and stops.
                Thread.sleep(HEAD_TIMEOUT.toMillis() * 2);
            }
        }
    }

    @Test
    void issue13_item2_theDeadlineAlsoCoversTheBodyOfAnUpgradeRequest() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (TestServer server = TestServer.start(switchboard(ServerLimits.DEFAULT.withRequestHeadTimeout(HEAD_TIMEOUT)));
             RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            trickle(client, "POST / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\nContent-Length: 1000\r\n\r\n", stop);

            RawResponse head = client.readHead();

            assertThat(head.status()).isEqualTo(408);
            assertThat(eventually(() -> connector(server).getConnectedEndPoints().isEmpty())).isTrue();
        } finally {
            stop.set(true);
        }
    }

    @Test
    void issue13_item2_promptRequestsAndIdleKeepAliveConnectionsAreLeftAlone() throws Exception {
        try (TestServer server = TestServer.start(switchboard(ServerLimits.DEFAULT.withRequestHeadTimeout(HEAD_TIMEOUT)));
             RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(get("x")).readResponse().status()).isEqualTo(200);
            // Idle between requests for longer than the head deadline: that is the idle timeout's business.
            assertThat(client.quietFor(Duration.ofMillis(600))).isTrue();
            assertThat(client.send(get("x")).readResponse().status()).isEqualTo(200);
            // An upgrade whose head came in time switches, and the new protocol is not timed.
            client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(client.readText("echo body=0\n".length())).isEqualTo("echo body=0\n");
            assertThat(client.quietFor(Duration.ofMillis(600))).isTrue();
            client.send("still here\n");
            assertThat(client.readText("still here\n".length())).isEqualTo("still here\n");
        }
    }

    @Test
    void issue13_item2_aRequestBeingHandledIsNotTimedHoweverSlowItsBody() throws Exception {
        try (TestServer server = TestServer.start(switchboard(ServerLimits.DEFAULT.withRequestHeadTimeout(HEAD_TIMEOUT)));
             RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            // The head is prompt; the body, which the application reads, takes over three deadlines.
            client.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n");
            for (int i = 0; i < 12; i++) {
                Thread.sleep(100);
                client.send("b");
            }
            assertThat(client.readResponse().status()).isEqualTo(200);
            assertThat(client.send(get("x")).readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void issue13_item2_perAddressLimitClosesTheNPlusFirstConnectionFromOneAddress() throws Exception {
        try (TestServer server = TestServer.start(switchboard(ServerLimits.DEFAULT.withMaxConnectionsPerAddress(2)));
             RawUpgradeClient first = RawUpgradeClient.connect(server.port());
             RawUpgradeClient second = RawUpgradeClient.connect(server.port())) {
            assertThat(first.send(get("x")).readResponse().status()).isEqualTo(200);
            assertThat(second.send(get("x")).readResponse().status()).isEqualTo(200);

            try (RawUpgradeClient third = RawUpgradeClient.connect(server.port())) {
                assertThat(endedByServer(third)).as("the third connection from 127.0.0.1 is closed").isTrue();
            }
            // The first two still work, and once one closes there is room again.
            assertThat(first.send(get("x")).readResponse().status()).isEqualTo(200);
            second.close();
            assertThat(eventually(() -> {
                try (RawUpgradeClient again = RawUpgradeClient.connect(server.port())) {
                    return again.send(get("x")).readResponse().status() == 200;
                } catch (IOException closed) {
                    return false;
                }
            })).isTrue();
        }
    }

    @Test
    void issue13_item2_overallLimitStopsAcceptingUntilAConnectionCloses() throws Exception {
        try (TestServer server = TestServer.start(switchboard(ServerLimits.DEFAULT.withMaxConnections(2)));
             RawUpgradeClient first = RawUpgradeClient.connect(server.port());
             RawUpgradeClient second = RawUpgradeClient.connect(server.port())) {
            assertThat(first.send(get("x")).readResponse().status()).isEqualTo(200);
            assertThat(second.send(get("x")).readResponse().status()).isEqualTo(200);
            assertThat(eventually(() -> !connector(server).isAccepting())).as("the connector stops accepting").isTrue();

            try (RawUpgradeClient third = RawUpgradeClient.connect(server.port())) {   // completed by the kernel, waits in the backlog
                third.send(get("x"));
                assertThat(third.quietFor(Duration.ofMillis(300))).isTrue();
                first.close();
                assertThat(third.readResponse().status()).as("served once a connection closed").isEqualTo(200);
            }
        }
    }

    @Test
    void issue13_item2_listenBacklogIsSetOnEveryConnectorThatSetsNone() {
        Server made = Switchboard.builder().build().newServer("127.0.0.1", 0, new ContextHandler());
        assertThat(((ServerConnector) made.getConnectors()[0]).getAcceptQueueSize()).isEqualTo(1024);

        Server own = new Server();
        ServerConnector unset = new ServerConnector(own, new HttpConnectionFactory());
        ServerConnector set = new ServerConnector(own, new HttpConnectionFactory());
        set.setAcceptQueueSize(5);
        own.addConnector(unset);
        own.addConnector(set);
        own.setHandler(new ContextHandler());
        Switchboard.builder().serverLimits(ServerLimits.DEFAULT.withAcceptQueueSize(4096)).build().install(own);

        assertThat(unset.getAcceptQueueSize()).isEqualTo(4096);
        assertThat(set.getAcceptQueueSize()).isEqualTo(5);
    }

    @Test
    void issue13_item2_installPutsTheHeadDeadlineOnEveryHttp11ConnectorTlsIncluded() {
        Server server = new Server();
        ServerConnector cleartext = new ServerConnector(server, new HttpConnectionFactory());
        ServerConnector tls = new ServerConnector(server, new SslConnectionFactory(new SslContextFactory.Server(), "http/1.1"), new HttpConnectionFactory());
        server.addConnector(cleartext);
        server.addConnector(tls);
        server.setHandler(new ContextHandler());

        Switchboard.builder().serverLimits(ServerLimits.DEFAULT.withRequestHeadTimeout(Duration.ofSeconds(7))).build().install(server);

        for (ServerConnector connector : List.of(cleartext, tls)) {
            HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
            assertThat(http.getEventListeners()).filteredOn(HeadDeadline.class::isInstance).hasSize(1);
            HeadDeadline deadline = (HeadDeadline) http.getEventListeners().stream().filter(HeadDeadline.class::isInstance).findFirst().orElseThrow();
            assertThat(deadline.getRequestHeadTimeout()).isEqualTo(7_000);
        }
        assertThat(cleartext.getDefaultProtocol()).isEqualTo("HTTP/1.1");
        assertThat(tls.getDefaultProtocol()).isEqualTo("SSL");
    }

    @Test
    void issue13_item9_newServerBufferPoolRetainsNoMoreThanItsBounds() {
        long bound = 1 << 20;
        Server server = Switchboard.builder()
            .serverLimits(ServerLimits.DEFAULT.withMaxRetainedDirectBytes(bound).withMaxRetainedHeapBytes(bound))
            .build().newServer("127.0.0.1", 0, new ContextHandler());

        assertThat(server.getByteBufferPool()).isInstanceOf(ArrayByteBufferPool.class);
        ArrayByteBufferPool pool = (ArrayByteBufferPool) server.getByteBufferPool();
        // A flood: many buffers in use at once (16 MiB of each kind), then all released.
        List<RetainableByteBuffer> inUse = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            inUse.add(pool.acquire(64 * 1024, true));
            inUse.add(pool.acquire(64 * 1024, false));
        }
        inUse.forEach(RetainableByteBuffer::release);

        assertThat(pool.getDirectMemory()).isPositive().isLessThanOrEqualTo(bound);
        assertThat(pool.getHeapMemory()).isPositive().isLessThanOrEqualTo(bound);
    }

    @Test
    void issue13_item10_requestsForHostsNotAllowedGet421BeforeTheDispatcher() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .allowedHosts(List.of("127.0.0.1", "localhost"))
            .build();
        Server server = switchboard.newServer("127.0.0.1", 0, new RequestSummaryHandler());
        assertThat(server.getHandler()).isInstanceOf(AllowedHostsHandler.class);
        server.start();
        try {
            int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
                // DNS rebinding: the attacker's name in Host and Origin alike.
                RawResponse response = client.send("GET / HTTP/1.1\r\nHost: evil.example:" + port
                    + "\r\nOrigin: http://evil.example:" + port + "\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n").readResponse();
                assertThat(response.status()).isEqualTo(421);
                assertThat(response.body()).isEqualTo("this server does not serve the host 'evil.example'\n");
            }
            try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
                assertThat(client.send(get("127.0.0.1:" + port)).readResponse().status()).isEqualTo(200);
                client.send("GET / HTTP/1.1\r\nHost: LOCALHOST:" + port + "\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
                assertThat(client.readHead().status()).isEqualTo(101);
            }
        } finally {
            server.stop();
        }
    }
}
