package org.switchboard.internal;
import org.switchboard.spi.Verdict;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.ProtocolHandler;

/**
 * What the {@link Negotiator} decided for one upgrade request (SB1, SB3).
 */
public sealed interface Decision permits Decision.Upgrade, Decision.Refuse, Decision.Fallback, Decision.RequireUpgrade {

    /** A handler accepted: switch the connection. */
    record Upgrade(ProtocolHandler handler, UpgradeOffer offer, Verdict.Accept accept) implements Decision {
    }

    /** No handler accepted and at least one rejected: answer the most preferred rejection. */
    record Refuse(ProtocolHandler handler, UpgradeOffer offer, Verdict.Reject reject) implements Decision {
    }

    /** Nothing acceptable was offered on an optional route: serve the request as if {@code Upgrade} were absent (U7). */
    record Fallback() implements Decision {
        static final Fallback INSTANCE = new Fallback();
    }

    /**
     * Nothing acceptable was offered on a route that requires an upgrade: answer 426 (U8).
     *
     * @param advertised the {@code Upgrade} value of the 426: the route's protocols, most preferred first
     */
    record RequireUpgrade(String advertised) implements Decision {
    }
}
