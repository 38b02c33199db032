package org.switchboard.h2c;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeMetrics;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.ReadLimits;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.TestServer;

/** H4 on a real TLS connector with a self-signed certificate made by the JDK's keytool. */
class H2cTlsTest {

    private static final String PASSWORD = "switchboard";

    @Test
    void H4_anH2cOfferOverTlsIsDeclinedAndServedOnHttp11(@TempDir Path dir) throws Exception {
        Path keyStore = selfSignedKeyStore(dir);
        H2cProtocolHandler h2c = new H2cProtocolHandler();
        Switchboard switchboard = Switchboard.builder().handler(h2c).build();

        Server server = new Server();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keyStore.toString());
        tls.setKeyStorePassword(PASSWORD);
        // The h2c factory is put on the TLS connector on purpose: the handler itself must refuse TLS.
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
            new HttpConnectionFactory(), h2c.connectionFactories().get(0));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new RequestSummaryHandler());
        try (TestServer running = TestServer.start(switchboard, server);
             RawUpgradeClient client = RawUpgradeClient.over(
                 clientContext(keyStore).getSocketFactory().createSocket("127.0.0.1", running.port()), ReadLimits.DEFAULT)) {
            RawResponse response = client.send("GET /tls HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings, close\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: " + Http2Wire.CURL_SETTINGS + "\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("GET /tls HTTP/1.1 body=");
            assertThat(client.closedWithin(Duration.ofSeconds(10))).isTrue();
            assertThat(switchboard.metrics().snapshot().count("h2c", UpgradeMetrics.Outcome.UPGRADED)).isZero();
            assertThat(switchboard.metrics().snapshot().count("h2c", UpgradeMetrics.Outcome.FALLBACK)).isEqualTo(1);
        }
    }

    private static Path selfSignedKeyStore(Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
            "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
            "-storepass", PASSWORD, "-keypass", PASSWORD)
            .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(out).isZero();
        assertThat(Files.exists(keyStore)).isTrue();
        return keyStore;
    }

    // The client trusts exactly the server's self-signed certificate.
    private static SSLContext clientContext(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
