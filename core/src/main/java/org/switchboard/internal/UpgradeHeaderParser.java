package org.switchboard.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.switchboard.spi.UpgradeHeaders;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.UpgradeLimits;

/**
 * Parses a request's upgrade headers into {@link UpgradeHeaders}: the {@code Upgrade} offers in the
 * client's order of descending preference (U1, U2) and the {@code Connection} options (U6).
 *
 * <p>Parsing follows RFC 9110's list rules: several lines of one field are joined in order,
 * optional whitespace around elements and empty elements ({@code Upgrade: , websocket ,}) are
 * skipped, names keep their case but compare case-insensitively, and an element that is not
 * {@code token ["/" token]} is skipped rather than failing the request (U1). The only failures are
 * the {@link UpgradeLimits} (SB5). Each character is looked at once: parsing is linear in the
 * header's length, with no regular expression; and a value parsed recently is not parsed again,
 * its list is shared (see {@code RecentValues}), and so is the record when the request's two values
 * both recur. An element that spells one of the handlers' own offers exactly is that shared offer
 * ({@link KnownOffers}): a value not seen lately builds only its list and the offers nobody declares.
 */
public final class UpgradeHeaderParser {

    private UpgradeHeaderParser() {
    }

    /**
     * Parses the {@code Upgrade} and {@code Connection} lines of {@code fields}, every offer built
     * from its characters.
     *
     * @throws MalformedUpgradeException with status 400 if the {@code Upgrade} lines break {@code limits}
     */
    public static UpgradeHeaders parse(HttpFields fields, UpgradeLimits limits) {
        return parse(fields, limits, KnownOffers.NONE);
    }

    /**
     * Parses the {@code Upgrade} and {@code Connection} lines of {@code fields}; an element that
     * spells one of {@code known} exactly is that shared offer.
     *
     * @throws MalformedUpgradeException with status 400 if the {@code Upgrade} lines break {@code limits}
     */
    public static UpgradeHeaders parse(HttpFields fields, UpgradeLimits limits, KnownOffers known) {
        // Nearly every request has one line of each: its value is looked up among the recently
        // parsed ones, and a hit hands its list to the record as is. Further lines are appended to a
        // copy, so a shared array is never written.
        FrozenList<UpgradeOffer> offers = null;
        FrozenList<String> options = null;
        int length = 0;
        for (int f = 0, n = fields.size(); f < n; f++) {
            HttpField field = fields.getField(f);
            HttpHeader header = field.getHeader();
            if (header == HttpHeader.UPGRADE) {
                String value = field.getValue();
                if (value == null)
                    continue;
                length += value.length();
                if (length > limits.maxUpgradeLength())
                    throw new MalformedUpgradeException(400,
                        "Upgrade header is longer than " + limits.maxUpgradeLength() + " characters");
                if (offers == null) {
                    offers = RECENT_UPGRADES.get(value);
                    // Parsed again under these limits if the remembered parse breaks them: that throws.
                    if (offers == null || offers.listed() > limits.maxOffers())
                        offers = RECENT_UPGRADES.remember(parseUpgradeAfter(null, value, limits.maxOffers(), known));
                } else {
                    offers = parseUpgradeAfter(offers, value, limits.maxOffers(), known);
                }
            } else if (header == HttpHeader.CONNECTION) {
                String value = field.getValue();
                if (value == null)
                    continue;
                if (options == null) {
                    options = RECENT_CONNECTIONS.get(value);
                    if (options == null)
                        options = RECENT_CONNECTIONS.remember(parseTokensAfter(null, value));
                } else {
                    options = parseTokensAfter(options, value);
                }
            }
        }
        if (offers == null)
            return new UpgradeHeaders(List.of(), options == null ? List.of() : options);
        // The usual request repeats the last one's values: the record it got is shared too.
        return offers.headersWith(options == null ? FrozenList.empty() : options);
    }

