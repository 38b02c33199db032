package org.switchboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the protocol is chosen. Given a request's offers and its route's {@link UpgradePolicy},
 * asks the handlers and decides, in this order:
 * <ol>
 *   <li>In {@link NegotiationOrder#CLIENT_PREFERENCE client order} (the default, SB1), each offer
 *       in the order the client listed it (U2); in {@link NegotiationOrder#SERVER_PRIORITY server
 *       order}, each handler in registration order, with its offers in client order.</li>
 *   <li>An offer reaches a handler only if the handler's {@link ProtocolHandler#protocol()} equals
 *       the offer's name case-insensitively (U1), the route allows it, and its version is one the
 *       handler declares (or absent) (SB4). Only offered protocols can win (U3).</li>
 *   <li>The first {@link Verdict.Accept} wins: {@link Decision.Upgrade}.</li>
 *   <li>Else the first {@link Verdict.Reject} met: {@link Decision.Refuse} (SB3).</li>
 *   <li>Else {@link Decision.RequireUpgrade} (426) on a required route, {@link Decision.Fallback} on an
 *       optional one.</li>
 * </ol>
 * A handler that throws is logged and counted as declining, so one broken protocol does not take
 * the others down.
 */
public final class Negotiator {

    private static final Logger LOG = LoggerFactory.getLogger(Negotiator.class);

    private final List<ProtocolHandler> handlers;
    /** Each handler's {@code protocol()} and {@code versions()}, read once: they are asked for every offer. */
    private final String[] protocols;
    private final List<?>[] versions;
    /** Whether each handler's work before the 101 may block ({@link ProtocolHandler#getInvocationType()}). */
    private final boolean[] blocking;
    private final NegotiationOrder order;

    /**
     * @param handlers the handlers in server priority order; protocol names must be distinct
     * @param order    whose preference decides
     */
    public Negotiator(List<ProtocolHandler> handlers, NegotiationOrder order) {
        this.handlers = List.copyOf(handlers);
        this.order = order;
        this.protocols = new String[this.handlers.size()];
        this.versions = new List<?>[this.handlers.size()];
        this.blocking = new boolean[this.handlers.size()];
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < protocols.length; i++) {
            ProtocolHandler handler = this.handlers.get(i);
            protocols[i] = handler.protocol();
            versions[i] = List.copyOf(handler.versions());
            blocking[i] = handler.getInvocationType() != Invocable.InvocationType.NON_BLOCKING;
            if (!seen.add(protocols[i].toLowerCase(java.util.Locale.ROOT)))
                throw new IllegalArgumentException("two handlers for protocol " + protocols[i]);
        }
    }

    /** The handlers, in server priority order. */
    public List<ProtocolHandler> handlers() {
        return handlers;
    }

    /** Decides for {@code upgrade}; see the class description. */
    public Decision decide(UpgradeRequest upgrade, Request request, UpgradePolicy policy) {
        return decide(upgrade.offers(), request, policy, Set.of(), true, null);
    }

    /**
     * @param excluded handlers not to ask again (a {@link Verdict.HandOff} that did not upgrade)
     * @param bodyFits whether the request body fits the buffering limit; if not, accepts count as declines (U10)
     * @param trail    where to note each verdict for the debug log, or {@code null}
     */
    Decision decide(List<UpgradeOffer> offers, Request request, UpgradePolicy policy,
                    Set<ProtocolHandler> excluded, boolean bodyFits, List<String> trail) {
        Decision.Refuse refusal = null;
        if (order == NegotiationOrder.CLIENT_PREFERENCE) {
            for (int i = 0; i < offers.size(); i++) {
                UpgradeOffer offer = offers.get(i);
                ProtocolHandler handler = handlerFor(offer, policy, excluded, trail);
                if (handler == null)
                    continue;
                Decision decision = ask(handler, offer, request, bodyFits, trail);
                if (decision instanceof Decision.Upgrade)
                    return decision;
                refusal = firstRefusal(refusal, decision);
            }
        } else {
            for (int h = 0; h < protocols.length; h++) {
                ProtocolHandler handler = handlers.get(h);
                if (excluded.contains(handler) || !policy.allows(protocols[h]))
                    continue;
                for (int i = 0; i < offers.size(); i++) {
                    UpgradeOffer offer = offers.get(i);
                    if (!offer.is(protocols[h]) || !speaksVersion(h, offer, trail))
                        continue;
                    Decision decision = ask(handler, offer, request, bodyFits, trail);
                    if (decision instanceof Decision.Upgrade)
                        return decision;
                    refusal = firstRefusal(refusal, decision);
                }
            }
        }
        if (refusal != null)
            return refusal;
        return policy.isRequired() ? new Decision.RequireUpgrade(advertised(policy)) : Decision.Fallback.INSTANCE;
    }

    /**
     * Whether deciding on {@code offers} may ask a handler whose work may block: one that an offer
     * names, that {@code policy} allows, and that is not {@link Invocable.InvocationType#NON_BLOCKING}.
     */
    public boolean mayBlock(List<UpgradeOffer> offers, UpgradePolicy policy) {
        for (int i = 0; i < offers.size(); i++) {
            UpgradeOffer offer = offers.get(i);
            for (int h = 0; h < protocols.length; h++) {
                if (blocking[h] && offer.is(protocols[h]) && policy.allows(protocols[h]))
                    return true;
            }
        }
        return false;
    }

    /**
     * The protocols {@code policy} allows, most preferred first, as an {@code Upgrade} value: every
     * declared version of each handler ({@code relay/2, relay/1}), or its bare name if it declares none.
     */
    public String advertised(UpgradePolicy policy) {
        List<String> tokens = new ArrayList<>();
        for (ProtocolHandler handler : handlers) {
            if (!policy.allows(handler.protocol()))
                continue;
            if (handler.versions().isEmpty())
                tokens.add(handler.protocol());
            else
                for (String version : handler.versions())
                    tokens.add(handler.protocol() + '/' + version);
        }
        return String.join(", ", tokens);
    }

    /** The most preferred rejection is the first one met (SB3). */
    private static Decision.Refuse firstRefusal(Decision.Refuse first, Decision decision) {
        return first == null && decision instanceof Decision.Refuse refuse ? refuse : first;
    }

    private ProtocolHandler handlerFor(UpgradeOffer offer, UpgradePolicy policy, Set<ProtocolHandler> excluded, List<String> trail) {
        for (int h = 0; h < protocols.length; h++) {
            if (!offer.is(protocols[h]))
                continue;
            ProtocolHandler handler = handlers.get(h);
            if (excluded.contains(handler)) {
                note(trail, offer, "handed off without upgrading");
                return null;
            }
            if (!policy.allows(protocols[h])) {
                note(trail, offer, "not allowed on this route");
                return null;
            }
            return speaksVersion(h, offer, trail) ? handler : null;
        }
        note(trail, offer, "no handler");
        return null;
    }

    private boolean speaksVersion(int handler, UpgradeOffer offer, List<String> trail) {
        if (!offer.hasVersion() || versions[handler].contains(offer.version()))
            return true;
        note(trail, offer, "version not spoken");
        return false;
    }

    private static Decision ask(ProtocolHandler handler, UpgradeOffer offer, Request request, boolean bodyFits, List<String> trail) {
        Verdict verdict;
        try {
            verdict = handler.negotiate(offer, request);
            if (verdict == null)
                throw new NullPointerException("negotiate returned null");
        } catch (RuntimeException x) {
            LOG.warn("{} handler failed on offer {}; counted as a decline", handler.protocol(), offer, x);
            if (trail != null)
                note(trail, offer, "handler failed: " + x);
            return null;
        }
        if (verdict instanceof Verdict.Accept accept) {
            if (!bodyFits) {
                note(trail, offer, "accepted, but the request body is over the buffering limit");
                return null;
            }
            note(trail, offer, "accept");
            return new Decision.Upgrade(handler, offer, accept);
        }
        if (verdict instanceof Verdict.Reject reject) {
            if (trail != null)
                note(trail, offer, "reject " + reject.status() + " " + reject.reason());
            return new Decision.Refuse(handler, offer, reject);
        }
        // Only built when the debug log wants it: a decline is on the path of most upgrades.
        if (trail != null)
            note(trail, offer, "decline: " + ((Verdict.Decline) verdict).reason());
        return null;
    }

    private static void note(List<String> trail, UpgradeOffer offer, String what) {
        if (trail != null)
            trail.add(offer + ": " + what);
    }
}
