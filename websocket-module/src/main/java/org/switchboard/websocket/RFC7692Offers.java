package org.switchboard.websocket;

/**
 * RFC 7692 §7 {@code permessage-deflate} offers in a {@code Sec-WebSocket-Extensions} value, checked
 * before Jetty negotiates them (W7): which offers this server can honour, which it must decline.
 *
 * <p>Shape read, per element of one header line (RFC 6455 §9.1, with the implied linear white
 * space of its grammar around {@code ,} {@code ;} {@code =}):
 * <pre>
 * Sec-WebSocket-Extensions = 1#extension
 * extension       = extension-token *( ";" extension-param )
 * extension-param = token [ "=" ( token | quoted-string ) ]   ; unquoted, a quoted value must be a token
 * </pre>
 * What happens to each element:
 * <ul>
 *   <li><b>malformed</b> (no or a bad token, a bad or empty value, an unterminated quoted-string —
 *       which swallows the rest of the line —, anything after a value but {@code ;} or {@code ,}):
 *       dropped, whatever its extension. Jetty's own parsing would refuse the whole handshake, with a
 *       {@code 400} or a {@code 500}.</li>
 *   <li>a well-formed extension other than {@code permessage-deflate} (any case): kept verbatim,
 *       for Jetty to treat as before (it drops those it does not know).</li>
 *   <li>a well-formed {@code permessage-deflate} offer is declined — dropped, so that the next
 *       offer or no compression is used — when RFC 7692 §7.1 says the server must decline it or it
 *       asks for what this server cannot do:
 *       <ul>
 *         <li>a parameter other than the four of §7.1 (names compare exactly, as Jetty's do);</li>
 *         <li>a parameter given twice (§7.1);</li>
 *         <li>{@code server_no_context_takeover} or {@code client_no_context_takeover} with a value
 *             (§7.1.1.1, §7.1.1.2);</li>
 *         <li>{@code server_max_window_bits} without a value or with one that is not a decimal
 *             8..15 without leading zero (§7.1.2.1), or with a value under 15: the JDK's
 *             {@code Deflater}, which Jetty uses, always compresses with a 32 KiB (15-bit) window;</li>
 *         <li>{@code client_max_window_bits} with a value that is not a decimal 8..15 without
 *             leading zero (§7.1.2.2); without a value, or with one, it is kept (the server inflates
 *             with a 15-bit window, which decodes any smaller one).</li>
 *       </ul></li>
 *   <li>empty elements ({@code a,,b}) are ignored, as RFC 9110 §5.6.1 asks of list recipients.</li>
 * </ul>
 * The check is one pass over the value, without regular expressions, and allocates nothing when
 * every element is kept.
 */
final class RFC7692Offers {

    static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    private static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    private static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    /** The only LZ77 window the JDK's Deflater (and so Jetty) compresses with: 2^15 bytes. */
    private static final int SERVER_WINDOW_BITS = 15;

    /** {@link #value} when there is no {@code =value}, or when the value is not a window size. */
    private static final int NONE = -1;
    private static final int NOT_A_WINDOW = -2;

    private final String text;
    private final int end;
    private int at;

    /** Set by {@link #value}: the window size the value spells, {@link #NONE} or {@link #NOT_A_WINDOW}. */
    private int window;

    private RFC7692Offers(String text) {
        this.text = text;
        this.end = text.length();
    }

    /**
     * One {@code Sec-WebSocket-Extensions} line with its malformed elements and the
     * {@code permessage-deflate} offers this server must decline removed.
     *
     * @param value one header line's value; never {@code null}
     * @return {@code value} itself — the same instance — when every element is kept (the common case,
     *         which allocates nothing); otherwise the kept elements, verbatim, joined with {@code ", "},
     *         or {@code ""} when none is left
     */
    static String filter(String value) {
        return new RFC7692Offers(value).filter();
    }

    private String filter() {
        StringBuilder kept = null;
        // While nothing has been dropped, the kept elements are value[firstKept, lastKeptEnd).
        int firstKept = -1;
        int lastKeptEnd = -1;
        while (at <= end) {
            skipSpace();
            int start = at;
            boolean keep;
            if (at == end || text.charAt(at) == ',') {
                keep = true; // empty element: ignored, nothing to drop
            } else {
                keep = element();
                if (!keep)
                    skipToComma();
            }
            int elementEnd = trimmedEnd(start);
            if (!keep) {
                if (kept == null) {
                    kept = new StringBuilder(end);
                    if (firstKept >= 0)
                        kept.append(text, firstKept, lastKeptEnd);
                }
            } else if (elementEnd > start) {
                if (kept != null) {
                    if (kept.length() > 0)
                        kept.append(", ");
                    kept.append(text, start, elementEnd);
                } else {
                    if (firstKept < 0)
                        firstKept = start;
                    lastKeptEnd = elementEnd;
                }
            }
            at++; // past the comma, or past the end
        }
        return kept == null ? text : kept.toString();
    }

