package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelayListener;
import picocli.CommandLine;

/** The sample's TLS flags: where the certificate comes from, which ports, and one-line usage errors. */
class SampleTlsOptionsTest {

    @TempDir
    Path dir;

    @Test
    void tls_theCertificateMadeAtStartNamesLocalhostTheLoopbackAndTheBindHost() throws Exception {
        SampleTls made = SampleTls.selfSigned("sample.test");

        assertThat(made.certificate().getSubjectAlternativeNames())
            .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(2, "sample.test"));
        assertThat(made.describe()).contains(made.fingerprint().toString()).contains(made.publicKeySha256());
        assertThat(made.toString()).doesNotContain(made.password());
    }

    @Test
    void tls_theDefaultPortIs8443WhenItIsTheTlsPortAnd8080Otherwise() {
        assertThat(parse("--tls").mainPort(true)).isEqualTo(8443);
        assertThat(parse("--tls", "--tls-port", "9443").mainPort(true)).isEqualTo(8080);
        assertThat(parse().mainPort(false)).isEqualTo(8080);
        assertThat(parse("--tls", "--port", "7000").mainPort(true)).isEqualTo(7000);
    }

    @Test
    void keystore_withItsPasswordInAFileServesItsCertificate() throws Exception {
        Path keyStore = keyStore("s3cret");
        Path passwordFile = Files.writeString(dir.resolve("password"), "s3cret\n");
        SampleServer sample = parse("--keystore", keyStore.toString(), "--keystore-password-file", passwordFile.toString(), "--port", "0");
        SampleTls loaded = sample.certificate();
        Server server = sample.startServer();
        try {
            int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
            // The pinned client connects only if the server presents that very certificate.
            try (RelayClient relay = RelayClient.connect(URI.create("relays://127.0.0.1:" + port + "/relay"), quiet(),
                loaded.fingerprint().trustOnly())) {
                assertThat(relay.protocol()).isEqualTo("relay/2");
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void tlsPort_servesCleartextOnPortAndTlsOnTlsPortWithH2cOnlyOnCleartext() throws Exception {
        Server server = parse("--tls", "--port", "0", "--tls-port", "0").startServer();
        try {
            Connector[] connectors = server.getConnectors();
            assertThat(connectors).hasSize(2);
            Connector cleartext = connectors[0];
            Connector tls = connectors[1];
            assertThat(cleartext.getConnectionFactory(SslConnectionFactory.class)).isNull();
            assertThat(cleartext.getProtocols()).contains("h2c");
            assertThat(tls.getProtocols()).containsExactly("ssl", "alpn", "h2", "http/1.1");

            assertThat(Curl.run("--http2", "-sS", "-o", "/dev/null", "-w", "%{http_version}",
                "http://127.0.0.1:" + ((NetworkConnector) cleartext).getLocalPort() + "/health")).containsExactly("2");
            assertThat(Curl.run("--http2", "-k", "-sS", "-o", "/dev/null", "-w", "%{http_version}",
                "https://127.0.0.1:" + ((NetworkConnector) tls).getLocalPort() + "/health")).containsExactly("2");
        } finally {
            server.stop();
        }
    }

    @Test
    void keystore_aWrongPasswordIsAUsageErrorInOneLine() throws Exception {
        Path keyStore = keyStore("s3cret");

        Run run = execute("--keystore", keyStore.toString(), "--keystore-password", "wrong", "--port", "0");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.firstLine()).startsWith("cannot read key store " + keyStore).contains("wrong password");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void keystore_aMissingFileOrPasswordAndContradictoryFlagsAreUsageErrors() throws Exception {
        Run missing = execute("--keystore", dir.resolve("none.p12").toString(), "--keystore-password", "x", "--port", "0");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.firstLine()).startsWith("cannot read key store");

        Path keyStore = keyStore("s3cret");
        // Unless SWITCHBOARD_KEYSTORE_PASSWORD is set where the tests run, no password is given.
        if (System.getenv(SampleServer.KEYSTORE_PASSWORD_VARIABLE) == null) {
            Run noPassword = execute("--keystore", keyStore.toString(), "--port", "0");
            assertThat(noPassword.exit()).isEqualTo(2);
            assertThat(noPassword.firstLine()).contains(SampleServer.KEYSTORE_PASSWORD_VARIABLE);
        }

        Run noFile = execute("--keystore", keyStore.toString(), "--keystore-password-file", dir.resolve("none").toString());
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.firstLine()).startsWith("cannot read --keystore-password-file");

        Path endless = Files.write(dir.resolve("endless"), new byte[100_000]);
        Run tooLong = execute("--keystore", keyStore.toString(), "--keystore-password-file", endless.toString());
        assertThat(tooLong.exit()).isEqualTo(2);
        assertThat(tooLong.firstLine()).contains("no line end in its first 4096 bytes");

        Run both = execute("--tls", "--keystore", keyStore.toString(), "--keystore-password", "s3cret");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.firstLine()).contains("choose one");

        Run tlsPortAlone = execute("--tls-port", "0");
        assertThat(tlsPortAlone.exit()).isEqualTo(2);
        assertThat(tlsPortAlone.firstLine()).contains("--tls-port needs --tls or --keystore");
    }

    /** A PKCS12 key store with the key of a certificate made as --tls makes one, under {@code password}. */
    private Path keyStore(String password) throws Exception {
        SampleTls made = SampleTls.selfSigned("127.0.0.1");
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        String alias = made.keyStore().aliases().nextElement();
        store.setKeyEntry(alias, made.keyStore().getKey(alias, made.password().toCharArray()), password.toCharArray(),
            made.keyStore().getCertificateChain(alias));
        Path file = dir.resolve("server-" + System.nanoTime() + ".p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        assertThat(((X509Certificate) store.getCertificate(alias)).getSubjectX500Principal().getName()).contains("CN=localhost");
        return file;
    }

    private static SampleServer parse(String... args) {
        SampleServer sample = new SampleServer();
        new CommandLine(sample).parseArgs(args);
        return sample;
    }

    private record Run(int exit, String err) {
        String firstLine() {
            return err.lines().findFirst().orElse("");
        }
    }

    /** The command as {@code main} runs it; only for flags that fail before the server would run forever. */
    private static Run execute(String... args) throws Exception {
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new SampleServer());
        line.setErr(new PrintWriter(err, true));
        line.setOut(new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        int exit = java.util.concurrent.CompletableFuture.supplyAsync(() -> line.execute(args)).get(60, TimeUnit.SECONDS);
        return new Run(exit, err.toString());
    }

    private static RelayListener quiet() {
        return new RelayListener() {
        };
    }
}
