package org.switchboard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.TunnelSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.Negotiation;
import org.switchboard.NegotiationListener;
import org.switchboard.UpgradeMetrics;
import org.switchboard.internal.jfr.FlightRecording;
import org.switchboard.internal.jfr.NegotiationEvent;

/**
 * Where an upgrade request's outcome goes (SB6): counted in the {@link UpgradeMetrics} always, and,
 * only when listeners are registered or a JFR recording has {@link NegotiationEvent} enabled,
 * described as a {@link Negotiation} to each of them. Nothing is built for observers that do not
 * exist: the steps list is made only for an observed (or debug-logged) request.
 */
public final class Outcomes {

    private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);
    private static final String STEPS = Outcomes.class.getName() + ".steps";

    private final UpgradeMetrics metrics;
    private final NegotiationListener[] listeners;
    private final Set<NegotiationListener> faultLogged = ConcurrentHashMap.newKeySet();

    public Outcomes(UpgradeMetrics metrics, List<NegotiationListener> listeners) {
        this.metrics = metrics;
        this.listeners = listeners.toArray(NegotiationListener[]::new);
    }

    public UpgradeMetrics metrics() {
        return metrics;
    }

    /** Whether someone wants each request's steps: a listener, a recording, or the debug log of {@code log}. */
    public boolean observed(Logger log) {
        return described() || log.isDebugEnabled();
    }

    /** Whether a {@link Negotiation} is wanted: a listener is registered or a recording has the event on. */
    private boolean described() {
        return listeners.length > 0 || FlightRecording.recordsNegotiations();
    }

    /**
     * A list for the negotiator's steps of {@code request}, kept for {@link #record}: only when
     * listeners or the debug log want it, else {@code null}.
     */
    public List<Negotiation.Step> steps(Request request, Logger log) {
        if (!observed(log))
            return null;
        @SuppressWarnings("unchecked")
        List<Negotiation.Step> steps = (List<Negotiation.Step>) request.getAttribute(STEPS);
        if (steps == null) {
            steps = new ArrayList<>(4);
            if (described())
                request.setAttribute(STEPS, steps);
        }
        return steps;
    }

    /**
     * Counts {@code request}'s outcome, tells the listeners and commits a {@link NegotiationEvent}
     * if a recording wants one.
     *
     * @param detail what the answer says beyond its status: the protocol switched to, the
     *               rejection's reason, the 426's {@code Upgrade} value; for a fallback, why the
     *               request was not switched, or empty
     */
    public void record(Request request, String protocol, UpgradeMetrics.Outcome outcome, int status, String detail) {
        metrics.record(protocol, outcome, status);
        boolean recording = FlightRecording.recordsNegotiations();
        if (listeners.length == 0 && !recording)
            return;
        @SuppressWarnings("unchecked")
        List<Negotiation.Step> steps = (List<Negotiation.Step>) request.getAttribute(STEPS);
        Negotiation negotiation = new Negotiation(requestLine(request), upgradeField(request), steps == null ? List.of() : steps,
            outcome, protocol, status, answer(outcome, status, detail), Math.max(0, System.nanoTime() - request.getHeadersNanoTime()));
        if (recording)
            FlightRecording.negotiated(negotiation);
        for (NegotiationListener listener : listeners) {
            try {
                listener.negotiated(negotiation);
            } catch (RuntimeException x) {
                if (faultLogged.add(listener))
                    LOG.warn("negotiation listener {} failed; ignored (logged once)", listener, x);
                else if (LOG.isDebugEnabled())
                    LOG.debug("negotiation listener {} failed; ignored", listener, x);
            }
        }
    }

    /** The request line, as the debug log and {@link Negotiation#requestLine()} show it. */
    public static String requestLine(Request request) {
        return request.getMethod() + " " + request.getHttpURI().getPathQuery() + " " + request.getConnectionMetaData().getProtocol();
    }

    /**
     * Every {@code Upgrade} field line of {@code request}, joined; empty without one. For an
     * extended CONNECT, its {@code :protocol}: the same offer in HTTP/2's place for it (C1).
     */
    public static String upgradeField(Request request) {
        TunnelSupport tunnel = ConnectionSwitch.extendedConnect(request);
        if (tunnel != null)
            return tunnel.getProtocol();
        List<String> values = request.getHeaders().getValuesList(HttpHeader.UPGRADE);
        return values.isEmpty() ? "" : String.join(", ", values);
    }

    private static String answer(UpgradeMetrics.Outcome outcome, int status, String detail) {
        return switch (outcome) {
            // Over HTTP/2 the 426's list travels as Connect-Protocol in a 501 (C4).
            case UPGRADE_REQUIRED -> status + (status == 426 ? " Upgrade: " : " Connect-Protocol: ") + detail;
            case FALLBACK -> detail.isEmpty() ? "served by the application" : "served by the application: " + detail;
            default -> status + " " + detail;
        };
    }
}
