package org.switchboard;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.TryExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.internal.ConnectionSwitch;
import org.switchboard.internal.Decision;
import org.switchboard.internal.HeadDeadline;
import org.switchboard.internal.MalformedUpgradeException;
import org.switchboard.internal.Negotiator;
import org.switchboard.internal.Outcomes;
import org.switchboard.internal.PlainTextResponses;
import org.switchboard.internal.RequestBody;
import org.switchboard.internal.UpgradeErrorHandler;
import org.switchboard.internal.UpgradeHeaderParser;
import org.switchboard.internal.UpgradeRoutes;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.UpgradeHeaders;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.Verdict;

/**
 * The dispatcher: a Jetty core {@link Handler} in front of the application that turns HTTP/1.1
 * upgrade requests into {@code 101 Switching Protocols}, a rejection, {@code 426}, or a normal
 * request, as the negotiation decides. Create it with {@link Switchboard#install} (or
 * {@link Switchboard#handler}). This class answers "is this an upgrade, on which route, and what
 * now"; the choice of protocol is made in one place (the negotiator: client order by default, SB1)
 * and the switch itself in another (101, hand-over, tracking, goodbye).
 *
 * <p>For each request:
 * <ol>
 *   <li>HTTP/1.0 (U5), HTTP/2 and HTTP/3 (U11) requests are never switched, whatever headers they
 *       carry: they go to the application (or get 426 on a required route).</li>
 *   <li>Without {@code Upgrade}, the request goes to the application, or gets 426 on a required
 *       route (U8).</li>
 *   <li>{@code Upgrade} and {@code Connection} are parsed; headers over the
 *       {@link UpgradeLimits} get 400 (SB5), and {@code Upgrade} without {@code Connection: upgrade}
 *       gets 400 naming what is missing (U6).</li>
 *   <li>A request whose {@code Connection} also carries {@code close} is not switched: it is served
 *       as if {@code Upgrade} were absent (or gets 426 on a required route), and the connection
 *       closes after the response. The client said it will close once this exchange ends (RFC 9112
 *       §9.6), which no 101 can honour: every 101 carries exactly {@code Connection: Upgrade} (U4).</li>
 *   <li>A request body is read in full first, up to {@link UpgradeLimits#maxBodyBytes()}, sending
 *       {@code 100 Continue} first if the client expects it (U9, U10). A larger body is never
 *       upgraded; it reaches the application intact, and at once, unread, when its
 *       {@code Content-Length} already says it is larger. A body that stops arriving gets 408 at
 *       the idle timeout, and one that trickles in gets 408 at the request head deadline
 *       ({@link ServerLimits#requestHeadTimeout()}, which covers head and body); either way the
 *       connection closes.</li>
 *   <li>The negotiator decides. On a {@link Verdict.Switch} Switchboard writes the 101 with
 *       {@code Upgrade: <protocol>} and {@code Connection: Upgrade} and no body (U4), and Jetty hands
 *       the endpoint, with every byte the client sent after the request, to the handler's
 *       connection once the 101 is flushed.</li>
 * </ol>
 * Every outcome is logged at debug with the request line, the offers and each verdict, and counted
 * in {@link UpgradeMetrics} under bounded keys (SB6). Upgraded connections are tracked from the
 * moment Jetty hands them the endpoint until they close, however early the client goes away:
 * {@link #shutdown()} asks the handler of each to say goodbye
 * ({@link ProtocolHandler#shutdown(Connection)}), and stopping closes whatever is left.
 */
public final class UpgradeDispatcher extends Handler.Wrapper implements Graceful {

    private static final Logger LOG = LoggerFactory.getLogger(UpgradeDispatcher.class);

    /**
     * The field of a {@code 501} to an extended CONNECT that no handler accepted (C4): the
     * protocols the route speaks, most preferred first, as values for {@code :protocol} — what
     * {@code Upgrade} lists in a 426 on HTTP/1.1 (U8), under a name HTTP/2 allows.
     */
    public static final String CONNECT_PROTOCOL = "Connect-Protocol";

    private final Negotiator negotiator;
    private final UpgradeRoutes routes;
    private final UpgradeLimits limits;
    private final Outcomes outcomes;
    private final boolean advertise;
    private final Map<UpgradePolicy, String> advertisedByPolicy = new ConcurrentHashMap<>();
    private final Map<UpgradePolicy, String> connectProtocolsByPolicy = new ConcurrentHashMap<>();
    private final ConnectionSwitch connections;

