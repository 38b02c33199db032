package org.switchboard.h2c;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Example;
import net.jqwik.api.Tag;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.switchboard.spi.UpgradeHeaders;
import org.switchboard.testing.Fuzz;

/** Fuzzing {@code HTTP2-Settings} decoding (H1): any value is a SETTINGS frame or a decline, nothing else. */
@Tag("fuzz")
class Http2SettingsFuzzTest {

    /** {@code Connection: Upgrade, HTTP2-Settings}, as the dispatcher parses it. */
    private static final UpgradeHeaders CONNECTION = new UpgradeHeaders(java.util.List.of(), java.util.List.of("upgrade", "http2-settings"));

    @Example
    void H1_anyHttp2SettingsValueDecodesOrIsDeclined() {
        // Base64url of whole settings with any ids and values (checked against RFC 9113 6.5.2's ranges),
        // of any bytes (mostly bad payloads), and any text.
        var settings = Arbitraries.integers().between(0, 10).flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(6 * n))
            .map(bytes -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        var encoded = Arbitraries.bytes().array(byte[].class).ofMaxSize(64)
            .map(bytes -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        var values = Arbitraries.oneOf(settings, encoded, Fuzz.headerValues("-_=+/ \t\"", 120));
        Fuzz.run("HTTP2-Settings", values, value -> {
            HttpFields headers = HttpFields.build()
                .add(HttpHeader.CONNECTION, "Upgrade, HTTP2-Settings")
                .add(HttpHeader.HTTP2_SETTINGS, value);
            try {
                SettingsFrame frame = Http2SettingsHeader.parse(headers, CONNECTION);
                assertThat(frame.getSettings()).isNotNull();
            } catch (Http2SettingsHeader.Unusable declined) {
                assertThat(declined.getMessage()).contains("(H1)").doesNotContain("\n");
            }
        });
    }
}