    /**
     * Whether {@code fields} has an {@code Upgrade} line. Walked by index: Jetty's
     * {@code HttpFields.contains} walks an iterator, which only a fully optimised caller does not allocate.
     */
    public static boolean hasUpgrade(HttpFields fields) {
        for (int f = 0, n = fields.size(); f < n; f++) {
            if (fields.getField(f).getHeader() == HttpHeader.UPGRADE)
                return true;
        }
        return false;
    }

    /** What recent {@code Upgrade} and {@code Connection} values parsed to (see {@link RecentValues}). */
    private static final RecentValues<UpgradeOffer> RECENT_UPGRADES = new RecentValues<>();
    private static final RecentValues<String> RECENT_CONNECTIONS = new RecentValues<>();

    /**
     * Parses one {@code Upgrade} value on its own, with {@link UpgradeLimits#maxOffers()} applied.
     *
     * @throws MalformedUpgradeException with status 400 if the value breaks {@code limits}
     */
    public static List<UpgradeOffer> parseUpgrade(String value, UpgradeLimits limits) {
        if (value.length() > limits.maxUpgradeLength())
            throw new MalformedUpgradeException(400,
                "Upgrade header is longer than " + limits.maxUpgradeLength() + " characters");
        return parseUpgradeAfter(null, value, limits.maxOffers(), KnownOffers.NONE);
    }

    /**
     * Parses the {@code :protocol} of an extended CONNECT request (RFC 8441 §4): one offer, with the
     * grammar of one {@code Upgrade} element (U1, C1) — {@code relay/1}, {@code websocket} — and
     * {@link UpgradeLimits#maxUpgradeLength()} applied (SB5). Whitespace, a list, or anything that
     * is not {@code token ["/" token]} is malformed: unlike a list element, which could be skipped,
     * it is the request's only offer.
     *
     * @throws MalformedUpgradeException with status 400 if {@code value} is not exactly one well-formed offer
     */
    public static UpgradeOffer parseConnectProtocol(String value, UpgradeLimits limits) {
        if (value.length() > limits.maxUpgradeLength())
            throw new MalformedUpgradeException(400, ":protocol is longer than " + limits.maxUpgradeLength() + " characters");
        int slash = value.indexOf('/');
        boolean wellFormed = slash < 0
            ? Tokens.isToken(value)
            : Tokens.isToken(value, 0, slash) && Tokens.isToken(value, slash + 1, value.length());
        if (!wellFormed)
            throw new MalformedUpgradeException(400,
                ":protocol must be one protocol, a token with an optional /version token, as one Upgrade element (RFC 8441 4, RFC 9110 7.8)");
        return slash < 0 ? new UpgradeOffer(value, null) : new UpgradeOffer(value.substring(0, slash), value.substring(slash + 1));
    }

    /** Formats offers as an {@code Upgrade} value: the inverse of {@link #parseUpgrade}. */
    public static String format(List<UpgradeOffer> offers) {
        StringBuilder out = new StringBuilder();
        for (UpgradeOffer offer : offers) {
            if (out.length() > 0)
                out.append(", ");
            out.append(offer);
        }
        return out.toString();
    }

    /** Elements in a list value at most: one more than its commas. */
    private static int elementsAtMost(String value) {
        // indexOf is an intrinsic that skips the characters between commas several at a time.
        int elements = 1;
        for (int comma = value.indexOf(','); comma >= 0; comma = value.indexOf(',', comma + 1))
            elements++;
        return elements;
    }