    UpgradeDispatcher(Negotiator negotiator, UpgradeRoutes routes, UpgradeLimits limits, Outcomes outcomes,
                       boolean advertise, Handler application) {
        super(application);
        this.negotiator = negotiator;
        this.routes = routes;
        this.limits = limits;
        this.outcomes = outcomes;
        this.advertise = advertise;
        this.connections = new ConnectionSwitch(outcomes);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HeadDeadline.Watch deadline = HeadDeadline.of(request);
        if (deadline != null && !deadline.headReceived(request, callback))
            return true;  // the head came too late: its 408 is written, the connection closing
        UpgradePolicy policy = routes.policyFor(Request.getPathInContext(request));
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        if (version != HttpVersion.HTTP_1_1) {
            TunnelSupport tunnel = ConnectionSwitch.extendedConnect(request);
            if (tunnel != null)
                return extendedConnect(request, response, callback, policy, tunnel.getProtocol());
            return notUpgradable(request, response, callback, policy, version);
        }

        if (!UpgradeHeaderParser.hasUpgrade(request.getHeaders()))
            return notUpgraded(request, response, callback, policy, UpgradeMetrics.NONE);

        UpgradeHeaders upgrade;
        try {
            upgrade = UpgradeHeaderParser.parse(request.getHeaders(), limits, negotiator.knownOffers());
        } catch (MalformedUpgradeException x) {
            return badRequest(request, response, callback, UpgradeMetrics.NONE, x.status(), x.getMessage());
        }
        String preferred = negotiator.metricKey(upgrade.offers());
        if (!upgrade.connectionUpgrade())
            return badRequest(request, response, callback, preferred, HttpStatus.BAD_REQUEST_400, UpgradeErrorHandler.MISSING_CONNECTION_UPGRADE);
        if (!upgrade.hasOffers())
            return notUpgraded(request, response, callback, policy, preferred);
        if (upgrade.connectionClose())
            return closing(request, response, callback, policy, preferred);

        // Handlers that need more than their offer read the parsed headers here (UpgradeHeaders.of).
        request.setAttribute(UpgradeHeaders.ATTRIBUTE, upgrade);
        // Jetty may call this dispatcher on a selector thread (it is as non-blocking as its
        // application); an offer for a handler that may block is then negotiated on a worker thread.
        boolean offThisThread = getInvocationType() != InvocationType.BLOCKING && negotiator.mayBlock(upgrade.offers(), policy);
        // A body whose declared length is already over the limit could never be upgraded (U10): it is
        // not buffered, so the application sees the untouched request at once, however slowly it comes.
        boolean unreadable = request.getLength() > limits.maxBodyBytes();
        if (!RequestBody.present(request) || unreadable) {
            RequestBody body = unreadable ? RequestBody.unread(request) : RequestBody.empty(request);
            if (!offThisThread)
                return negotiate(request, response, callback, upgrade, preferred, policy, body);
            negotiateOn(worker(request), request, response, callback, upgrade, preferred, policy, body);
            return true;
        }
        Executor where = offThisThread ? worker(request) : Runnable::run;
        BodyRead reading = new BodyRead(request, response, callback, upgrade, preferred, policy, where, deadline);
        if (deadline != null)
            deadline.timeBody(reading);
        RequestBody.read(request, limits.maxBodyBytes(), reading);
        return true;
    }

    /**
     * An extended CONNECT (RFC 8441, C1–C6): its {@code :protocol} is the request's one offer,
     * decided as an HTTP/1.1 {@code Upgrade} is, on the same route policy, with the same limits and
     * negotiator. A CONNECT stream carries no request body: what the client sends on it is the
     * protocol's.
     */
    private boolean extendedConnect(Request request, Response response, Callback callback, UpgradePolicy policy,
                                    String protocol) throws Exception {
        UpgradeOffer offer;
        try {
            offer = UpgradeHeaderParser.parseConnectProtocol(protocol, limits);
        } catch (MalformedUpgradeException x) {
            return badRequest(request, response, callback, UpgradeMetrics.NONE, x.status(), x.getMessage());
        }
        UpgradeHeaders upgrade = new UpgradeHeaders(List.of(offer), List.of());
        String preferred = negotiator.metricKey(upgrade.offers());
        request.setAttribute(UpgradeHeaders.ATTRIBUTE, upgrade);
        RequestBody body = RequestBody.empty(request);
        if (getInvocationType() == InvocationType.BLOCKING || !negotiator.mayBlock(upgrade.offers(), policy))
            return negotiate(request, response, callback, upgrade, preferred, policy, body);
        negotiateOn(worker(request), request, response, callback, upgrade, preferred, policy, body);
        return true;
    }

