package org.switchboard.relay;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jetty.http.HttpField;

/**
 * The header fields of relay/2's resume extension (PROTOCOL.md, "Resume (relay/2, optional
 * extension)"), written and read the same way by the server and {@link RelayClient}:
 * {@code Relay-Resume: <token>; received=<n>} in the request, {@code Relay-Session: <token>} and
 * {@code Relay-Resumed: yes; received=<m>} or {@code no; reason="…"} in the 101. Every parse is
 * one pass over the value and ends in a value or an {@link IllegalArgumentException} whose message
 * is one line for a 400.
 */
final class ResumeFields {

    static final String RESUME = "Relay-Resume";
    static final String SESSION = "Relay-Session";
    static final String RESUMED = "Relay-Resumed";

    /** 16 random bytes: 128 bits, 22 characters of URL-safe base64. */
    private static final int TOKEN_BYTES = 16;
    private static final int MIN_TOKEN = 16;
    private static final int MAX_TOKEN = 128;
    private static final int MAX_REASON = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ResumeFields() {
    }

    /** What a {@code Relay-Resume} request field says: the session and how many of its server messages the client handled. */
    record Request(String token, long received) {
        @Override
        public String toString() {
            return token + "; received=" + received;
        }
    }

    /** What a {@code Relay-Resumed} field says: resumed with {@code received} = m, or not, with a reason. */
    record Answer(boolean resumed, long received, String reason) {
        @Override
        public String toString() {
            return resumed ? "yes; received=" + received : "no; reason=" + quote(reason);
        }
    }

    /** A fresh session token: 128 bits from {@link SecureRandom}, URL-safe base64 without padding. */
    static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code token} has a session token's shape: 16 to 128 characters of the URL-safe base64 alphabet. */
    static boolean isToken(String token) {
        if (token.length() < MIN_TOKEN || token.length() > MAX_TOKEN)
            return false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'))
                return false;
        }
        return true;
    }

    /**
     * Reads {@code Relay-Resume: <token>; received=<n>}; other parameters are ignored (room for
     * later versions of the extension).
     *
     * @throws IllegalArgumentException with a one-line reason if the value is malformed
     */
    static Request parseRequest(String value) {
        Fields fields = Fields.parse(RESUME, value);
        if (!isToken(fields.first))
            throw new IllegalArgumentException(RESUME + " must start with a session token (16 to 128 URL-safe base64 characters)");
        String received = fields.parameters.get("received");
        if (received == null)
            throw new IllegalArgumentException(RESUME + " needs received=<count>");
        return new Request(fields.first, count(RESUME, received));
    }

    /**
     * Reads {@code Relay-Resumed: yes; received=<m>} or {@code no; reason="…"}.
     *
     * @throws IllegalArgumentException with a one-line reason if the value is malformed
     */
    static Answer parseAnswer(String value) {
        Fields fields = Fields.parse(RESUMED, value);
        switch (fields.first.toLowerCase(Locale.ROOT)) {
            case "yes" -> {
                String received = fields.parameters.get("received");
                if (received == null)
                    throw new IllegalArgumentException(RESUMED + ": yes needs received=<count>");
                return new Answer(true, count(RESUMED, received), "");
            }
            case "no" -> {
                return new Answer(false, 0, fields.parameters.getOrDefault("reason", ""));
            }
            default -> throw new IllegalArgumentException(RESUMED + " must be yes or no");
        }
    }

    /** {@code reason} as a quoted-string (RFC 9110 §5.6.4) of at most 200 characters, control characters as spaces. */
    static String quote(String reason) {
        StringBuilder quoted = new StringBuilder("\"");
        int end = Math.min(reason.length(), MAX_REASON);
        for (int i = 0; i < end; i++) {
            char c = reason.charAt(i);
            if (c < 0x20 || c == 0x7F || c > 0xFF)
                c = c > 0xFF ? '?' : ' ';
            if (c == '"' || c == '\\')
                quoted.append('\\');
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }

    private static long count(String field, String digits) {
        if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9'))
            throw new IllegalArgumentException(field + ": received must be a count from 0 to 2^63-1");
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException(field + ": received must be a count from 0 to 2^63-1");
        }
    }

    /** {@code first *( OWS ";" OWS name "=" value )} as Jetty reads parameters (RFC 9110 §5.6.6), names in lower case. */
    private record Fields(String first, Map<String, String> parameters) {

        static Fields parse(String field, String value) {
            Map<String, String> raw = new LinkedHashMap<>();
            String first;
            try {
                first = HttpField.getValueParameters(value, raw);
            } catch (RuntimeException x) {
                throw new IllegalArgumentException(field + " is malformed");
            }
            if (first == null || first.isBlank())
                throw new IllegalArgumentException(field + " is empty");
            Map<String, String> parameters = new LinkedHashMap<>();
            raw.forEach((name, parameter) -> parameters.put(name.trim().toLowerCase(Locale.ROOT), parameter == null ? "" : parameter.trim()));
            return new Fields(first.trim(), parameters);
        }
    }
}
