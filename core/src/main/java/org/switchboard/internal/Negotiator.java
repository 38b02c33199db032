package org.switchboard.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.spi.Verdict;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.UpgradePolicy;
import org.switchboard.UpgradeMetrics;
import org.switchboard.UpgradeCounters;
import org.switchboard.NegotiationOrder;
import org.switchboard.Negotiation;
import org.switchboard.spi.UpgradeHeaders;

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
 * A handler that breaks its contract on an offer — throws, returns {@code null}, or accepts a
 * protocol other than the offer it answers (U3, SB4: the accepted {@code name[/version]} must name
 * the offer's protocol and carry the offer's version, or for an unversioned offer no version or
 * one the handler {@linkplain ProtocolHandler#versions() declares}) — is counted in
 * {@link UpgradeMetrics#handlerFault} and the offer treated as declined, so one broken protocol
 * never switches a client unasked nor takes the others down. Such a fault is the server's bug, but
 * any client can repeat the request that shows it: it is logged once per handler at WARN, then
 * at DEBUG only.
 */
public final class Negotiator {

    private static final Logger LOG = LoggerFactory.getLogger(Negotiator.class);

    private final List<ProtocolHandler> handlers;
    /** Each handler's {@code protocol()} and {@code versions()}, read once: they are asked for every offer. */
    private final String[] protocols;
    private final String[][] versions;
    /** Every protocol bare and with each declared version, shared by the parser (see {@link KnownOffers}). */
    private final KnownOffers known;
    /** Whether each handler's work before the 101 may block ({@link ProtocolHandler#getInvocationType()}). */
    private final boolean[] blocking;
    /** Whether each handler's first fault has been logged at WARN. */
    private final AtomicBoolean[] faultLogged;
    private final NegotiationOrder order;
    private final UpgradeMetrics metrics;

    /** As {@link #Negotiator(List, NegotiationOrder, UpgradeMetrics)}, counting handler faults in counters of its own. */
    public Negotiator(List<ProtocolHandler> handlers, NegotiationOrder order) {
        this(handlers, order, new UpgradeCounters());
    }

    /**
     * @param handlers the handlers in server priority order
     * @param order    whose preference decides
     * @param metrics  where handler faults are counted
     * @throws IllegalArgumentException naming the handler, if a {@code protocol()} or one of its
     *         {@code versions()} is not an RFC 9110 token (U1), or two handlers name one protocol
     */
    public Negotiator(List<ProtocolHandler> handlers, NegotiationOrder order, UpgradeMetrics metrics) {
        this.handlers = List.copyOf(handlers);
        this.order = order;
        this.metrics = metrics;
        this.protocols = new String[this.handlers.size()];
        this.versions = new String[this.handlers.size()][];
        this.blocking = new boolean[this.handlers.size()];
        this.faultLogged = new AtomicBoolean[this.handlers.size()];
        Set<String> seen = new HashSet<>();
        List<UpgradeOffer> offers = new ArrayList<>();
        for (int i = 0; i < protocols.length; i++) {
            ProtocolHandler handler = this.handlers.get(i);
            protocols[i] = requireToken(handler, "protocol()", handler.protocol());
            List<String> declared = List.copyOf(handler.versions());
            for (String version : declared)
                requireToken(handler, "versions() element", version);
            versions[i] = declared.toArray(String[]::new);
            offers.add(new UpgradeOffer(protocols[i], null));
            for (String version : versions[i])
                offers.add(new UpgradeOffer(protocols[i], version));
            blocking[i] = handler.getInvocationType() != Invocable.InvocationType.NON_BLOCKING;
            faultLogged[i] = new AtomicBoolean();
            if (!seen.add(protocols[i].toLowerCase(Locale.ROOT)))
                throw new IllegalArgumentException("two handlers for protocol " + protocols[i]);
        }
        this.known = new KnownOffers(offers);
    }

    /** The offers the handlers speak, for the parser to share ({@link UpgradeHeaderParser#parse(org.eclipse.jetty.http.HttpFields, org.switchboard.UpgradeLimits, KnownOffers)}). */
    public KnownOffers knownOffers() {
        return known;
    }

    private static String requireToken(ProtocolHandler handler, String what, String value) {
        if (value == null || !Tokens.isToken(value))
            throw new IllegalArgumentException(handler.getClass().getName() + ": " + what + " "
                + (value == null ? "is null" : "'" + value + "' is not a token") + " (RFC 9110 5.6.2, U1)");
        return value;
    }

    /** The handlers, in server priority order. */
    public List<ProtocolHandler> handlers() {
        return handlers;
    }

    /** Decides for {@code upgrade}; see the class description. */
    public Decision decide(UpgradeHeaders upgrade, Request request, UpgradePolicy policy) {
        return decide(upgrade.offers(), request, policy, Set.of(), true, null);
    }

    /**
     * @param excluded handlers not to ask again (a {@link Verdict.HandOff} that did not upgrade)
     * @param bodyFits whether the request body fits the buffering limit; if not, accepts count as declines (U10)
     * @param trail    where to note each verdict for the debug log, or {@code null}
     */
    public Decision decide(List<UpgradeOffer> offers, Request request, UpgradePolicy policy,
                    Set<ProtocolHandler> excluded, boolean bodyFits, List<Negotiation.Step> trail) {
        Decision.Refuse refusal = null;
        int n = offers.size();
        // The candidates, in negotiation order: in client order one per offer; in server order one
        // per (handler, offer) pair, handler by handler.
        int candidates = order == NegotiationOrder.CLIENT_PREFERENCE ? n : protocols.length * n;
        for (int k = 0; k < candidates; k++) {
            UpgradeOffer offer = offers.get(order == NegotiationOrder.CLIENT_PREFERENCE ? k : k % n);
            int h = order == NegotiationOrder.CLIENT_PREFERENCE
                ? handlerFor(offer, policy, excluded, trail)
                : handlerIfEligible(k / n, offer, policy, excluded, trail);
            if (h < 0)
                continue;
            Decision decision = admit(ask(h, offer, request, trail), bodyFits, trail);
            if (decision instanceof Decision.Upgrade)
                return decision;
            refusal = firstRefusal(refusal, decision);
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
        return advertised(policy, false);
    }

    /**
     * As {@link #advertised(UpgradePolicy)}; for an extended CONNECT's 501 ({@code extendedConnect}),
     * only the protocols {@linkplain ProtocolHandler#reachableByExtendedConnect() reachable} that way.
     */
    public String advertised(UpgradePolicy policy, boolean extendedConnect) {
        List<String> tokens = new ArrayList<>();
        for (ProtocolHandler handler : handlers) {
            if (!policy.allows(handler.protocol()) || (extendedConnect && !handler.reachableByExtendedConnect()))
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

    /** The index of the handler {@code offer} may reach, or -1. */
    private int handlerFor(UpgradeOffer offer, UpgradePolicy policy, Set<ProtocolHandler> excluded, List<Negotiation.Step> trail) {
        for (int h = 0; h < protocols.length; h++) {
            if (!offer.is(protocols[h]))
                continue;
            if (excluded.contains(handlers.get(h))) {
                note(trail, offer, "handed off without upgrading");
                return -1;
            }
            if (!policy.allows(protocols[h])) {
                note(trail, offer, "not allowed on this route");
                return -1;
            }
            return speaksVersion(h, offer, trail) ? h : -1;
        }
        note(trail, offer, "no handler");
        return -1;
    }

    /** Server order's candidate: handler {@code h} for {@code offer}, if it names it and may be asked; else -1. */
    private int handlerIfEligible(int h, UpgradeOffer offer, UpgradePolicy policy, Set<ProtocolHandler> excluded, List<Negotiation.Step> trail) {
        if (!offer.is(protocols[h]) || excluded.contains(handlers.get(h)) || !policy.allows(protocols[h]))
            return -1;
        return speaksVersion(h, offer, trail) ? h : -1;
    }

    /**
     * U10: a request whose body is over the buffering limit is never switched — its body could not
     * be read before the 101 — so an acceptance counts as a decline; rejections still count.
     */
    private static Decision admit(Decision decision, boolean bodyFits, List<Negotiation.Step> trail) {
        if (bodyFits || !(decision instanceof Decision.Upgrade up))
            return decision;
        note(trail, up.offer(), "accepted, but the request body is over the buffering limit");
        return null;
    }

    /**
     * The registered protocol that stands for {@code offers} in metrics: the one named by the most
     * preferred offer that names any, else {@link UpgradeMetrics#OTHER} ({@link UpgradeMetrics#NONE}
     * without offers). Never a client's own spelling, so metric keys stay bounded.
     */
    public String metricKey(List<UpgradeOffer> offers) {
        if (offers.isEmpty())
            return UpgradeMetrics.NONE;
        for (int i = 0; i < offers.size(); i++) {
            UpgradeOffer offer = offers.get(i);
            for (String protocol : protocols)
                if (offer.is(protocol))
                    return protocol;
        }
        return UpgradeMetrics.OTHER;
    }

    private boolean speaksVersion(int handler, UpgradeOffer offer, List<Negotiation.Step> trail) {
        if (!offer.hasVersion() || declares(handler, offer.version()))
            return true;
        note(trail, offer, "version not spoken");
        return false;
    }

    private Decision ask(int h, UpgradeOffer offer, Request request, List<Negotiation.Step> trail) {
        ProtocolHandler handler = handlers.get(h);
        Verdict verdict;
        try {
            verdict = handler.negotiate(offer, request);
        } catch (RuntimeException x) {
            return fault(h, offer, "failed: " + x, x, trail);
        }
        if (verdict == null)
            return fault(h, offer, "returned null", null, trail);
        // Tested against the final record classes, declines first (most offers on the way to an
        // upgrade are declined): a test against an interface scans the class's supertypes.
        if (verdict instanceof Verdict.Decline decline) {
            // Only built when the debug log wants it: a decline is on the path of most upgrades.
            if (trail != null)
                note(trail, offer, "decline: " + decline.reason());
            return null;
        }
        if (verdict instanceof Verdict.Reject reject) {
            if (trail != null)
                note(trail, offer, "reject " + reject.status() + " " + reject.reason());
            return new Decision.Refuse(handler, offer, reject);
        }
        Verdict.Accept accept = verdict instanceof Verdict.Switch open ? open : (Verdict.HandOff) verdict;
        if (!answers(h, offer, accept.protocol()))
            return fault(h, offer, "accepted " + accept.protocol() + ", which is not the offer it answered (U3, SB4)", null, trail);
        note(trail, offer, "accept");
        return new Decision.Upgrade(handler, offer, accept);
    }

    /**
     * Whether switching to {@code accepted} ({@code name[/version]}, a valid offer already) answers
     * {@code offer} of handler {@code h}: the offer's name, and the offer's version, or for an
     * unversioned offer no version or a declared one (U3, SB4). Compared in place: no allocation.
     */
    private boolean answers(int h, UpgradeOffer offer, String accepted) {
        // accepted is a valid offer already (Verdict checks it): a token, then "/" and a token or nothing.
        String name = offer.name();
        int n = name.length();
        if (accepted.length() == n)
            return !offer.hasVersion() && (accepted.equals(name) || accepted.equalsIgnoreCase(name));
        if (accepted.length() < n + 2 || accepted.charAt(n) != '/'
            || !(accepted.startsWith(name) || accepted.regionMatches(true, 0, name, 0, n)))
            return false;
        int versionLength = accepted.length() - n - 1;
        if (offer.hasVersion())
            return versionLength == offer.version().length() && accepted.endsWith(offer.version());
        for (String version : versions[h]) {
            if (versionLength == version.length() && accepted.endsWith(version))
                return true;
        }
        return false;
    }

    /** Whether handler {@code h} declares {@code version}: a known offer's version is the declared string itself. */
    private boolean declares(int h, String version) {
        for (String declared : versions[h]) {
            if (declared.equals(version))
                return true;
        }
        return false;
    }

    /** A handler broke its contract on {@code offer}: counted, logged once at WARN, then treated as a decline. */
    private Decision fault(int h, UpgradeOffer offer, String what, Throwable failure, List<Negotiation.Step> trail) {
        ProtocolHandler handler = handlers.get(h);
        metrics.handlerFault(protocols[h]);
        if (faultLogged[h].compareAndSet(false, true))
            LOG.warn("{} handler {} {} on offer {}; counted as a decline (logged once; later faults at DEBUG)",
                protocols[h], handler.getClass().getName(), what, offer, failure);
        else if (LOG.isDebugEnabled())
            LOG.debug("{} handler {} on offer {}; counted as a decline", protocols[h], what, offer);
        note(trail, offer, "handler fault, " + what);
        return null;
    }

    private static void note(List<Negotiation.Step> trail, UpgradeOffer offer, String what) {
        if (trail != null)
            trail.add(new Negotiation.Step(offer.toString(), what));
    }
}
