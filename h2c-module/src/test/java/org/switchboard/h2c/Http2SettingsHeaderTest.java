package org.switchboard.h2c;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Base64;
import java.util.Random;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 4 for h2c: whatever a client puts in {@code HTTP2-Settings}, parsing it gives a
 * SETTINGS frame or {@link Http2SettingsHeader.Unusable} (a decline, H1), never another exception.
 */
class Http2SettingsHeaderTest {

    @Test
    void H1_anyHttp2SettingsValueParsesOrIsUnusableNeverThrowsAnythingElse() {
        Random random = new Random(13);
        for (int i = 0; i < 5_000; i++) {
            String value;
            if (i % 3 == 0) {
                // well-formed base64url of random whole settings: ids and values anywhere in their ranges
                byte[] payload = new byte[6 * random.nextInt(8)];
                random.nextBytes(payload);
                value = Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
            } else {
                // anything a header can carry: random visible ASCII, quotes and separators included
                StringBuilder text = new StringBuilder();
                for (int n = random.nextInt(40); n > 0; n--)
                    text.append((char) (0x20 + random.nextInt(0x5F)));
                value = text.toString();
            }
            HttpFields headers = HttpFields.build()
                .put(HttpHeader.CONNECTION, "Upgrade, HTTP2-Settings")
                .put(HttpHeader.HTTP2_SETTINGS, value);
            assertThatCode(() -> {
                try {
                    Http2SettingsHeader.parse(headers);
                } catch (Http2SettingsHeader.Unusable expected) {
                    // a decline with its reason
                }
            }).as(value).doesNotThrowAnyException();
        }
    }
}
