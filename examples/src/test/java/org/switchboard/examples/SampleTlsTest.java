package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.relay.CertificateFingerprint;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;
import org.switchboard.testing.ExtendedConnect;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.ReadLimits;
import picocli.CommandLine;

/**
 * The sample as {@code --tls} starts it — one TLS port, a self-signed certificate made at start —
 * driven by real clients: curl (ALPN h2 and http/1.1), the JDK's WebSocket client over
 * {@code wss://}, {@link RelayClient} and {@code relay-cli} over {@code relays://}, raw TLS
 * sockets. Clients trust the certificate by its SHA-256 fingerprint, as a user would with the
 * printed one; curl, which cannot pin that way, uses {@code -k}.
 */
class SampleTlsTest {

    private static SampleTls certificate;

    @RegisterExtension
    final RunningSample sample = new RunningSample(certificate());

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate();
    }

    // Made once for the class: keytool takes a second or so.
    private static synchronized SampleTls certificate() {
        if (certificate == null) {
            try {
                certificate = SampleTls.selfSigned("127.0.0.1");
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        }
        return certificate;
    }

    @Test
    void alpn_curlGetsHttp2OverTlsWhenItOffersH2() throws Exception {
        List<String> out = Curl.run("--http2", "-k", "-sS", "-w", "\n%{http_version}", sample.base() + "/health");

        assertThat(out.get(out.size() - 1)).isEqualTo("2");
        assertThat(new ObjectMapper().readTree(out.get(0)).path("status").asText()).isEqualTo("up");
    }

    @Test
    void alpn_curlGetsHttp11OverTlsWhenItOffersOnlyHttp11() throws Exception {
        List<String> out = Curl.run("--http1.1", "-k", "-sS", "-w", "\n%{http_version}", sample.base() + "/health");

        assertThat(out.get(out.size() - 1)).isEqualTo("1.1");
        assertThat(new ObjectMapper().readTree(out.get(0)).path("status").asText()).isEqualTo("up");
    }

    /** C3 over TLS: every protocol of the sample by RFC 8441 extended CONNECT on an h2 connection (ALPN), as on h2c. */
    @ParameterizedTest
    @ValueSource(strings = {"/relay relay/1", "/relay relay/2", "/echo websocket", "/ time/1"})
    void C3_everyProtocolOfTheSampleByExtendedConnectOverH2(String pathAndProtocol) throws Exception {
        String path = pathAndProtocol.split(" ")[0];
        String protocol = pathAndProtocol.split(" ")[1];
        HttpFields headers = protocol.equals("websocket") ? HttpFields.build().put("Sec-WebSocket-Version", "13") : HttpFields.EMPTY;
        try (ExtendedConnect tunnel = ExtendedConnect.openTls(certificate.fingerprint().trustOnly(), sample.port(), path, protocol, headers)) {
            assertThat(tunnel.status()).as(pathAndProtocol).isEqualTo(200);
            assertThat(tunnel.resetCode()).as("no reset").isNull();
            if (protocol.equals("time/1"))
                assertThat(tunnel.readLine()).as("the first tick, on the stream").matches("\\d{4}-\\d{2}-\\d{2}T.*");
        }
    }

    @Test
    void H4_theTlsConnectorOffersH2AndHttp11WithAlpnAndNoH2c() {
        assertThat(sample.server().getConnectors()[0].getProtocols()).containsExactly("ssl", "alpn", "h2", "http/1.1");
    }

    @Test
    void H4_anH2cUpgradeOverTlsIsNotSwitchedButServedOnHttp11() throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.over(tlsSocket("http/1.1"), ReadLimits.DEFAULT)) {
            RawResponse response = client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Upgrade")).isNull();
        }
        // The same from curl, a client that would take a 101 if it came.
        List<String> out = Curl.run("--http1.1", "-k", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
            "-H", "Connection: Upgrade, HTTP2-Settings", "-H", "Upgrade: h2c", "-H", "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA",
            sample.base() + "/health");
        assertThat(out).containsExactly("200 1.1");

        JsonNode h2c = health().path("protocols").path("h2c");
        assertThat(h2c.path("upgrades").asLong()).isZero();
        assertThat(h2c.path("fallbacks").asLong()).as("declined by the h2c handler, then served").isEqualTo(2);
    }

    @ParameterizedTest(name = "ALPN offered: {0}")
    @ValueSource(strings = {"http/1.1", "none"})
    void time1_upgradesOverTlsHttp11(String offered) throws Exception {
        SSLSocket socket = offered.equals("none") ? tlsSocket() : tlsSocket(offered);
        try (RawUpgradeClient client = RawUpgradeClient.over(socket, ReadLimits.DEFAULT)) {
            RawResponse head = client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: time/1\r\n\r\n").readHead();

            // A client that offers no ALPN gets HTTP/1.1, which every upgrade needs.
            assertThat(socket.getApplicationProtocol()).isIn("http/1.1", "");
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("time/1");
            assertThat(client.readText(21)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n");
        }
    }

    @ParameterizedTest(name = "relay/{0}")
    @ValueSource(ints = {1, 2})
    void SB4_relaysAndWssShareTheRoomOverTls(int version) throws Exception {
        TextSocket wss = TextSocket.open(pinnedHttpClient(), URI.create("wss://127.0.0.1:" + sample.port() + "/chat"), "chat");
        BlockingQueue<String> atRelay = new LinkedBlockingQueue<>();
        try (RelayClient relay = RelayClient.connect(URI.create("relays://127.0.0.1:" + sample.port() + "/relay"), collecting(atRelay),
            certificate.fingerprint().trustOnly(), version)) {
            assertThat(relay.protocol()).isEqualTo("relay/" + version);

            relay.sendText("rita: hello over tls");
            assertThat(wss.next()).isEqualTo("rita: hello over tls");

            wss.send("wendy: hello over wss");
            assertThat(nextNotFrom("rita:", atRelay)).isEqualTo("wendy: hello over wss");
        } finally {
            wss.close();
        }
    }

    @Test
    void relaysTrustsAnyCertificateOnlyWhenToldTo() throws Exception {
        BlockingQueue<String> atRelay = new LinkedBlockingQueue<>();
        try (RelayClient relay = RelayClient.connect(URI.create("relays://127.0.0.1:" + sample.port() + "/relay"), collecting(atRelay),
            new SslContextFactory.Client(true))) {
            assertThat(relay.protocol()).isEqualTo("relay/2");
            relay.sendText("tess: trusted anything");
            assertThat(atRelay.poll(10, TimeUnit.SECONDS)).isEqualTo("tess: trusted anything");
        }
    }

    @Test
    void relaysRefusesTheSelfSignedCertificateByDefault() {
        assertThatThrownBy(() -> RelayClient.connect(URI.create("relays://127.0.0.1:" + sample.port() + "/relay"), collecting(new LinkedBlockingQueue<>())))
            .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void relaysRefusesACertificateWithAnotherFingerprint() {
        CertificateFingerprint other = CertificateFingerprint.parse("00".repeat(32));

        assertThatThrownBy(() -> RelayClient.connect(URI.create("relays://127.0.0.1:" + sample.port() + "/relay"),
            collecting(new LinkedBlockingQueue<>()), other.trustOnly()))
            .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void relayCliChatsOverRelaysTrustingThePrintedFingerprint() throws Exception {
        TextSocket wss = TextSocket.open(pinnedHttpClient(), URI.create("wss://127.0.0.1:" + sample.port() + "/chat"), "chat");
        try {
            Cli cli = Cli.start("relays://127.0.0.1:" + sample.port() + "/relay", "--name", "bob",
                "--trust-fingerprint", certificate.fingerprint().toString());
            cli.awaitScreen("* connected to relays://127.0.0.1:" + sample.port() + "/relay over relay/2 as bob");

            cli.type("hi from a TLS terminal\n");
            assertThat(wss.next()).isEqualTo("bob: hi from a TLS terminal");
            wss.send("wendy: hello bob");
            cli.awaitScreen("wendy: hello bob");

            assertThat(cli.endInput()).isZero();
        } finally {
            wss.close();
        }
    }

    @Test
    void relayCliChatsOverRelaysWithInsecure() throws Exception {
        Cli cli = Cli.start("relays://127.0.0.1:" + sample.port() + "/relay", "--name", "ivy", "--insecure", "--relay-version", "1");
        cli.awaitScreen("over relay/1 as ivy");
        cli.type("anyone there?\n");
        cli.awaitScreen("ivy: anyone there?");

        assertThat(cli.endInput()).isZero();
    }

    @Test
    void relayCliSaysInOneLineThatTheCertificateIsNotTrusted() throws Exception {
        Cli cli = Cli.start("relays://127.0.0.1:" + sample.port() + "/relay", "--name", "eve");

        assertThat(cli.exit.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(cli.screen()).startsWith("* TLS failed: ").doesNotContain("\tat ");
        assertThat(cli.screen().strip().lines()).hasSize(1);
    }

    @Test
    void relayCliRefusesABadFingerprintAndTlsOptionsForCleartextAsUsageErrors() throws Exception {
        Cli bad = Cli.start("relays://127.0.0.1:" + sample.port() + "/relay", "--trust-fingerprint", "AB:CD");
        assertThat(bad.exit.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(bad.errors()).contains("64 hex digits").doesNotContain("\tat ");

        Cli cleartext = Cli.start("relay://127.0.0.1:" + sample.port() + "/relay", "--insecure");
        assertThat(cleartext.exit.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(cleartext.errors()).contains("relays://").doesNotContain("\tat ");

        Cli both = Cli.start("relays://127.0.0.1:" + sample.port() + "/relay", "--insecure", "--trust-fingerprint",
            certificate.fingerprint().toString());
        assertThat(both.exit.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(both.errors()).contains("choose one");
    }

    private JsonNode health() throws Exception {
        List<String> out = Curl.run("--http2", "-k", "-sS", sample.base() + "/health");
        return new ObjectMapper().readTree(String.join("\n", out));
    }

    /** A TLS socket to the sample, handshake done, offering {@code alpn}, trusting the certificate by its fingerprint. */
    private SSLSocket tlsSocket(String... alpn) throws Exception {
        SSLSocket socket = (SSLSocket) pinnedContext().getSocketFactory().createSocket("127.0.0.1", sample.port());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(alpn);
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static SSLContext pinnedContext() throws Exception {
        SslContextFactory.Client pinned = certificate.fingerprint().trustOnly();
        pinned.start();
        return pinned.getSslContext();
    }

    private static HttpClient pinnedHttpClient() throws Exception {
        return HttpClient.newBuilder().sslContext(pinnedContext()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static RelayListener collecting(BlockingQueue<String> into) {
        return new RelayListener() {
            @Override
            public void onText(RelaySession session, String text) {
                into.add(text);
            }
        };
    }

    /** The next message not starting with {@code prefix} (the room echoes a member's own messages). */
    private static String nextNotFrom(String prefix, BlockingQueue<String> queue) throws InterruptedException {
        String message;
        do {
            message = queue.poll(10, TimeUnit.SECONDS);
        } while (message != null && message.startsWith(prefix));
        return message;
    }

    /** {@code relay-cli} run in this JVM, as {@code switchboard-sample relay-cli …} runs it, with a keyboard and a screen. */
    private record Cli(PipedOutputStream keyboard, ByteArrayOutputStream out, StringWriter err, CompletableFuture<Integer> exit) {

        static Cli start(String... args) throws Exception {
            PipedOutputStream typing = new PipedOutputStream();
            PipedInputStream keyboard = new PipedInputStream(typing);
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);
            StringWriter err = new StringWriter();
            CommandLine line = new CommandLine(new RelayCli(keyboard, terminal));
            line.setErr(new PrintWriter(err, true));
            return new Cli(typing, screen, err, CompletableFuture.supplyAsync(() -> line.execute(args)));
        }

        String screen() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String errors() {
            return err.toString();
        }

        void awaitScreen(String text) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> screen().contains(text));
        }

        void type(String text) throws Exception {
            keyboard.write(text.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        }

        int endInput() throws Exception {
            keyboard.close();
            return exit.get(15, TimeUnit.SECONDS);
        }
    }
}