    /**
     * The end of reading an upgrade request's body: the body read, its failure, or the connection's
     * deadline passing first. Whichever comes first answers; the others do nothing.
     */
    private final class BodyRead extends AtomicBoolean implements BiConsumer<RequestBody, Throwable>, Runnable {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final UpgradeHeaders upgrade;
        private final String preferred;
        private final UpgradePolicy policy;
        private final Executor where;
        private final HeadDeadline.Watch deadline;

        BodyRead(Request request, Response response, Callback callback, UpgradeHeaders upgrade, String preferred,
                 UpgradePolicy policy, Executor where, HeadDeadline.Watch deadline) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.upgrade = upgrade;
            this.preferred = preferred;
            this.policy = policy;
            this.where = where;
            this.deadline = deadline;
        }

        /** The body is read, or reading it failed. */
        @Override
        public void accept(RequestBody body, Throwable failure) {
            if (!compareAndSet(false, true))
                return;  // the deadline passed first and answered
            if (deadline != null)
                deadline.bodyReceived();
            if (failure != null) {
                bodyFailed(request, response, callback, preferred, failure);
                return;
            }
            negotiateOn(where, request, response, callback, upgrade, preferred, policy, body);
        }

        /** The connection's deadline passed before the body was read: 408, and the connection closes. */
        @Override
        public void run() {
            if (!compareAndSet(false, true))
                return;  // the body was read just in time
            if (response.isCommitted()) {
                callback.failed(new TimeoutException("request head and body not received in time"));
                return;
            }
            outcomes.record(request, preferred, UpgradeMetrics.Outcome.BAD_REQUEST, HttpStatus.REQUEST_TIMEOUT_408,
                "request head and body not received in time");
            if (LOG.isDebugEnabled())
                LOG.debug("{} -> 408 head and body not received in time, body incomplete after {} bytes", Outcomes.requestLine(request),
                    Request.getContentBytesRead(request));
            PlainTextResponses.clientError(request, response, callback, HttpStatus.REQUEST_TIMEOUT_408,
                "The request head and body were not received in time", true);
        }
    }

    /**
     * A worker thread in the request's context: one of the pool's reserved threads if one is
     * waiting (a hand-off without a queue), else the next free one.
     */
    private static Executor worker(Request request) {
        Context context = request.getContext();
        ThreadPool pool = request.getComponents().getThreadPool();
        return task -> {
            if (!(pool instanceof TryExecutor reserved) || !reserved.tryExecute(() -> context.run(task)))
                context.execute(task);
        };
    }

    /** Negotiates on {@code executor}; the request is then handled asynchronously, a 404 if nobody handles it. */
    private void negotiateOn(Executor executor, Request request, Response response, Callback callback, UpgradeHeaders upgrade,
                             String preferred, UpgradePolicy policy, RequestBody body) {
        executor.execute(() -> {
            try {
                if (!negotiate(request, response, callback, upgrade, preferred, policy, body))
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            } catch (Throwable x) {
                callback.failed(x);
            }
        });
    }

    private boolean negotiate(Request request, Response response, Callback callback, UpgradeHeaders upgrade,
                              String preferred, UpgradePolicy policy, RequestBody body) throws Exception {
        List<Negotiation.Step> trail = outcomes.steps(request, LOG);
        Set<ProtocolHandler> excluded = Set.of();
        while (true) {
            Decision decision = negotiator.decide(upgrade.offers(), request, policy, excluded, body.complete(), trail);
            if (trail != null && LOG.isDebugEnabled())
                LOG.debug("{} offers=[{}] verdicts={} -> {}", Outcomes.requestLine(request), UpgradeHeaderParser.format(upgrade.offers()),
                    trail, describe(decision, ConnectionSwitch.extendedConnect(request) != null));
            if (decision instanceof Decision.Upgrade up) {
                if (up.accept() instanceof Verdict.Switch sw) {
                    connections.switchTo(request, response, callback, up.handler(), up.offer(), sw, body);
                    return true;
                }
                if (connections.handOff(request, response, callback, up.handler(), (Verdict.HandOff) up.accept()))
                    return true;
                excluded = new HashSet<>(excluded);
                excluded.add(up.handler());
                continue;
            }
            if (decision instanceof Decision.Refuse refuse) {
                Verdict.Reject reject = refuse.reject();
                outcomes.record(request, refuse.handler().protocol(), UpgradeMetrics.Outcome.REJECTED, reject.status(), reject.reason());
                PlainTextResponses.reject(request, response, callback, reject);
                return true;
            }
            if (ConnectionSwitch.extendedConnect(request) != null)
                return notImplemented(request, response, callback, preferred, policy, decision instanceof Decision.RequireUpgrade);
            if (decision instanceof Decision.RequireUpgrade require)
                return upgradeRequired(request, response, callback, preferred, require.advertised());
            outcomes.record(request, preferred, UpgradeMetrics.Outcome.FALLBACK, 0, "no handler accepted");
            return application(body.replayed(), response, callback, policy);
        }
    }

    private boolean notUpgradable(Request request, Response response, Callback callback, UpgradePolicy policy,
                                  HttpVersion version) throws Exception {
        if (!policy.isRequired())
            return application(request, response, callback, policy);
        if (version == HttpVersion.HTTP_1_0)
            return upgradeRequired(request, response, callback, UpgradeMetrics.NONE, advertised(policy));
        // Upgrade and Connection are hop-by-hop and forbidden in HTTP/2 and HTTP/3 (U11). A CONNECT
        // without :protocol asks for a plain tunnel, which is the application's to grant, not an upgrade.
        if (HttpMethod.CONNECT.is(request.getMethod()))
            return super.handle(request, response, callback);
        outcomes.record(request, UpgradeMetrics.NONE, UpgradeMetrics.Outcome.UPGRADE_REQUIRED, HttpStatus.UPGRADE_REQUIRED_426, advertised(policy));
        PlainTextResponses.write(request, response, callback, HttpStatus.UPGRADE_REQUIRED_426, HttpFields.EMPTY,
            "This resource requires an HTTP/1.1 upgrade to one of: " + advertised(policy));
        return true;
    }

    /**
     * No handler accepted an extended CONNECT's one offer (C4). It is not the application's: a
     * {@code 2xx} from a handler that does not know the stream is a tunnel would leave the client a
     * stream nobody reads, which Jetty resets. HTTP/2 has no {@code Upgrade} field for a 426 (U11),
     * so it is {@code 501} on every route, naming the route's protocols in {@code Connect-Protocol}
     * (the values a client may put in {@code :protocol}, most preferred first), and counted as the
     * 426 it replaces on a required route, as a rejection on an optional one.
     */
    private boolean notImplemented(Request request, Response response, Callback callback, String preferred, UpgradePolicy policy,
                                   boolean required) {
        String advertised = connectProtocols(policy);
        String reason = notAccepted(request, advertised);
        outcomes.record(request, preferred, required ? UpgradeMetrics.Outcome.UPGRADE_REQUIRED : UpgradeMetrics.Outcome.REJECTED,
            HttpStatus.NOT_IMPLEMENTED_501, required ? advertised : reason);
        if (LOG.isDebugEnabled())
            LOG.debug("{} :protocol {} -> 501 Connect-Protocol: {}", Outcomes.requestLine(request), Outcomes.upgradeField(request), advertised);
        PlainTextResponses.write(request, response, callback, HttpStatus.NOT_IMPLEMENTED_501,
            advertised.isEmpty() ? HttpFields.EMPTY : HttpFields.build().put(CONNECT_PROTOCOL, advertised), reason);
        return true;
    }

    /** The reason of {@link #notImplemented}'s 501. */
    private static String notAccepted(Request request, String advertised) {
        return "No protocol here accepts :protocol " + Outcomes.upgradeField(request) + " at " + Request.getPathInContext(request)
            + (advertised.isEmpty() ? "" : "; it speaks: " + advertised);
    }

    private boolean notUpgraded(Request request, Response response, Callback callback, UpgradePolicy policy,
                                String preferred) throws Exception {
        if (policy.isRequired()) {
            if (LOG.isDebugEnabled())
                LOG.debug("{} offers=[] -> 426 Upgrade: {}", Outcomes.requestLine(request), advertised(policy));
            return upgradeRequired(request, response, callback, preferred, advertised(policy));
        }
        return application(request, response, callback, policy);
    }

    /**
     * {@code Connection: close, Upgrade}: the client will close after this exchange (RFC 9112 §9.6),
     * so it is not switched — a 101 saying {@code Upgrade, close} that then stays open is what some
     * clients refuse. Served as without {@code Upgrade} (U7), or 426 on a required route (U8); Jetty
     * closes the connection after the response, as the client asked.
     */
    private boolean closing(Request request, Response response, Callback callback, UpgradePolicy policy,
                            String preferred) throws Exception {
        if (LOG.isDebugEnabled())
            LOG.debug("{} Connection: close -> not switched", Outcomes.requestLine(request));
        if (policy.isRequired())
            return upgradeRequired(request, response, callback, preferred, advertised(policy));
        outcomes.record(request, preferred, UpgradeMetrics.Outcome.FALLBACK, 0, "Connection: close");
        return application(request, response, callback, policy);
    }

    private boolean application(Request request, Response response, Callback callback, UpgradePolicy policy) throws Exception {
        if (advertise && request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1) {
            String advertised = advertised(policy);
            if (!advertised.isEmpty()) {
                // U12: tell clients what they could upgrade to; Upgrade needs its Connection option (RFC 9110 7.8).
                response.getHeaders().put(HttpHeader.UPGRADE, advertised);
                response.getHeaders().add(HttpHeader.CONNECTION, "Upgrade");
            }
        }
        return super.handle(request, response, callback);
    }

    private boolean upgradeRequired(Request request, Response response, Callback callback, String preferred,
                                    String advertised) {
        outcomes.record(request, preferred, UpgradeMetrics.Outcome.UPGRADE_REQUIRED, HttpStatus.UPGRADE_REQUIRED_426, advertised);
        PlainTextResponses.upgradeRequired(request, response, callback, advertised);
        return true;
    }

    private boolean badRequest(Request request, Response response, Callback callback, String preferred, int status,
                               String reason) {
        outcomes.record(request, preferred, UpgradeMetrics.Outcome.BAD_REQUEST, status, reason);
        if (LOG.isDebugEnabled())
            LOG.debug("{} -> {} {}", Outcomes.requestLine(request), status, reason);
        PlainTextResponses.clientError(request, response, callback, status, reason, false);
        return true;
    }

    /**
     * Reading the upgrade body failed. A client that stopped sending mid-body hits the connector's
     * idle timeout: that is the client's doing, so 408 with a reason and the connection closed, not
     * Jetty's 500. Any other failure means the client is gone, with no one left to answer.
     */
    private void bodyFailed(Request request, Response response, Callback callback, String preferred, Throwable failure) {
        if (!(failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException) || response.isCommitted()) {
            callback.failed(failure);
            return;
        }
        outcomes.record(request, preferred, UpgradeMetrics.Outcome.BAD_REQUEST, HttpStatus.REQUEST_TIMEOUT_408,
            "request body incomplete");
        if (LOG.isDebugEnabled())
            LOG.debug("{} -> 408 body incomplete after {} bytes: {}", Outcomes.requestLine(request), Request.getContentBytesRead(request), failure.toString());
        PlainTextResponses.clientError(request, response, callback, HttpStatus.REQUEST_TIMEOUT_408,
            "The request body stopped arriving before it was complete", true);
    }

    private String advertised(UpgradePolicy policy) {
        return advertisedByPolicy.computeIfAbsent(policy, negotiator::advertised);
    }

    /** What a 501 to an extended CONNECT lists in {@code Connect-Protocol} (C4). */
    private String connectProtocols(UpgradePolicy policy) {
        return connectProtocolsByPolicy.computeIfAbsent(policy, p -> negotiator.advertised(p, true));
    }

    private static String describe(Decision decision, boolean extendedConnect) {
        if (decision instanceof Decision.Upgrade up)
            return (extendedConnect ? "200 " : "101 ") + up.accept().protocol();
        if (decision instanceof Decision.Refuse refuse)
            return refuse.reject().status() + " " + refuse.reject().reason() + " (" + refuse.handler().protocol() + ")";
        if (decision instanceof Decision.RequireUpgrade require)
            return "426 Upgrade: " + require.advertised();
        return "fallback to the application";
    }

    /**
     * What this dispatcher would answer {@code request}, decided as {@link #handle} decides — the
     * same route policy, header parser, limits and negotiator, the handlers asked in the same order
     * — with nothing switched, written, counted or told to listeners: for tools that explain a
     * negotiation ("what would the server do with {@code Upgrade: x}?"). Call it with a request
     * carrying the headers to try (a {@link Request.Wrapper} overriding {@code getHeaders()}).
     *
     * <p>Differences from a real request, all because nothing is read or written: the body is not
     * read (it counts as complete, and within {@link UpgradeLimits#maxBodyBytes()} unless its
     * declared length is over it); a handler's {@link Verdict.HandOff} counts as the 101 it would
     * write, though at run time it may still decline; a handler fault is still counted in
     * {@link UpgradeMetrics#handlerFault}. Handlers are asked for real, so their
     * {@link ProtocolHandler#negotiate} must not act on the request — which the SPI asks of them
     * anyway, since the negotiator may ask several before one is chosen.
     *
     * @param request the request to decide; its body is not read and nothing is written to it
     * @return the negotiation, with {@link Negotiation#durationNanos()} 0
     */
    public Negotiation dryRun(Request request) {
        UpgradePolicy policy = routes.policyFor(Request.getPathInContext(request));
        String line = Outcomes.requestLine(request);
        String field = Outcomes.upgradeField(request);
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        if (version != HttpVersion.HTTP_1_1 && ConnectionSwitch.extendedConnect(request) != null)
            return dryRunExtendedConnect(request, line, field, policy);
        if (version != HttpVersion.HTTP_1_1) {
            if (!policy.isRequired() || (version != HttpVersion.HTTP_1_0 && HttpMethod.CONNECT.is(request.getMethod())))
                return dryRunOutcome(line, field, List.of(), UpgradeMetrics.Outcome.FALLBACK, UpgradeMetrics.NONE, 0,
                    "served by the application: " + request.getConnectionMetaData().getProtocol() + " is never switched (U5, U11)");
            return dryRunOutcome(line, field, List.of(), UpgradeMetrics.Outcome.UPGRADE_REQUIRED, UpgradeMetrics.NONE,
                HttpStatus.UPGRADE_REQUIRED_426, "426 Upgrade: " + advertised(policy));
        }
        if (!UpgradeHeaderParser.hasUpgrade(request.getHeaders()))
            return dryRunNotUpgraded(line, field, policy, UpgradeMetrics.NONE, "no Upgrade");
        UpgradeHeaders upgrade;
        try {
            upgrade = UpgradeHeaderParser.parse(request.getHeaders(), limits, negotiator.knownOffers());
        } catch (MalformedUpgradeException x) {
            return dryRunOutcome(line, field, List.of(), UpgradeMetrics.Outcome.BAD_REQUEST, UpgradeMetrics.NONE, x.status(),
                x.status() + " " + x.getMessage());
        }
        String preferred = negotiator.metricKey(upgrade.offers());
        if (!upgrade.connectionUpgrade())
            return dryRunOutcome(line, field, List.of(), UpgradeMetrics.Outcome.BAD_REQUEST, preferred, HttpStatus.BAD_REQUEST_400,
                "400 " + UpgradeErrorHandler.MISSING_CONNECTION_UPGRADE);
        if (!upgrade.hasOffers())
            return dryRunNotUpgraded(line, field, policy, preferred, "no well-formed offer");
        if (upgrade.connectionClose())
            return dryRunNotUpgraded(line, field, policy, preferred, "Connection: close");
        List<Negotiation.Step> steps = new ArrayList<>();
        Decision decision = negotiator.decide(upgrade.offers(), request, policy, Set.of(), request.getLength() <= limits.maxBodyBytes(), steps);
        return dryRunDecision(request, line, field, steps, decision, preferred, policy, false);
    }

    private Negotiation dryRunExtendedConnect(Request request, String line, String field, UpgradePolicy policy) {
        UpgradeOffer offer;
        try {
            offer = UpgradeHeaderParser.parseConnectProtocol(field, limits);
        } catch (MalformedUpgradeException x) {
            return dryRunOutcome(line, field, List.of(), UpgradeMetrics.Outcome.BAD_REQUEST, UpgradeMetrics.NONE, x.status(),
                x.status() + " " + x.getMessage());
        }
        List<UpgradeOffer> offers = List.of(offer);
        List<Negotiation.Step> steps = new ArrayList<>();
        Decision decision = negotiator.decide(offers, request, policy, Set.of(), true, steps);
        return dryRunDecision(request, line, field, steps, decision, negotiator.metricKey(offers), policy, true);
    }

    /** The negotiation {@code decision} makes, as {@link #negotiate} would answer it. */
    private Negotiation dryRunDecision(Request request, String line, String field, List<Negotiation.Step> steps, Decision decision,
                                       String preferred, UpgradePolicy policy, boolean extendedConnect) {
        if (decision instanceof Decision.Upgrade up) {
            int status = extendedConnect ? HttpStatus.OK_200 : HttpStatus.SWITCHING_PROTOCOLS_101;
            return dryRunOutcome(line, field, steps, UpgradeMetrics.Outcome.UPGRADED, up.handler().protocol(), status,
                status + " " + up.accept().protocol());
        }
        if (decision instanceof Decision.Refuse refuse)
            return dryRunOutcome(line, field, steps, UpgradeMetrics.Outcome.REJECTED, refuse.handler().protocol(),
                refuse.reject().status(), refuse.reject().status() + " " + refuse.reject().reason());
        if (extendedConnect && policy.isRequired())
            return dryRunOutcome(line, field, steps, UpgradeMetrics.Outcome.UPGRADE_REQUIRED, preferred,
                HttpStatus.NOT_IMPLEMENTED_501, "501 " + CONNECT_PROTOCOL + ": " + connectProtocols(policy));
        if (extendedConnect)
            return dryRunOutcome(line, field, steps, UpgradeMetrics.Outcome.REJECTED, preferred,
                HttpStatus.NOT_IMPLEMENTED_501, "501 " + notAccepted(request, connectProtocols(policy)));
        if (decision instanceof Decision.RequireUpgrade require)
            return dryRunOutcome(line, field, steps, UpgradeMetrics.Outcome.UPGRADE_REQUIRED, preferred,
                HttpStatus.UPGRADE_REQUIRED_426, "426 Upgrade: " + require.advertised());
        return dryRunOutcome(line, field, steps, UpgradeMetrics.Outcome.FALLBACK, preferred, 0,
            "served by the application: no handler accepted");
    }

    private Negotiation dryRunNotUpgraded(String line, String field, UpgradePolicy policy, String preferred, String why) {
        if (policy.isRequired())
            return dryRunOutcome(line, field, List.of(), UpgradeMetrics.Outcome.UPGRADE_REQUIRED, preferred,
                HttpStatus.UPGRADE_REQUIRED_426, "426 Upgrade: " + advertised(policy));
        return dryRunOutcome(line, field, List.of(), UpgradeMetrics.Outcome.FALLBACK, preferred, 0, "served by the application: " + why);
    }

    private static Negotiation dryRunOutcome(String line, String field, List<Negotiation.Step> steps, UpgradeMetrics.Outcome outcome,
                                             String protocol, int status, String answer) {
        return new Negotiation(line, field, steps, outcome, protocol, status, answer, 0);
    }

    /**
     * The upgraded connections open now, for diagnostics.
     *
     * @return how many connections this dispatcher switched are still open
     */
    public int upgradedConnections() {
        return connections.openConnections();
    }

    /**
     * The counters this dispatcher records into.
     *
     * @return its {@link Switchboard}'s metrics
     */
    public UpgradeMetrics metrics() {
        return outcomes.metrics();
    }

    /**
     * Asks the handler of every upgraded connection to say goodbye
     * ({@link ProtocolHandler#shutdown(Connection)}), and every connection that switches from now
     * on as soon as it opens; completes when every goodbye is written.
     */
    @Override
    public CompletableFuture<Void> shutdown() {
        return connections.shutdown();
    }

    @Override
    public boolean isShutdown() {
        return connections.isShutdown();
    }

    @Override
    protected void doStop() throws Exception {
        connections.closeAll();
        super.doStop();
    }
}