    /**
     * Parses {@code value}'s offers after those of {@code before} (the earlier {@code Upgrade} lines,
     * or {@code null}), counting non-empty elements after {@code before}'s (SB5). A first line's list
     * remembers {@code value} as its source; a joined one has none.
     */
    private static FrozenList<UpgradeOffer> parseUpgradeAfter(FrozenList<UpgradeOffer> before, String value, int maxOffers,
                                                              KnownOffers known) {
        int room = Math.min(elementsAtMost(value), maxOffers);
        UpgradeOffer[] offers = before == null
            ? new UpgradeOffer[room]
            : Arrays.copyOf(before.elements(), before.size() + room, UpgradeOffer[].class);
        int count = before == null ? 0 : before.size();
        int elements = before == null ? 0 : before.listed();
        int n = value.length();
        int i = 0;
        while (i < n) {
            char c = value.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            // One look at each character, one table lookup for its class: a well-formed element is
            // tchars around at most one '/', with whitespace allowed only after its last tchar
            // (trailing OWS, where the element ends). Its known-offer hash is taken on the way.
            int start = i;
            int slash = -1;
            int end = -1;
            int hash = 0;
            boolean wellFormed = true;
            for (; i < n; i++) {
                c = value.charAt(i);
                int kind = c < 128 ? KIND[c] : OTHER;
                if (kind == COMMA)
                    break;
                if (kind == OWS) {
                    if (end < 0)
                        end = i;
                    continue;
                }
                if (end >= 0 || kind == OTHER || (kind == SLASH && slash >= 0))
                    wellFormed = false;
                else if (kind == SLASH)
                    slash = i;
                hash = KnownOffers.step(hash, c);
            }
            if (end < 0)
                end = i;
            if (++elements > maxOffers)
                throw new MalformedUpgradeException(400, "Upgrade header lists more than " + maxOffers + " protocols");
            if (!wellFormed || slash == start || slash == end - 1)
                continue;
            UpgradeOffer offer = known.find(value, start, end, hash);
            if (offer == null)
                offer = slash < 0
                    ? new UpgradeOffer(value.substring(start, end), null)
                    : new UpgradeOffer(value.substring(start, slash), value.substring(slash + 1, end));
            offers[count++] = offer;
        }
        return new FrozenList<>(offers, count, before == null ? value : null, elements);
    }

    /** What each ASCII character is to the {@code Upgrade} grammar (U1); anything else is {@link #OTHER}. */
    private static final byte OTHER = 0;
    private static final byte TCHAR = 1;
    private static final byte OWS = 2;
    private static final byte SLASH = 3;
    private static final byte COMMA = 4;
    private static final byte[] KIND = new byte[128];

    static {
        for (char c = 0; c < 128; c++)
            KIND[c] = Tokens.isTchar(c) ? TCHAR : Tokens.isOws(c) ? OWS : c == '/' ? SLASH : c == ',' ? COMMA : OTHER;
    }

    /** Parses {@code value}'s tokens, lower-cased, after those of {@code before} (or {@code null}), as {@link #parseUpgradeAfter}. */
    private static FrozenList<String> parseTokensAfter(FrozenList<String> before, String value) {
        String[] tokens = before == null
            ? new String[elementsAtMost(value)]
            : Arrays.copyOf(before.elements(), before.size() + elementsAtMost(value), String[].class);
        int count = before == null ? 0 : before.size();
        int n = value.length();
        int i = 0;
        while (i < n) {
            while (i < n && (Tokens.isOws(value.charAt(i)) || value.charAt(i) == ','))
                i++;
            int start = i;
            while (i < n && value.charAt(i) != ',')
                i++;
            int end = i;
            while (end > start && Tokens.isOws(value.charAt(end - 1)))
                end--;
            if (Tokens.isToken(value, start, end))
                tokens[count++] = lowerCase(value, start, end);
        }
        return new FrozenList<>(tokens, count, before == null ? value : null, count);
    }

    /** The options every upgrade request carries come as constants, whatever their case: no allocation. */
    private static final String[] COMMON_OPTIONS = {"upgrade", "keep-alive", "close", "http2-settings"};

    private static String lowerCase(String value, int start, int end) {
        for (String option : COMMON_OPTIONS) {
            if (option.length() == end - start && value.regionMatches(true, start, option, 0, end - start))
                return option;
        }
        return value.substring(start, end).toLowerCase(Locale.ROOT);
    }
}
