package org.switchboard.relay;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The SHA-256 fingerprint of an X.509 certificate — the 32-byte digest of its DER encoding, shown as
 * {@code keytool -list} and browsers show it: 32 upper-case hex pairs joined with {@code :}. A
 * client that trusts exactly one certificate, such as a server's self-signed one, pins it by this
 * value ({@link #trustOnly()}).
 */
public final class CertificateFingerprint {

    private static final int SHA_256_BYTES = 32;
    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private final byte[] sha256;

    private CertificateFingerprint(byte[] sha256) {
        this.sha256 = sha256;
    }

    /**
     * The fingerprint of a certificate.
     *
     * @param certificate any X.509 certificate
     * @return the SHA-256 of its DER encoding
     */
    public static CertificateFingerprint of(X509Certificate certificate) {
        try {
            return new CertificateFingerprint(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException x) {
            // Every X509Certificate has a DER encoding and every JDK has SHA-256.
            throw new IllegalStateException("cannot take the SHA-256 of " + certificate.getSubjectX500Principal(), x);
        }
    }

    /**
     * Reads a fingerprint as {@link #toString()} writes it, or as other tools do: 64 hex digits, in
     * either case, optionally in pairs separated by {@code :} or spaces, optionally after
     * {@code SHA256:} or {@code SHA-256:}.
     *
     * @param text the fingerprint as text, e.g. {@code AB:01:…} (32 pairs)
     * @return the fingerprint
     * @throws IllegalArgumentException if {@code text} is not 32 bytes of hex, with a one-line reason
     *                                  quoting at most 120 characters of it
     */
    public static CertificateFingerprint parse(String text) {
        String hex = text.strip();
        String upper = hex.toUpperCase(Locale.ROOT);
        if (upper.startsWith("SHA256:") || upper.startsWith("SHA-256:"))
            hex = hex.substring(hex.indexOf(':') + 1).strip();
        hex = hex.replace(":", "").replace(" ", "");
        if (hex.length() != 2 * SHA_256_BYTES || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0))
            throw new IllegalArgumentException("a SHA-256 fingerprint is 64 hex digits (pairs may be separated by ':'), not "
                + (text.length() > 120 ? text.length() + " characters" : "'" + text + "'"));
        return new CertificateFingerprint(HexFormat.of().parseHex(hex));
    }

    /**
     * Whether a certificate has this fingerprint.
     *
     * @param certificate any X.509 certificate
     * @return true if the SHA-256 of its DER encoding is this fingerprint (compared in constant time)
     */
    public boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(sha256, of(certificate).sha256);
    }

    /**
     * A TLS client configuration, for {@link RelayClient#connect(java.net.URI, RelayListener,
     * SslContextFactory.Client, int...)} or any Jetty client, that trusts the server only if its
     * certificate (the first of its chain) has this fingerprint. The pin replaces both the chain
     * check against certificate authorities and the host name check: the certificate may be
     * self-signed and name any host. Not started; the client starts it.
     *
     * @return a new client configuration, not started, whose trust is this pin alone
     */
    public SslContextFactory.Client trustOnly() {
        SslContextFactory.Client tls = new SslContextFactory.Client() {
            @Override
            protected void checkEndPointIdentificationAlgorithm() {
                // No host name check, on purpose: the pinned certificate is the server's identity.
            }
        };
        tls.setEndpointIdentificationAlgorithm(null);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinnedTrust()}, null);
            tls.setSslContext(context);
        } catch (GeneralSecurityException x) {
            throw new IllegalStateException("the JDK has no usable TLS context", x);
        }
        return tls;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CertificateFingerprint that && Arrays.equals(sha256, that.sha256);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256);
    }

    /** {@code AB:01:…}: 32 upper-case hex pairs joined with {@code :}. */
    @Override
    public String toString() {
        return COLON_HEX.formatHex(sha256);
    }

    /** Trusts a server by its certificate's fingerprint alone; the JDK still applies its algorithm constraints. */
    private final class PinnedTrust implements X509TrustManager {

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0)
                throw new CertificateException("the server sent no certificate");
            if (!matches(chain[0]))
                throw new CertificateException("the server's certificate has SHA-256 fingerprint " + of(chain[0])
                    + ", not the trusted " + CertificateFingerprint.this);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a pinned server certificate authenticates servers, not clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
