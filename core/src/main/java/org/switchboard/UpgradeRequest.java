package org.switchboard;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * A request's upgrade headers, parsed: the {@code Upgrade} offers in the client's order of
 * descending preference (U1, U2) and the {@code Connection} options (U6).
 *
 * <p>Parsing follows RFC 9110's list rules: several lines of one field are joined in order,
 * optional whitespace around elements and empty elements ({@code Upgrade: , websocket ,}) are
 * skipped, names keep their case but compare case-insensitively, and an element that is not
 * {@code token ["/" token]} is skipped rather than failing the request (U1). The only failures are
 * the {@link UpgradeLimits} (SB5). Each character is looked at once: parsing is linear in the
 * header's length, with no regular expression; and a value parsed recently is not parsed again,
 * its list is shared (see {@code RecentValues}).
 *
 * @param offers            the well-formed {@code Upgrade} elements, most preferred first
 * @param connectionOptions the {@code Connection} tokens, lower-cased
 */
public record UpgradeRequest(List<UpgradeOffer> offers, List<String> connectionOptions) {

    public UpgradeRequest {
        // What parse built is already immutable; anything else is copied.
        offers = offers instanceof FrozenList ? offers : List.copyOf(offers);
        connectionOptions = connectionOptions instanceof FrozenList ? connectionOptions : List.copyOf(connectionOptions);
    }

