package org.switchboard.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.switchboard.relay.CertificateFingerprint;

/**
 * The sample's TLS: a key and certificate, from a key store given by the user or made at start,
 * and the connector that serves them — ALPN {@code h2} and {@code http/1.1} on one port. h2c is
 * never offered there (H4): {@link org.switchboard.Switchboard#install} leaves TLS connectors
 * without h2c's factory, and the h2c handler declines offers on TLS connections.
 *
 * @param keyStore    holds the server's private key and certificate chain
 * @param password    the key store's password, also the key's
 * @param certificate the server's certificate, the first of its chain
 * @param source      where the key comes from, for the start-up line
 */
record SampleTls(KeyStore keyStore, String password, X509Certificate certificate, String source) {

    private static final String ALIAS = "switchboard-sample";
    private static final String PASSWORD_VARIABLE = "SWITCHBOARD_SAMPLE_KEYTOOL_PASSWORD";

    SampleTls {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(source, "source");
    }

    /**
     * A new self-signed certificate (EC P-256, valid 30 days) for {@code localhost},
     * {@code 127.0.0.1} and {@code bindHost}, made by the JDK's own {@code keytool} — the JDK has no
     * public API that builds a certificate — in a temporary PKCS12 file that is deleted once loaded.
     *
     * @throws IOException if {@code keytool} is missing from {@code java.home} (a trimmed runtime) or fails
     */
    static SampleTls selfSigned(String bindHost) throws IOException {
        List<String> names = new ArrayList<>(List.of("dns:localhost", "ip:127.0.0.1"));
        String bind = bindHost.startsWith("[") ? bindHost.substring(1, bindHost.length() - 1) : bindHost;
        // A wildcard bind address names no host a client would use.
        if (!bind.isEmpty() && !bind.equals("0.0.0.0") && !bind.equals("::")) {
            String name = (isIpLiteral(bind) ? "ip:" : "dns:") + bind;
            if (!names.contains(name))
                names.add(name);
        }
        String password = randomPassword();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool))
            throw new IOException("no keytool in " + keytool.getParent() + " to make a certificate with: give --keystore instead");
        Path dir = Files.createTempDirectory("switchboard-sample-tls");
        Path file = dir.resolve("sample.p12");
        try {
            ProcessBuilder command = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=localhost, O=Switchboard sample (self-signed)",
                "-ext", "SAN=" + String.join(",", names),
                "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass:env", PASSWORD_VARIABLE)
                .redirectErrorStream(true);
            // In keytool's environment, not on its command line, where other users could read it.
            command.environment().put(PASSWORD_VARIABLE, password);
            Process process = command.start();
            process.getOutputStream().close();                 // keytool asks nothing; end its input all the same
            String output;
            try (var out = process.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
            if (process.exitValue() != 0)
                throw new IOException("keytool failed (" + process.exitValue() + "): " + output);
            return load(file, password, "self-signed, made at start for " + String.join(", ", names));
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made the certificate", x);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * The key in {@code file}, a PKCS12 or JKS key store (the type is read from the file) with one
     * private key entry (the first is taken if there are several) whose password is the store's.
     *
     * @throws IOException if the file cannot be read, the password is wrong or it holds no private key
     */
    static SampleTls load(Path file, String password, String source) throws IOException {
        KeyStore store;
        try {
            store = KeyStore.getInstance(file.toFile(), password.toCharArray());
        } catch (GeneralSecurityException | IllegalArgumentException x) {
            throw new IOException("cannot read key store " + file + ": " + x.getMessage(), x);
        } catch (IOException x) {
            // The JDK reports a wrong password as an IOException caused by an UnrecoverableKeyException.
            String why = x.getCause() instanceof UnrecoverableKeyException ? "wrong password" : x.toString();
            throw new IOException("cannot read key store " + file + ": " + why, x);
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate certificate)
                    return new SampleTls(store, password, certificate, source);
            }
        } catch (GeneralSecurityException x) {
            throw new IOException("cannot read key store " + file + ": " + x.getMessage(), x);
        }
        throw new IOException("key store " + file + " holds no private key with an X.509 certificate");
    }

    /** What {@code keytool -list} and browsers show as the certificate's SHA-256 fingerprint. */
    CertificateFingerprint fingerprint() {
        return CertificateFingerprint.of(certificate);
    }

    /**
     * Base64 of the SHA-256 of the certificate's public key (its SubjectPublicKeyInfo): what
     * Chromium's {@code --ignore-certificate-errors-spki-list} takes to accept this one certificate.
     */
    String publicKeySha256() {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
        } catch (GeneralSecurityException x) {
            throw new IllegalStateException("the JDK has no SHA-256", x);
        }
    }

    /**
     * A TLS connector on {@code host:port} (0: any free port) negotiating {@code h2} or
     * {@code http/1.1} with ALPN; a client that offers no ALPN gets HTTP/1.1, as every upgrade needs.
     * The HTTP/2 side announces RFC 8441 extended CONNECT, as the cleartext one does: every protocol
     * of the sample is reachable over an h2 stream too (C1–C6). h2c is never offered here (H4).
     */
    ServerConnector connector(Server server, String host, int port) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword(password);
        tls.setCipherComparator(HTTP2Cipher.COMPARATOR);     // RFC 9113 §9.2.2: h2's permitted ciphers first
        HttpConfiguration config = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // The sample answers whatever name it is reached by (--allowed-host limits that); a certificate
        // the user chose to trust need not name it.
        secure.setSniHostCheck(false);
        config.addCustomizer(secure);
        HttpConnectionFactory http11 = new HttpConnectionFactory(config);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
        // RFC 8441 (C1–C6): every protocol of the sample is reachable by extended CONNECT on h2 as on h2c.
        h2.setConnectProtocolEnabled(true);
        // ALPN ids (RFC 7301 §6); Jetty names its HTTP/1.1 factory "HTTP/1.1", which ALPN compares exactly.
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http11);
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** One line for the start-up log: where the key comes from and how a client can trust it. */
    String describe() {
        return "TLS certificate " + certificate.getSubjectX500Principal().getName() + " (" + source + "), SHA-256 fingerprint "
            + fingerprint() + " (relay-cli --trust-fingerprint), public key SHA-256 " + publicKeySha256()
            + " (chromium --ignore-certificate-errors-spki-list)";
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "SampleTls[" + source + ", SHA-256 " + fingerprint() + "]";
    }

    private static boolean isIpLiteral(String host) {
        if (host.contains(":"))
            return true;
        return host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')) && !host.isEmpty();
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
