package org.switchboard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.UpgradeMetrics;
import org.switchboard.internal.jfr.FlightRecording;
import org.switchboard.internal.jfr.UpgradedConnectionEvent;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.SwitchContext;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.UpgradedConnection;
import org.switchboard.spi.Verdict;

/**
 * How a connection switches once a handler has accepted, and what happens to it until it closes.
 * Two kinds of request switch: an HTTP/1.1 upgrade request, whose TCP connection the protocol
 * takes after a {@code 101}; and an HTTP/2 extended {@code CONNECT} (RFC 8441, rules C1–C6), whose
 * stream the protocol takes after a {@code 200} — the same handler, the same opener, the same
 * tracking.
 *
 * <p>For a {@link Verdict.Switch}, in this order:
 * <ol>
 *   <li>the handler's opener builds the new connection, with the request body the dispatcher read
 *       (U10) and the endpoint it will own: the TCP connection's, or for extended CONNECT the
 *       stream's ({@code TunnelSupport.getEndPoint()}, whose reads are the stream's DATA frames and
 *       whose writes wait on HTTP/2 flow control); it must implement {@link Connection.UpgradeTo},
 *       else the client gets a 500 and no switch — Jetty would otherwise drop the bytes the client
 *       pipelined after its request and answer the 101 with EOF;</li>
 *   <li>the connection is tracked (below), and the switch is counted;</li>
 *   <li>Jetty's upgrade attribute is set and the answer written: a {@code 101} with
 *       {@code Upgrade: <protocol>}, exactly {@code Connection: Upgrade}, the handler's headers and
 *       no body (U4); or over HTTP/2 a {@code 200} with the handler's headers and neither of those
 *       hop-by-hop fields (C3), the stream left open;</li>
 *   <li>once the answer is flushed, Jetty hands the endpoint to the new connection
 *       ({@code EndPoint.upgrade}): on HTTP/1.1 with every byte after the request
 *       ({@link UpgradedConnection#onUpgradeTo}); on a stream, DATA frames the client sent with or
 *       right after its CONNECT wait, unread, in the stream until the connection reads them (C3).</li>
 * </ol>
 * A {@link Verdict.HandOff} writes its own 101 or 200; the connection is tracked if it did.
 *
 * <p>Tracking: a switched connection is counted open and put on the goodbye list when Jetty opens
 * it — not before, or a stop right after the 101 would race the switch — and taken off both
 * exactly once when it closes, however early the client goes away — on a stream too: Jetty's stream
 * endpoint closes its connection when the stream ends, is reset or its HTTP/2 connection goes away;
 * while a JFR recording is on, its lifetime is an {@link UpgradedConnectionEvent}. {@link #shutdown()} asks each
 * connection's handler to say goodbye ({@link ProtocolHandler#shutdown(Connection)});
 * {@link #closeAll()} closes what is left.
 */
