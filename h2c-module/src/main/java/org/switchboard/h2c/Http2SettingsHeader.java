package org.switchboard.h2c;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http2.parser.SettingsBodyParser;
import org.switchboard.spi.UpgradeHeaders;

/**
 * Reads the client's {@code HTTP2-Settings} (RFC 7540 §3.2.1) as rule H1 demands: exactly one
 * field, named as a {@code Connection} option, whose value is the base64url payload of a valid
 * SETTINGS frame. Anything else is a reason to decline, never an error: the client merely offered
 * h2c and is served on HTTP/1.1.
 */
final class Http2SettingsHeader {

    /** Thrown with the reason the offer is declined, for the dispatcher's debug log. */
    static final class Unusable extends Exception {
        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final int SETTING_LENGTH = 6;

    private Http2SettingsHeader() {
    }

    /**
     * The SETTINGS frame carried by {@code headers}, or {@link Unusable} saying why there is none.
     *
     * @param connectionOptions the request's {@code Connection} tokens, as the dispatcher parsed them
     */
    static SettingsFrame parse(HttpFields headers, UpgradeHeaders connectionOptions) throws Unusable {
        List<HttpField> fields = headers.getFields(HttpHeader.HTTP2_SETTINGS);
        if (fields.isEmpty())
            throw new Unusable("no HTTP2-Settings header (H1)");
        if (fields.size() > 1)
            throw new Unusable(fields.size() + " HTTP2-Settings headers, exactly one is allowed (H1)");
        // RFC 7540 §3.2.1: the field is hop-by-hop, so it must be named in Connection.
        if (!connectionOptions.hasConnectionOption(HttpHeader.HTTP2_SETTINGS.asString()))
            throw new Unusable("Connection does not list HTTP2-Settings (H1)");

        String value = fields.get(0).getValue();
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(value == null ? "" : value.trim());
        } catch (IllegalArgumentException x) {
            throw new Unusable("HTTP2-Settings is not base64url (H1)");
        }
        if (payload.length % SETTING_LENGTH != 0)
            throw new Unusable("HTTP2-Settings payload is " + payload.length + " bytes, not a multiple of 6 (H1)");
        SettingsFrame frame = SettingsBodyParser.parseBody(ByteBuffer.wrap(payload));
        if (frame == null)
            throw new Unusable("HTTP2-Settings is not a valid SETTINGS payload (H1)");
        checkValues(frame.getSettings());
        return frame;
    }

    // Jetty would only find these once the connection is HTTP/2 and answer with a GOAWAY; checked
    // here they become a decline and the request is still served (RFC 9113 §6.5.2 ranges).
    private static void checkValues(Map<Integer, Integer> settings) throws Unusable {
        for (Map.Entry<Integer, Integer> setting : settings.entrySet()) {
            long value = Integer.toUnsignedLong(setting.getValue());
            boolean valid = switch (setting.getKey()) {
                case SettingsFrame.ENABLE_PUSH, SettingsFrame.ENABLE_CONNECT_PROTOCOL -> value <= 1;
                case SettingsFrame.INITIAL_WINDOW_SIZE -> value <= Integer.MAX_VALUE;
                case SettingsFrame.MAX_FRAME_SIZE -> value >= 16_384 && value <= 16_777_215;
                default -> true;
            };
            if (!valid)
                throw new Unusable("HTTP2-Settings has setting " + setting.getKey() + " out of range: " + value + " (H1)");
        }
    }
}
