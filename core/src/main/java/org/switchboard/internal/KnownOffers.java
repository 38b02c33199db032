package org.switchboard.internal;

import java.util.List;

import org.switchboard.spi.UpgradeOffer;

/**
 * The offers a dispatcher's handlers speak — each protocol bare and with each version it declares
 * ({@code websocket}, {@code relay}, {@code relay/2}, {@code relay/1}) — as shared, immutable
 * {@link UpgradeOffer}s. When an {@code Upgrade} element spells one of them exactly, the parser
 * hands out the shared offer instead of building one from substrings: the offers real clients send
 * cost no allocation, and their names are the handlers' own strings, so the negotiator's
 * comparisons end at the first identity check. An element that differs in any character (case
 * included: names keep the client's spelling, U1) is built as before.
 *
 * <p>Looked up by a hash the parser computes in its one pass over the element
 * ({@link #step(int, char)}), over a small open-addressing table: no allocation, no iteration over
 * the offers.
 */
public final class KnownOffers {

    /** No known offers: every element is built from its characters. */
    public static final KnownOffers NONE = new KnownOffers(List.of());

    /** The known offers by slot; a slot's offer reads as {@code spelled[slot]}. */
    private final UpgradeOffer[] offers;
    private final String[] spelled;
    private final int mask;

    /**
     * @param known the offers to share; duplicates are kept once
     */
    public KnownOffers(List<UpgradeOffer> known) {
        int size = Integer.highestOneBit(Math.max(4, known.size() * 4) - 1) << 1;
        this.offers = new UpgradeOffer[size];
        this.spelled = new String[size];
        this.mask = size - 1;
        for (UpgradeOffer offer : known) {
            String text = offer.toString();
            int hash = 0;
            for (int i = 0; i < text.length(); i++)
                hash = step(hash, text.charAt(i));
            int slot = slot(hash);
            while (spelled[slot] != null && !spelled[slot].equals(text))
                slot = (slot + 1) & mask;
            offers[slot] = offer;
            spelled[slot] = text;
        }
    }

    /** The hash of an element so far, after one more of its characters (a tchar or its {@code /}). */
    static int step(int hash, char c) {
        return 31 * hash + c;
    }

    /**
     * The known offer that {@code value[start, end)} spells exactly, or {@code null}.
     *
     * @param hash the element's {@link #step} hash over the same characters
     */
    UpgradeOffer find(String value, int start, int end, int hash) {
        int length = end - start;
        for (int slot = slot(hash); spelled[slot] != null; slot = (slot + 1) & mask) {
            String text = spelled[slot];
            if (text.length() == length && value.regionMatches(start, text, 0, length))
                return offers[slot];
        }
        return null;
    }

    private int slot(int hash) {
        return (hash ^ (hash >>> 16)) & mask;
    }
}
