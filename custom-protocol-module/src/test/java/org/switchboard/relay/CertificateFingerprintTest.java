package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;

/**
 * The SHA-256 fingerprint a relays:// client pins, and the URI schemes {@link RelayClient} takes.
 * Connections over TLS are proven against the sample's TLS port (examples: {@code SampleTlsTest}),
 * where a real certificate is made.
 */
class CertificateFingerprintTest {

    // Real certificates: the JDK's trusted authorities.
    private static X509Certificate[] authorities() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        X509TrustManager trust = (X509TrustManager) Arrays.stream(factory.getTrustManagers())
            .filter(X509TrustManager.class::isInstance).findFirst().orElseThrow();
        assertThat(trust.getAcceptedIssuers()).hasSizeGreaterThan(1);
        return trust.getAcceptedIssuers();
    }

    @Test
    void aFingerprintIsShownAsKeytoolShowsItAndReadBack() throws Exception {
        X509Certificate certificate = authorities()[0];
        CertificateFingerprint fingerprint = CertificateFingerprint.of(certificate);

        assertThat(fingerprint.toString()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(CertificateFingerprint.parse(fingerprint.toString())).isEqualTo(fingerprint);
        assertThat(CertificateFingerprint.parse(fingerprint.toString().replace(":", "").toLowerCase())).isEqualTo(fingerprint);
        assertThat(CertificateFingerprint.parse(" SHA256:" + fingerprint.toString().replace(":", " ") + "\n")).isEqualTo(fingerprint);
        assertThat(CertificateFingerprint.parse("SHA-256:" + fingerprint)).isEqualTo(fingerprint);
        assertThat(fingerprint.matches(certificate)).isTrue();
        assertThat(fingerprint.matches(authorities()[1])).isFalse();
        assertThat(fingerprint.hashCode()).isEqualTo(CertificateFingerprint.parse(fingerprint.toString()).hashCode());
    }

    @Test
    void aValueThatIsNot32BytesOfHexIsRefusedInOneBoundedLine() {
        for (String bad : new String[] {"", "AB:CD", "zz".repeat(32), "AB".repeat(33), "SHA1:" + "AB".repeat(32), "A".repeat(100_000)}) {
            assertThatThrownBy(() -> CertificateFingerprint.parse(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a SHA-256 fingerprint is 64 hex digits")
                .satisfies(x -> assertThat(x.getMessage()).hasSizeLessThan(200).doesNotContain("\n"));
        }
    }

    @Test
    void thePinnedClientConfigurationStartsWithTheJdksTls() throws Exception {
        SslContextFactory.Client pinned = CertificateFingerprint.of(authorities()[0]).trustOnly();
        pinned.start();
        try {
            assertThat(pinned.getSslContext().getProtocol()).isEqualTo("TLS");
            assertThat(pinned.isTrustAll()).isFalse();
        } finally {
            pinned.stop();
        }
    }

    @Test
    void relayUrisAreRelayOrHttpInTheClearAndRelaysOrHttpsOverTls() {
        RelayListener nobody = new RelayListener() {
        };
        assertThatThrownBy(() -> RelayClient.connect(URI.create("ws://127.0.0.1:1/relay"), nobody))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relay://, relays://, http:// or https://");
        assertThatThrownBy(() -> RelayClient.connect(URI.create("relay:/relay"), nobody))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host");
        // TLS settings for a cleartext URI are a mistake, not silently ignored.
        assertThatThrownBy(() -> RelayClient.connect(URI.create("relay://127.0.0.1:1/relay"), nobody, new SslContextFactory.Client(true)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relays://");
    }
}
