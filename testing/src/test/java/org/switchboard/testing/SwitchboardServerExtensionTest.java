package org.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;

import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.UpgradeDispatcher;
import org.switchboard.UpgradeMetrics.Outcome;

/** One server for the class: registered on a static field, injected everywhere JUnit resolves parameters. */
class SwitchboardServerExtensionTest {

    @RegisterExtension
    static final SwitchboardServerExtension server = SwitchboardServerExtension.of(LineEchoProtocolHandler.accepting("echo"));

    private static URI seenBeforeAll;
    private final URI seenByConstructor;

    SwitchboardServerExtensionTest(URI uri) {
        this.seenByConstructor = uri;
    }

    @BeforeAll
    static void beforeAll(TestServer running) {
        seenBeforeAll = running.uri();
    }

    @Test
    void injectsTheServerInEveryForm(URI uri, @ServerPort int port, TestServer running, UpgradeDispatcher dispatcher, Server jetty) {
        assertThat(uri).isEqualTo(URI.create("http://127.0.0.1:" + port + "/")).isEqualTo(seenByConstructor).isEqualTo(seenBeforeAll);
        assertThat(running.port()).isEqualTo(port).isEqualTo(server.port());
        assertThat(dispatcher).isSameAs(server.dispatcher());
        assertThat(jetty.isStarted()).isTrue();
        assertThat(server.uri("/chat")).hasPath("/chat").hasPort(port);
    }

    @Test
    void sb6_theDispatcherCountsWhatTheClientDid(UpgradeDispatcher dispatcher) throws IOException {
        long before = dispatcher.metrics().snapshot().count("echo", Outcome.UPGRADED);
        try (RawUpgradeClient client = server.connect()) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(101);
        }
        assertThat(dispatcher.metrics().snapshot().count("echo", Outcome.UPGRADED)).isEqualTo(before + 1);
    }

    @Nested
    class InANestedClass {
        @Test
        void theSameServerServes(URI uri) {
            assertThat(uri).isEqualTo(seenBeforeAll);
        }
    }
}