public final class ConnectionSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSwitch.class);

    private final UpgradeMetrics metrics;
    private final Outcomes outcomes;
    private final Map<Connection, ProtocolHandler> open = new ConcurrentHashMap<>();
    private volatile boolean shutdown;

    public ConnectionSwitch(Outcomes outcomes) {
        this.outcomes = outcomes;
        this.metrics = outcomes.metrics();
    }

    /**
     * The tunnel of an extended CONNECT request (RFC 8441: HTTP/2 or HTTP/3, {@code :method CONNECT}
     * with a {@code :protocol}), or {@code null} for any other request.
     */
    public static TunnelSupport extendedConnect(Request request) {
        if (!HttpMethod.CONNECT.is(request.getMethod()))
            return null;
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        if (version != HttpVersion.HTTP_2 && version != HttpVersion.HTTP_3)
            return null;
        TunnelSupport tunnel = request.getTunnelSupport();
        return tunnel == null || tunnel.getProtocol() == null ? null : tunnel;
    }

    /** Switches to {@code accept}'s connection as the class description says; completes {@code callback}. */
    public void switchTo(Request request, Response response, Callback callback, ProtocolHandler handler,
                         UpgradeOffer offer, Verdict.Switch accept, RequestBody body) {
        ConnectionMetaData meta = request.getConnectionMetaData();
        TunnelSupport tunnel = extendedConnect(request);
        EndPoint endPoint = tunnel != null ? tunnel.getEndPoint() : meta.getConnection().getEndPoint();
        HttpFields.Mutable extra = HttpFields.build();
        Connection connection;
        try {
            connection = accept.opener().open(new SwitchContext(meta.getConnector(), endPoint, request, offer, body.bytes(), extra));
        } catch (Throwable x) {
            LOG.warn("{} handler failed to open its connection", handler.protocol(), x);
            serverError(request, response, callback, handler, accept);
            return;
        }
        if (!(connection instanceof Connection.UpgradeTo)) {
            LOG.error("{} handler opened {}, which does not implement Connection.UpgradeTo: extend UpgradedConnection",
                handler.protocol(), connection);
            serverError(request, response, callback, handler, accept);
            return;
        }
        int status = tunnel != null ? HttpStatus.OK_200 : HttpStatus.SWITCHING_PROTOCOLS_101;
        track(connection, handler, meta.getConnector());
        outcomes.record(request, handler.protocol(), UpgradeMetrics.Outcome.UPGRADED, status, accept.protocol());
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, connection);
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        if (tunnel == null) {
            headers.put(HttpHeader.UPGRADE, accept.protocol());
            headers.put(HttpHeader.CONNECTION, "Upgrade");
        }
        headers.add(accept.headers());
        if (extra.size() > 0)
            headers.add(extra);
        response.write(true, null, callback);
    }

    /**
     * Lets {@code accept}'s upgrader write its own 101; tracks the connection it switched to.
     *
     * @return whether it took the exchange ({@code false}: it wrote nothing, try the next offer)
     */
    public boolean handOff(Request request, Response response, Callback callback, ProtocolHandler handler,
                           Verdict.HandOff accept) throws Exception {
        Callback tracking = new Callback() {
            @Override
            public void succeeded() {
                // Called before Jetty hands the endpoint over, so the listener is in place for onOpened.
                TunnelSupport tunnel = extendedConnect(request);
                int switched = tunnel != null ? HttpStatus.OK_200 : HttpStatus.SWITCHING_PROTOCOLS_101;
                if (response.getStatus() == switched &&
                    request.getAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE) instanceof Connection connection) {
                    track(connection, handler, request.getConnectionMetaData().getConnector());
                    outcomes.record(request, handler.protocol(), UpgradeMetrics.Outcome.UPGRADED, switched, accept.protocol());
                }
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                callback.failed(x);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
        return accept.upgrader().upgrade(request, response, tracking);
    }

    private void serverError(Request request, Response response, Callback callback, ProtocolHandler handler, Verdict.Accept accept) {
        outcomes.record(request, handler.protocol(), UpgradeMetrics.Outcome.REJECTED, HttpStatus.INTERNAL_SERVER_ERROR_500,
            "could not switch to " + accept.protocol());
        PlainTextResponses.serverError(request, response, callback, "could not switch to " + accept.protocol());
    }

    /** The switched connections open now. */
    public int openConnections() {
        return open.size();
    }

    /** Asks every open connection's handler to say goodbye; connections that open from now on are asked at once. */
    public CompletableFuture<Void> shutdown() {
        shutdown = true;
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        open.forEach((connection, handler) -> pending.add(goodbye(connection, handler)));
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    public boolean isShutdown() {
        return shutdown;
    }

    /** Closes every connection still open. */
    public void closeAll() {
        for (Connection connection : open.keySet())
            connection.close();
    }

    private void track(Connection connection, ProtocolHandler handler, Connector connector) {
        connection.addEventListener(new Tracking(handler, connector));
    }

    private CompletableFuture<Void> goodbye(Connection connection, ProtocolHandler handler) {
        try {
            // A goodbye that fails because the connection is already closing (the client left,
            // or the protocol's own shutdown got there first) has nothing left to do: it must
            // not fail the server's stop.
            return handler.shutdown(connection).exceptionally(x -> {
                LOG.debug("{} goodbye on {} did not complete", handler.protocol(), connection, x);
                return null;
            });
        } catch (RuntimeException x) {
            LOG.warn("{} handler failed to shut {} down; closing it", handler.protocol(), connection, x);
            connection.close();
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Follows one switched connection from Jetty's hand-over to its close, so that it enters and
     * leaves the open gauge and the goodbye list exactly once, whenever the client goes away.
     *
     * <p>The close can arrive on another thread while {@code onOpened} is still counting the
     * connection: a protocol connection may start its I/O before this listener hears {@code onOpen}
     * (h2c's sends its SETTINGS and serves stream 1 from a listener of its own), and a reset noticed
     * by that I/O has Jetty's selector call {@code onClose} at once. So counting is a state of its
     * own ({@code OPENING}): a close that finds it leaves the uncounting to {@code onOpened}, which
     * undoes what it counted as soon as it sees the state changed. Counting and uncounting are each
     * done by the one thread that moved the state, never half by each.
     *
     * <p>The other hard case is a client that resets the socket during the switch. Jetty closes a dead
     * endpoint's connection in a task of its own ({@code ManagedSelector.DestroyEndPoint}), which
     * calls {@code onClose} on whichever connection the endpoint has when it runs. If that is still
     * the HTTP/1.1 connection, the protocol's connection is opened afterwards on a closed endpoint
     * and Jetty never closes it: it would stay counted, awaited at shutdown and, for the protocol,
     * a member of whatever it joined in {@code onOpen}. So when a connection opens on a closed
     * endpoint, this waits until Jetty has finished with the endpoint (the connector forgets it
     * last) and, if the close went to the old connection, closes the new one as Jetty would have.
     */
    private final class Tracking extends AtomicInteger implements Connection.Listener {

        private static final int NEW = 0;
        /** {@code onOpened} is counting it: whoever closes it meanwhile leaves the uncounting to {@code onOpened}. */
        private static final int OPENING = 1;
        private static final int OPEN = 2;
        private static final int CLOSED = 3;
        /** How often, and how many times at most, to look whether Jetty has finished with a dead endpoint. */
        private static final long DESTROY_POLL_MS = 50;
        private static final int DESTROY_POLLS = 200;

        // The state (NEW, OPENING, OPEN, CLOSED) is the AtomicInteger this is: one object per connection, not two.
        private final ProtocolHandler handler;
        private final Connector connector;
        /** Set before the state leaves OPENING, so the close that sees OPEN sees it too; null unless recording. */
        private UpgradedConnectionEvent lifetime;

        Tracking(ProtocolHandler handler, Connector connector) {
            this.handler = handler;
            this.connector = connector;
        }

        @Override
        public void onOpened(Connection opened) {
            // Closed before it opened (Jetty may close a connection it never opens), or opened twice: never counted.
            if (!compareAndSet(NEW, OPENING))
                return;
            lifetime = FlightRecording.opened(handler.protocol(), opened);
            open.put(opened, handler);
            metrics.opened(handler.protocol());
            if (!compareAndSet(OPENING, OPEN)) {
                // Closed on another thread while being counted; that close left the uncounting to us.
                uncount(opened);
                return;
            }
            if (!opened.getEndPoint().isOpen())
                closeIfJettyWillNot(opened, 0);
            else if (shutdown)
                goodbye(opened, handler);
        }

        @Override
        public void onClosed(Connection closed) {
            // NEW: never counted. OPENING: onOpened is counting it and will uncount it. CLOSED: done already.
            if (getAndSet(CLOSED) == OPEN)
                uncount(closed);
        }

        private void uncount(Connection connection) {
            if (open.remove(connection) != null) {
                metrics.closed(handler.protocol());
                FlightRecording.closed(lifetime);
            }
        }

        private void closeIfJettyWillNot(Connection connection, int polls) {
            if (get() != OPEN)
                return;
            EndPoint endPoint = connection.getEndPoint();
            if (polls < DESTROY_POLLS && connector.getConnectedEndPoints().contains(endPoint)) {
                try {
                    connector.getScheduler().schedule(() -> closeIfJettyWillNot(connection, polls + 1), DESTROY_POLL_MS,
                        TimeUnit.MILLISECONDS);
                    return;
                } catch (RejectedExecutionException x) {
                    // The server is stopping and its scheduler with it: nobody would look again, so close it now.
                    LOG.debug("{} connection {}: cannot wait for Jetty to finish with its endpoint", handler.protocol(), connection, x);
                }
            }
            // Jetty has finished with the endpoint and its close went to the old connection.
            if (get() == OPEN) {
                LOG.debug("{} connection {} opened on an endpoint closed during the switch; closing it", handler.protocol(), connection);
                connection.onClose(new EofException("connection closed during the switch"));
            }
        }
    }
}
