package org.switchboard;

import java.util.ArrayList;
import java.util.Collections;
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
 * header's length, with no regular expression.
 *
 * @param offers            the well-formed {@code Upgrade} elements, most preferred first
 * @param connectionOptions the {@code Connection} tokens, lower-cased
 */
public record UpgradeRequest(List<UpgradeOffer> offers, List<String> connectionOptions) {

    public UpgradeRequest {
        offers = List.copyOf(offers);
        connectionOptions = List.copyOf(connectionOptions);
    }

    /**
     * Parses the {@code Upgrade} and {@code Connection} lines of {@code fields}.
     *
     * @throws MalformedUpgradeException with status 400 if the {@code Upgrade} lines break {@code limits}
     */
    public static UpgradeRequest parse(HttpFields fields, UpgradeLimits limits) {
        List<UpgradeOffer> offers = null;
        List<String> options = null;
        int length = 0;
        int[] elements = {0};
        for (HttpField field : fields) {
            HttpHeader header = field.getHeader();
            if (header == HttpHeader.UPGRADE) {
                String value = field.getValue();
                if (value == null)
                    continue;
                length += value.length();
                if (length > limits.maxUpgradeLength())
                    throw new MalformedUpgradeException(400,
                        "Upgrade header is longer than " + limits.maxUpgradeLength() + " characters");
                if (offers == null)
                    offers = new ArrayList<>(4);
                parseUpgradeInto(value, offers, elements, limits.maxOffers());
            } else if (header == HttpHeader.CONNECTION) {
                if (options == null)
                    options = new ArrayList<>(2);
                parseTokensInto(field.getValue(), options);
            }
        }
        return new UpgradeRequest(
            offers == null ? List.of() : offers,
            options == null ? List.of() : options);
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
        List<UpgradeOffer> offers = new ArrayList<>(4);
        parseUpgradeInto(value, offers, new int[]{0}, limits.maxOffers());
        return Collections.unmodifiableList(offers);
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

    private static void parseUpgradeInto(String value, List<UpgradeOffer> offers, int[] elements, int maxOffers) {
        int n = value.length();
        int i = 0;
        while (i < n) {
            while (i < n && (Tokens.isOws(value.charAt(i)) || value.charAt(i) == ','))
                i++;
            if (i == n)
                break;
            int start = i;
            int slash = -1;
            boolean wellFormed = true;
            while (i < n && value.charAt(i) != ',') {
                char c = value.charAt(i);
                if (c == '/' && slash < 0)
                    slash = i;
                else if (!Tokens.isTchar(c) && !Tokens.isOws(c))
                    wellFormed = false;
                i++;
            }
            int end = i;
            while (end > start && Tokens.isOws(value.charAt(end - 1)))
                end--;
            if (++elements[0] > maxOffers)
                throw new MalformedUpgradeException(400, "Upgrade header lists more than " + maxOffers + " protocols");
            if (!wellFormed)
                continue;
            if (slash < 0) {
                if (Tokens.isToken(value, start, end))
                    offers.add(new UpgradeOffer(value.substring(start, end), null));
            } else if (Tokens.isToken(value, start, slash) && Tokens.isToken(value, slash + 1, end)) {
                offers.add(new UpgradeOffer(value.substring(start, slash), value.substring(slash + 1, end)));
            }
        }
    }

    private static void parseTokensInto(String value, List<String> tokens) {
        if (value == null)
            return;
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
                tokens.add(value.substring(start, end).toLowerCase(Locale.ROOT));
        }
    }
}
