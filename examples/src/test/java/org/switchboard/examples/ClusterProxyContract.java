package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.relay.RelayClient;

/**
 * What every load balancer of {@code examples/deploy/} must do in front of two instances of the
 * sample (each with its own in-memory room: these tests are about routing), run against the real
 * program by each subclass: WebSocket and relay upgrade through it, new connections are spread over
 * the instances, and a stopped instance gets none.
 */
abstract class ClusterProxyContract {

    @RegisterExtension
    final RunningSample a = new RunningSample();

    @RegisterExtension
    final RunningSample b = new RunningSample();

    @TempDir
    Path workDir;

    ReverseProxy proxy;

    /** The proxy, running its shipped configuration in front of the instances on {@code first} and {@code second}. */
    abstract ReverseProxy start(int first, int second, Path workDir) throws Exception;

    /** Starts the proxy in front of {@link #a} and {@link #b}. */
    ReverseProxy proxy() throws Exception {
        return proxy(a.port(), b.port());
    }

    /** Starts the proxy in front of the servers on {@code first} and {@code second}; stopped after the test. */
    ReverseProxy proxy(int first, int second) throws Exception {
        proxy = start(first, second, workDir);
        return proxy;
    }

    URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + proxy.port() + path);
    }

    @AfterEach
    void stopProxy() {
        if (proxy != null)
            proxy.close();
    }

    @Test
    void W2_webSocketsUpgradeThroughItOnePerInstance() throws Exception {
        proxy();

        TextSocket first = TextSocket.open(uri("ws", "/echo"));
        TextSocket second = TextSocket.open(uri("ws", "/echo"));
        first.send("to one");
        second.send("to the other");

        assertThat(first.next()).isEqualTo("to one");
        assertThat(second.next()).isEqualTo("to the other");
        // The least busy instance takes a new connection: an upgraded one keeps its instance busy.
        assertThat(a.open("websocket")).isEqualTo(1);
        assertThat(b.open("websocket")).isEqualTo(1);
        first.close();
        second.close();
    }

    @Test
    void SB4_relay2AndRelay1UpgradeThroughItOnePerInstance() throws Exception {
        proxy();
        RelayInbox heard2 = new RelayInbox();
        RelayInbox heard1 = new RelayInbox();

        try (RelayClient two = RelayClient.connect(uri("relay", "/relay"), heard2, 2);
             RelayClient one = RelayClient.connect(uri("relay", "/relay"), heard1, 1)) {
            assertThat(two.protocol()).isEqualTo("relay/2");
            assertThat(one.protocol()).isEqualTo("relay/1");
            two.sendText("rita: relay/2 through the proxy");
            one.sendText("otto: relay/1 through the proxy");

            assertThat(heard2.next()).isEqualTo("rita: relay/2 through the proxy");
            assertThat(heard1.next()).isEqualTo("otto: relay/1 through the proxy");
            assertThat(two.ping()).succeedsWithin(RelayInbox.BOUND);
            assertThat(a.open("relay")).isEqualTo(1);
            assertThat(b.open("relay")).isEqualTo(1);
        }
    }

    @Test
    void anInstanceStoppedGetsNoNewConnectionsTheOtherTakesThemAll() throws Exception {
        proxy();
        a.server().stop();

        for (int i = 0; i < 4; i++) {
            TextSocket echo = TextSocket.open(uri("ws", "/echo"));
            echo.send("echo " + i);
            assertThat(echo.next()).isEqualTo("echo " + i);
            echo.close();

            RelayInbox heard = new RelayInbox();
            try (RelayClient relay = RelayClient.connect(uri("relay", "/relay"), heard, 2)) {
                relay.sendText("rita: relay " + i);
                assertThat(heard.next()).isEqualTo("rita: relay " + i);
            }
        }
        assertThat(b.upgrades("websocket")).isEqualTo(4);
        assertThat(b.upgrades("relay")).isEqualTo(4);
    }
}