    /**
     * Parses the {@code Upgrade} and {@code Connection} lines of {@code fields}.
     *
     * @throws MalformedUpgradeException with status 400 if the {@code Upgrade} lines break {@code limits}
     */
    public static UpgradeRequest parse(HttpFields fields, UpgradeLimits limits) {
        // Nearly every request has one line of each: its value is looked up among the recently
        // parsed ones, and a hit hands its list to the record as is. Further lines are appended to a
        // copy, so a shared array is never written.
        Object[] offers = null;
        int offerCount = 0;
        int elements = 0;
        FrozenList<?> offerList = null;
        Object[] options = null;
        int optionCount = 0;
        FrozenList<?> optionList = null;
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
                    FrozenList<?> line = RECENT_UPGRADES.get(value);
                    // Parsed again under these limits if the remembered parse breaks them: that throws.
                    if (line == null || line.listed() > limits.maxOffers()) {
                        UpgradeOffer[] parsed = new UpgradeOffer[Math.min(elementsAtMost(value), limits.maxOffers())];
                        long counts = parseUpgradeInto(value, parsed, 0, 0, limits.maxOffers());
                        line = RECENT_UPGRADES.put(value, parsed, (int) (counts >>> 32), (int) counts);
                    }
                    offerList = line;
                    offers = line.elements();
                    offerCount = line.size();
                    elements = line.listed();
                } else {
                    UpgradeOffer[] joined = Arrays.copyOf(offers, offerCount + Math.min(elementsAtMost(value), limits.maxOffers()),
                        UpgradeOffer[].class);
                    long counts = parseUpgradeInto(value, joined, offerCount, elements, limits.maxOffers());
                    offerList = null;
                    offers = joined;
                    offerCount = (int) (counts >>> 32);
                    elements = (int) counts;
                }
            } else if (header == HttpHeader.CONNECTION) {
                String value = field.getValue();
                if (value == null)
                    continue;
                if (options == null) {
                    FrozenList<?> line = RECENT_CONNECTIONS.get(value);
                    if (line == null) {
                        String[] parsed = new String[elementsAtMost(value)];
                        int count = parseTokensInto(value, parsed, 0);
                        line = RECENT_CONNECTIONS.put(value, parsed, count, count);
                    }
                    optionList = line;
                    options = line.elements();
                    optionCount = line.size();
                } else {
                    String[] joined = Arrays.copyOf(options, optionCount + elementsAtMost(value), String[].class);
                    optionCount = parseTokensInto(value, joined, optionCount);
                    optionList = null;
                    options = joined;
                }
            }
        }
        return new UpgradeRequest(
            offerList != null ? cast(offerList) : offerCount == 0 ? List.of() : new FrozenList<>(offers, offerCount),
            optionList != null ? cast(optionList) : optionCount == 0 ? List.of() : new FrozenList<>(options, optionCount));
    }

    /** What recent {@code Upgrade} and {@code Connection} values parsed to (see {@link RecentValues}). */
    private static final RecentValues RECENT_UPGRADES = new RecentValues();
    private static final RecentValues RECENT_CONNECTIONS = new RecentValues();

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(FrozenList<?> list) {
        // The caches keep lists of one element type each: offers in one, options in the other.
        return (List<T>) list;
    }

    /**
     * Parses one {@code Upgrade} value on its own, with {@link UpgradeLimits#maxOffers()} applied.
     *
     * @throws MalformedUpgradeException with status 400 if the value breaks {@code limits}
     */
    public static List<UpgradeOffer> parseUpgrade(String value, UpgradeLimits limits) {
        if (value.length() > limits.maxUpgradeLength())
            throw new MalformedUpgradeException(400,
                "Upgrade header is longer than " + limits.maxUpgradeLength() + " characters");
        UpgradeOffer[] offers = new UpgradeOffer[Math.min(elementsAtMost(value), limits.maxOffers())];
        int count = (int) (parseUpgradeInto(value, offers, 0, 0, limits.maxOffers()) >>> 32);
        return new FrozenList<>(offers, count);
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

    /** Whether {@code Connection} carries the {@code upgrade} option, without which nothing is switched (U6). */
    public boolean connectionUpgrade() {
        return connectionOptions.contains("upgrade");
    }

    /** Whether the client offered any protocol at all. */
    public boolean hasOffers() {
        return !offers.isEmpty();
    }

    /** Elements in a list value at most: one more than its commas. */
    private static int elementsAtMost(String value) {
        int commas = 0;
        for (int i = 0, n = value.length(); i < n; i++) {
            if (value.charAt(i) == ',')
                commas++;
        }
        return commas + 1;
    }

    /**
     * Parses {@code value}'s offers into {@code offers} from {@code count} on, counting non-empty
     * elements from {@code elements} on (SB5).
     *
     * @return the new offer count in the high 32 bits, the new element count in the low ones
     */
    private static long parseUpgradeInto(String value, UpgradeOffer[] offers, int count, int elements, int maxOffers) {
        int n = value.length();
        int i = 0;
        while (i < n) {
            while (i < n && (Tokens.isOws(value.charAt(i)) || value.charAt(i) == ','))
                i++;
            if (i == n)
                break;
            int start = i;
            int slash = -1;
            // One look at each character: a well-formed element is tchars around at most one '/',
            // with whitespace allowed only after its last tchar (trailing OWS, trimmed below).
            boolean wellFormed = true;
            boolean sawOws = false;
            while (i < n) {
                char c = value.charAt(i);
                if (c == ',')
                    break;
                if (Tokens.isOws(c)) {
                    sawOws = true;
                } else {
                    if (sawOws || !(Tokens.isTchar(c) || (c == '/' && slash < 0)))
                        wellFormed = false;
                    if (c == '/' && slash < 0)
                        slash = i;
                }
                i++;
            }
            int end = i;
            while (end > start && Tokens.isOws(value.charAt(end - 1)))
                end--;
            if (++elements > maxOffers)
                throw new MalformedUpgradeException(400, "Upgrade header lists more than " + maxOffers + " protocols");
            if (!wellFormed || (slash >= 0 && (slash == start || slash == end - 1)))
                continue;
            offers[count++] = slash < 0
                ? new UpgradeOffer(value.substring(start, end), null)
                : new UpgradeOffer(value.substring(start, slash), value.substring(slash + 1, end));
        }
        return ((long) count << 32) | elements;
    }

    /** Parses {@code value}'s tokens, lower-cased, into {@code tokens} from {@code count} on; returns the new count. */
    private static int parseTokensInto(String value, String[] tokens, int count) {
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
        return count;
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
