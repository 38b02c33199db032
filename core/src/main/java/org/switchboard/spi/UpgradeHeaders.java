package org.switchboard.spi;

import java.util.List;

import org.eclipse.jetty.server.Request;
import org.switchboard.UpgradeLimits;
import org.switchboard.internal.FrozenList;
import org.switchboard.internal.UpgradeHeaderParser;

/**
 * A request's {@code Upgrade} and {@code Connection} headers, parsed once by the dispatcher (U1,
 * U6, SB5) and left on the request for handlers that need more than the offer they answer — h2c
 * checks that {@code Connection} names {@code HTTP2-Settings} (H1) and drops the hop-by-hop fields
 * it names — so that no module parses these headers again, differently.
 *
 * @param offers            every well-formed {@code Upgrade} element, most preferred first (U1, U2)
 * @param connectionOptions the {@code Connection} tokens, lower-cased (U6)
 */
public record UpgradeHeaders(List<UpgradeOffer> offers, List<String> connectionOptions) {

    /** The request attribute under which the dispatcher leaves them for the handlers it asks. */
    public static final String ATTRIBUTE = UpgradeHeaders.class.getName();

    /**
     * Copies the lists unless they are the parser's own, which are immutable already.
     *
     * @param offers            the well-formed {@code Upgrade} elements, most preferred first
     * @param connectionOptions the {@code Connection} tokens, lower-cased
     */
    public UpgradeHeaders {
        // What the parser built is immutable already; anything else is copied.
        offers = offers instanceof FrozenList ? offers : List.copyOf(offers);
        connectionOptions = connectionOptions instanceof FrozenList ? connectionOptions : List.copyOf(connectionOptions);
    }

    /**
     * What the dispatcher parsed for {@code request}; parsed now, with the default
     * {@link UpgradeLimits}, for a request that did not come through a dispatcher (a handler's own
     * test, say).
     *
     * @param request an HTTP request
     * @return the parsed headers; no offers and no options when the request has neither field
     * @throws IllegalArgumentException if the headers break the default limits (SB5)
     */
    public static UpgradeHeaders of(Request request) {
        if (request.getAttribute(ATTRIBUTE) instanceof UpgradeHeaders parsed)
            return parsed;
        try {
            return UpgradeHeaderParser.parse(request.getHeaders(), UpgradeLimits.DEFAULT);
        } catch (RuntimeException x) {
            throw new IllegalArgumentException(x.getMessage(), x);
        }
    }

    /**
     * Whether {@code Connection} carries the {@code upgrade} option, without which nothing is switched (U6).
     *
     * @return true if it does, in any case
     */
    public boolean connectionUpgrade() {
        return connectionOptions.contains("upgrade");
    }

    /**
     * Whether {@code Connection} carries the {@code close} option: the client will close the
     * connection after this exchange (RFC 9112 §9.6), so it is not switched (U4).
     *
     * @return true if it does, in any case
     */
    public boolean connectionClose() {
        return connectionOptions.contains("close");
    }

    /**
     * Whether the client offered any well-formed protocol at all.
     *
     * @return true if {@link #offers()} is not empty
     */
    public boolean hasOffers() {
        return !offers.isEmpty();
    }

    /**
     * Whether {@code Connection} carries {@code option}, compared without case.
     *
     * @param option a connection option, e.g. {@code HTTP2-Settings}
     * @return true if one of {@link #connectionOptions()} equals it, ignoring case
     */
    public boolean hasConnectionOption(String option) {
        for (String o : connectionOptions)
            if (o.equalsIgnoreCase(option))
                return true;
        return false;
    }
}
