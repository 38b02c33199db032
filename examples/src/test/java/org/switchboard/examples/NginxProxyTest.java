package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.RawHttp;

/** The sample behind a real nginx running {@code examples/deploy/nginx.conf}. */
class NginxProxyTest {

    @TempDir
    Path workDir;

    private Server server;
    private Nginx nginx;

    @BeforeEach
    void start() throws Exception {
        server = SampleServer.start("127.0.0.1", 0);
        nginx = Nginx.inFrontOf(((NetworkConnector) server.getConnectors()[0]).getLocalPort(), workDir);
    }

    @AfterEach
    void stop() throws Exception {
        nginx.close();
        server.stop();
    }

    @Test
    void U7_aPlainRequestPassesThroughTheProxy() throws Exception {
        try (RawHttp client = RawHttp.connect(nginx.port())) {
            RawHttp.Response page = client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("Switchboard chat");
        }
    }

    @Test
    void U4_anUpgradeToTheTimePluginWorksThroughTheProxy() throws Exception {
        try (RawHttp client = RawHttp.connect(nginx.port())) {
            RawHttp.Head head = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: time/1\r\n\r\n").readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("time/1");
            assertThat(client.readText(21)).endsWith("Z\n");
        }
    }
}