    /**
     * Reads one non-empty element up to (not past) its comma or the end.
     *
     * @return whether to keep it; {@code false} for a malformed element (the cursor is then left
     *         where the error was, outside any quoted-string) or a declined offer
     */
    private boolean element() {
        int nameStart = at;
        if (!token())
            return false;
        boolean deflate = at - nameStart == PERMESSAGE_DEFLATE.length()
            && text.regionMatches(true, nameStart, PERMESSAGE_DEFLATE, 0, PERMESSAGE_DEFLATE.length());
        boolean honoured = true;
        int seen = 0;
        while (true) {
            skipSpace();
            if (at == end || text.charAt(at) == ',')
                return honoured;
            if (text.charAt(at) != ';')
                return false;
            at++;
            skipSpace();
            int paramStart = at;
            if (!token())
                return false;
            int paramEnd = at;
            skipSpace();
            boolean hasValue = at < end && text.charAt(at) == '=';
            window = NONE;
            if (hasValue) {
                at++;
                skipSpace();
                if (!value())
                    return false;
            }
            if (deflate && honoured) {
                int bit = parameter(paramStart, paramEnd);
                if (bit == 0 || (seen & bit) != 0) {
                    honoured = false; // unknown or repeated (RFC 7692 §7.1)
                } else {
                    seen |= bit;
                    honoured = honours(bit, hasValue);
                }
            }
        }
    }

    /** Whether the server can accept one (known, first) parameter of a permessage-deflate offer. */
    private boolean honours(int parameter, boolean hasValue) {
        return switch (parameter) {
            case 1, 2 -> !hasValue;                                          // §7.1.1.1, §7.1.1.2
            // §7.1.2.1: a value of 8..15 is valid, but only one no smaller than our window can be honoured.
            case 4 -> window >= 8 && window <= 15 && SERVER_WINDOW_BITS <= window;
            case 8 -> !hasValue || (window >= 8 && window <= 15);           // §7.1.2.2
            default -> false;
        };
    }

    /** 1, 2, 4, 8 for the four RFC 7692 §7.1 parameters, 0 for any other name. */
    private int parameter(int start, int stop) {
        int length = stop - start;
        if (length == SERVER_NO_CONTEXT_TAKEOVER.length() && text.startsWith(SERVER_NO_CONTEXT_TAKEOVER, start))
            return 1;
        if (length == CLIENT_NO_CONTEXT_TAKEOVER.length() && text.startsWith(CLIENT_NO_CONTEXT_TAKEOVER, start))
            return 2;
        if (length == SERVER_MAX_WINDOW_BITS.length() && text.startsWith(SERVER_MAX_WINDOW_BITS, start))
            return 4;
        if (length == CLIENT_MAX_WINDOW_BITS.length() && text.startsWith(CLIENT_MAX_WINDOW_BITS, start))
            return 8;
        return 0;
    }

    /** A token, or a quoted-string whose unquoted content is a token; sets {@link #window}. */
    private boolean value() {
        window = NONE;
        if (at < end && text.charAt(at) == '"') {
            at++;
            int length = 0;
            boolean valid = true;
            while (true) {
                if (at == end)
                    return false; // unterminated: the rest of the line is inside it
                char c = text.charAt(at++);
                if (c == '"')
                    break;
                if (c == '\\') {
                    if (at == end)
                        return false;
                    c = text.charAt(at++);
                }
                if (!isTchar(c))
                    valid = false; // keep reading to the closing quote, so the cursor ends outside
                else
                    digit(c, length++);
            }
            return valid && length > 0;
        }
        int start = at;
        while (at < end && isTchar(text.charAt(at)))
            digit(text.charAt(at), at++ - start);
        return at > start;
    }

    /** Folds the {@code index}-th character of a value into {@link #window}: 8..15, no leading zero. */
    private void digit(char c, int index) {
        if (index == 0)
            window = c >= '1' && c <= '9' ? c - '0' : NOT_A_WINDOW;
        else if (window >= 1 && window <= 9 && c >= '0' && c <= '9' && index == 1)
            window = window * 10 + (c - '0');
        else
            window = NOT_A_WINDOW;
    }

    private boolean token() {
        int start = at;
        while (at < end && isTchar(text.charAt(at)))
            at++;
        return at > start;
    }

    private void skipSpace() {
        while (at < end && (text.charAt(at) == ' ' || text.charAt(at) == '\t'))
            at++;
    }

    /** From outside a quoted-string to the next comma outside one, or the end. */
    private void skipToComma() {
        boolean quoted = false;
        while (at < end) {
            char c = text.charAt(at);
            if (quoted) {
                if (c == '\\')
                    at++;
                else if (c == '"')
                    quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                return;
            }
            at++;
        }
        at = end;
    }

    /** The end of the element that started at {@code start}, without the white space before the cursor. */
    private int trimmedEnd(int start) {
        int stop = at;
        while (stop > start && (text.charAt(stop - 1) == ' ' || text.charAt(stop - 1) == '\t'))
            stop--;
        return stop;
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isTchar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
            return true;
        return switch (c) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }
}
