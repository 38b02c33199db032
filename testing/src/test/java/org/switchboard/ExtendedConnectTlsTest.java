package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.ExtendedConnect;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.TestServer;

/**
 * Extended CONNECT (C1–C6) on h2 over TLS: a TLS connector built here, ALPN choosing {@code h2}, a
 * self-signed certificate made with the JDK's {@code keytool} for 127.0.0.1. The same handler as
 * over h2c and HTTP/1.1.
 */
class ExtendedConnectTlsTest {

    private static final String PASSWORD = "switchboard";

    @TempDir
    Path dir;
    private Server server;
    private UpgradeDispatcher dispatcher;
    private Path keystore;

    @BeforeEach
    void start() throws Exception {
        keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
            "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
            "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        assertThat(Files.size(keystore)).isPositive();

        server = new Server();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keystore.toString());
        tls.setKeyStorePassword(PASSWORD);
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer(false));
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
        h2.setConnectProtocolEnabled(true);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2,
            new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new RequestSummaryHandler());
        dispatcher = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo", "1"))
            .route("/echo-only", UpgradePolicy.required("echo"))
            .build().install(server);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private SslContextFactory.Client trusting() {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStorePath(keystore.toString());
        tls.setTrustStorePassword(PASSWORD);
        return tls;
    }

    private int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Test
    void C3_anAcceptedConnectOverH2SwitchesTheStream() throws Exception {
        try (ExtendedConnect tunnel = ExtendedConnect.openTls(trusting(), port(), "/echo-only", "echo")) {
            assertThat(tunnel.status()).isEqualTo(200);
            assertThat(tunnel.readLine()).isEqualTo("echo/1 body=0");
            tunnel.sendText("over TLS\n");
            assertThat(tunnel.readLine()).isEqualTo("over TLS");
        }
        assertThat(dispatcher.metrics().snapshot().count("echo", UpgradeMetrics.Outcome.UPGRADED)).isEqualTo(1);
    }

    @Test
    void C4_nothingAcceptedOverH2Is501() throws Exception {
        try (ExtendedConnect tunnel = ExtendedConnect.openTls(trusting(), port(), "/echo-only", "other")) {
            assertThat(tunnel.status()).isEqualTo(501);
            assertThat(tunnel.headers().get(UpgradeDispatcher.CONNECT_PROTOCOL)).isEqualTo("echo/1");
        }
    }
}
