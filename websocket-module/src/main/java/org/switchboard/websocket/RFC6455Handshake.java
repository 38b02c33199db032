package org.switchboard.websocket;

import java.util.Base64;
import java.util.List;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.switchboard.spi.Verdict;

/**
 * The RFC 6455 §4.2.1 checks of an opening handshake that Jetty does not answer the way RFC 6455
 * asks (W1, W3, W4): Jetty lets a wrong version or a non-GET fall through without a response, and
 * accepts any non-empty key. The dispatcher has already checked HTTP/1.1, {@code Upgrade} and
 * {@code Connection: upgrade} (U5, U6) before asking the handler.
 */
final class RFC6455Handshake {

    static final String VERSION = "13";

    private RFC6455Handshake() {
    }

    /** The rejection {@code request} deserves, or {@code null} if it is a valid handshake. */
    static Verdict.Reject problem(Request request) {
        if (!HttpMethod.GET.is(request.getMethod()))
            return Verdict.reject(HttpStatus.BAD_REQUEST_400,
                "WebSocket handshake must be a GET, not " + request.getMethod() + " (RFC 6455 4.1)");

        // Every handshake is checked, so the fields are walked once, by index, for all three headers.
        HttpFields headers = request.getHeaders();
        boolean host = false;
        int versions = 0;
        String version = null;
        int keys = 0;
        String key = null;
        for (int i = 0, n = headers.size(); i < n; i++) {
            HttpField field = headers.getField(i);
            HttpHeader header = field.getHeader();
            if (header == HttpHeader.HOST) {
                host = true;
            } else if (header == HttpHeader.SEC_WEBSOCKET_VERSION) {
                versions++;
                version = field.getValue();
            } else if (header == HttpHeader.SEC_WEBSOCKET_KEY) {
                keys++;
                key = field.getValue();
            }
        }
        if (!host)
            return Verdict.reject(HttpStatus.BAD_REQUEST_400, "WebSocket handshake needs a Host header (RFC 6455 4.1)");
        // The one line "13" every client sends needs no list parsing; anything else is read as a list.
        if (versions != 1 || !VERSION.equals(version)) {
            Verdict.Reject problem = versionProblem(headers);
            if (problem != null)
                return problem;
        }
        if (keys == 0)
            return Verdict.reject(HttpStatus.BAD_REQUEST_400, "WebSocket handshake needs a Sec-WebSocket-Key (RFC 6455 4.1)");
        if (keys > 1)
            return Verdict.reject(HttpStatus.BAD_REQUEST_400, "WebSocket handshake has more than one Sec-WebSocket-Key (RFC 6455 11.3.1)");
        if (!isNonce(key))
            return Verdict.reject(HttpStatus.BAD_REQUEST_400,
                "Sec-WebSocket-Key must be the base64 encoding of 16 bytes (RFC 6455 4.1)");
        return null;
    }

    /**
     * W1, W4: {@code Sec-WebSocket-Version} must be exactly {@code 13}; RFC 8441 keeps this rule. A
     * value that is not even a list (bad quoting, such as {@code "13}) is a bad handshake, 400 (W3);
     * a well-formed list of other versions is one we do not speak, 426 (W4). Client input never
     * makes this throw.
     */
    static Verdict.Reject versionProblem(HttpFields headers) {
        List<String> versions;
        try {
            versions = headers.getCSV(HttpHeader.SEC_WEBSOCKET_VERSION, false);
        } catch (RuntimeException x) {
            // Jetty's list parser throws on unbalanced quotes (an HttpException with status 400).
            return Verdict.reject(HttpStatus.BAD_REQUEST_400,
                "Sec-WebSocket-Version is not a valid list of versions; this server speaks 13 (RFC 6455 4.1)");
        }
        if (versions.isEmpty())
            return Verdict.reject(HttpStatus.BAD_REQUEST_400, "WebSocket handshake needs Sec-WebSocket-Version: 13 (RFC 6455 4.1)");
        if (!versions.equals(List.of(VERSION)))
            return Verdict.reject(HttpStatus.UPGRADE_REQUIRED_426,
                HttpFields.build().put(HttpHeader.SEC_WEBSOCKET_VERSION, VERSION),
                "Unsupported Sec-WebSocket-Version " + String.join(", ", versions) + "; this server speaks 13 (RFC 6455 4.4)");
        return null;
    }

    private static boolean isNonce(String key) {
        // 16 bytes encode to exactly 24 characters ending in "=="; the strict decoder rejects the rest.
        if (key == null || key.length() != 24)
            return false;
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException x) {
            return false;
        }
    }
}
