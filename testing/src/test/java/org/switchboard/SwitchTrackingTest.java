package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.server.Request;
import org.junit.jupiter.api.Test;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.SwitchContext;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.UpgradedConnection;
import org.switchboard.spi.Verdict;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.SwitchResets;
import org.switchboard.testing.TestServer;

/**
 * Every switched connection is counted open once and closed once, and is on the goodbye list only
 * while it is open — also when the client resets it at any moment of the switch (SB6).
 */
class SwitchTrackingTest {

    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nbytes for echo";

    @Test
    void SB6_connectionsResetAtAnyPointOfTheSwitchLeaveTheOpenGaugeAndTheGoodbyeList() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build();
        try (TestServer server = TestServer.start(switchboard)) {
            SwitchResets.run(server.port(), UPGRADE, 500, 16, 12);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(switchboard.metrics().snapshot().open("echo")).isZero();
                assertThat(server.dispatcher().upgradedConnections()).isZero();
            });
            assertThat(switchboard.metrics().snapshot().count("echo", UpgradeMetrics.Outcome.UPGRADED)).isPositive();
            // A graceful stop finds nobody left to say goodbye to.
            assertThat(server.dispatcher().shutdown()).isCompleted();

            // And the server still switches the next client.
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                assertThat(client.send(UPGRADE).readHead().status()).isEqualTo(101);
            }
        }
    }

    @Test
    void SB6_aConnectionThatOpensIsCountedOnceAndLeavesWhenItCloses() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build();
        try (TestServer server = TestServer.start(switchboard)) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                assertThat(client.send(UPGRADE).readHead().status()).isEqualTo(101);
                await().atMost(10, TimeUnit.SECONDS).until(() -> switchboard.metrics().snapshot().open("echo") == 1);
                assertThat(server.dispatcher().upgradedConnections()).isEqualTo(1);
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> switchboard.metrics().snapshot().open("echo") == 0);
            assertThat(server.dispatcher().upgradedConnections()).isZero();
        }
    }

    /**
     * The close of a connection can reach Switchboard on another thread while Jetty is still opening
     * it: h2c's connection starts its I/O (SETTINGS, stream 1) before Switchboard's listener hears
     * {@code onOpen}, so a client's reset noticed by that I/O has Jetty's selector deliver
     * {@code onClose} concurrently. Here the connection closes its endpoint at the moment Switchboard
     * counts it open (the goodbye list hashes it then) and waits until Jetty's selector has delivered
     * the close: it must end up counted open zero times, not once forever.
     */
    @Test
    void SB6_aConnectionClosedOnAnotherThreadWhileItIsBeingCountedOpenIsNotLeftCountedOpen() throws Exception {
        CompletableFuture<ClosedWhileCounted> switched = new CompletableFuture<>();
        ProtocolHandler handler = new ProtocolHandler() {
            @Override
            public String protocol() {
                return "racing";
            }

            @Override
            public Verdict negotiate(UpgradeOffer offer, Request request) {
                return Verdict.accept("racing", context -> {
                    ClosedWhileCounted connection = new ClosedWhileCounted(context);
                    switched.complete(connection);
                    return connection;
                });
            }
        };
        Switchboard switchboard = Switchboard.builder().handler(handler).build();
        try (TestServer server = TestServer.start(switchboard);
             RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: racing\r\n\r\n");
            ClosedWhileCounted connection = switched.get(10, TimeUnit.SECONDS);
            assertThat(connection.closedWhileCounted.await(10, TimeUnit.SECONDS)).as("closed while being counted open").isTrue();

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(switchboard.metrics().snapshot().open("racing")).isZero();
                assertThat(server.dispatcher().upgradedConnections()).isZero();
            });
            assertThat(switchboard.metrics().snapshot().count("racing", UpgradeMetrics.Outcome.UPGRADED)).isEqualTo(1);
            assertThat(server.dispatcher().shutdown()).isCompleted();
        }
    }

    /**
     * Closes its endpoint the first time it is hashed while Jetty opens it — which is when
     * Switchboard puts it on the goodbye list as it counts it open — and returns only once Jetty's
     * selector, on its own thread, has called {@link #onClose} (and so every close listener).
     */
    private static final class ClosedWhileCounted extends UpgradedConnection {

        private final AtomicBoolean opening = new AtomicBoolean();
        private final AtomicBoolean hooked = new AtomicBoolean();
        private final CountDownLatch closedByJetty = new CountDownLatch(1);
        final CountDownLatch closedWhileCounted = new CountDownLatch(1);

        ClosedWhileCounted(SwitchContext context) {
            super(context);
        }

        @Override
        public void onOpen() {
            opening.set(true);
            super.onOpen();
        }

        @Override
        public void onClose(Throwable cause) {
            super.onClose(cause);
            closedByJetty.countDown();
        }

        @Override
        public int hashCode() {
            if (opening.get() && hooked.compareAndSet(false, true)) {
                getEndPoint().close();
                try {
                    if (closedByJetty.await(10, TimeUnit.SECONDS))
                        closedWhileCounted.countDown();
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
            return System.identityHashCode(this);
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }
    }
}
