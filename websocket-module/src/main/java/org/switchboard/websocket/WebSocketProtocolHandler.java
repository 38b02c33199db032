package org.switchboard.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.switchboard.internal.ConnectionSwitch;
import org.switchboard.internal.PathSpecs;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.Verdict;

/**
 * The {@code websocket} {@link ProtocolHandler} (RFC 6455): Switchboard decides, Jetty's WebSocket
 * server does the handshake response, the framing, compression and closing.
 *
 * <p>For an offer of {@code websocket} on a request whose path maps to a {@link WebSocketEndpoint}:
 * <ol>
 *   <li>no endpoint at the path: {@link Verdict#decline} — the next offer or the application gets
 *       the request;</li>
 *   <li>not a GET, no {@code Host}, no or several or malformed {@code Sec-WebSocket-Key}, no
 *       {@code Sec-WebSocket-Version}: {@code 400} with a reason (W1, W3); over HTTP/2 only the
 *       version is checked;</li>
 *   <li>a {@code Sec-WebSocket-Version} other than {@code 13}: {@code 426} with
 *       {@code Sec-WebSocket-Version: 13} (W4);</li>
 *   <li>an {@code Origin} the endpoint's {@link OriginPolicy} refuses: {@code 403} (W5);</li>
 *   <li>otherwise a {@link Verdict#handOff hand-off} to
 *       {@link ServerWebSocketContainer#upgrade}, which answers {@code 101} with
 *       {@code Sec-WebSocket-Accept} (W2), the subprotocol picked per the endpoint (W6) and the
 *       extensions Jetty negotiated, {@code permessage-deflate} unless the endpoint turned it off
 *       (W7). Jetty sees the request with {@code Upgrade: websocket} alone, so a websocket offer
 *       wins wherever the dispatcher ranks it ({@code websocket, h2c}; {@code foo, websocket}), and
 *       without the {@code permessage-deflate} offers it cannot honour or that RFC 7692 §7.1 says to
 *       decline, nor malformed {@code Sec-WebSocket-Extensions} elements ({@link RFC7692Offers}):
 *       the next offer or no compression is used, never the whole handshake refused.</li>
 * </ol>
 * Sessions get the endpoint's {@link WebSocketLimits} (1009 when a message is too big).
 *
 * <p>Over HTTP/2 (RFC 8441) the dispatcher asks this handler about an extended {@code CONNECT} with
 * {@code :protocol websocket} exactly as about an {@code Upgrade: websocket} (rules C1–C6): the same
 * endpoints, the same W4/W5 checks (the method, {@code Host} and key rules of W1 do not apply: RFC
 * 8441 §5 replaces them), the same W6/W7 choices, and Jetty's RFC 8441 handshake answers
 * {@code 200} and runs the WebSocket in the stream. The HTTP/2 connection factory must have
 * {@code setConnectProtocolEnabled(true)} (h2c-module's default), or clients never send such requests.
 *
 * <p>On a graceful server stop ({@code Server.setStopTimeout} &gt; 0) every session is closed with
 * {@code 1001 Going Away} before connections are closed (W8).
 *
 * <p>The handler uses the {@link ServerWebSocketContainer} of the server the request came in on
 * ({@link ServerWebSocketContainer#ensure(Server)}), so its sessions are Jetty's usual ones
 * ({@code getOpenSessions()}, session listeners). It is thread-safe and may serve several servers.
 */
public final class WebSocketProtocolHandler implements ProtocolHandler {

    /** The {@code Upgrade} token of RFC 6455. */
    public static final String PROTOCOL = "websocket";

    private final List<WebSocketEndpoint> endpoints;
    private final PathMappings<WebSocketEndpoint> mappings = new PathMappings<>();
    private final SessionLimits sessionLimits;
    private final Set<ServerWebSocketContainer> containers = ConcurrentHashMap.newKeySet();

    private WebSocketProtocolHandler(List<WebSocketEndpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
        for (WebSocketEndpoint endpoint : this.endpoints) {
            if (mappings.put(PathSpecs.parse(endpoint.pathSpec()), endpoint) != null)
                throw new IllegalArgumentException("two WebSocket endpoints at " + endpoint.pathSpec());
        }
        this.sessionLimits = new SessionLimits(mappings);
    }

    /**
     * A handler with no endpoint yet.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The endpoints, in registration order.
     *
     * @return an unmodifiable list
     */
    public List<WebSocketEndpoint> endpoints() {
        return endpoints;
    }

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public Verdict negotiate(UpgradeOffer offer, Request request) {
        String path = Request.getPathInContext(request);
        WebSocketEndpoint endpoint = endpointAt(path);
        if (endpoint == null)
            return Verdict.decline("no WebSocket endpoint at " + path);

        // RFC 8441 4-5: an extended CONNECT replaces GET, Upgrade, Connection and Sec-WebSocket-Key;
        // the version (W4) and Origin (W5) rules stay.
        boolean extendedConnect = ConnectionSwitch.extendedConnect(request) != null;
        Verdict.Reject problem = extendedConnect ? RFC6455Handshake.versionProblem(request.getHeaders()) : RFC6455Handshake.problem(request);
        if (problem == null)
            problem = originProblem(endpoint, request);
        if (problem != null)
            return problem;

        WebSocketCreator creator = creator(endpoint);
        // Jetty's container picks RFC 6455 or RFC 8441 by the request and answers 101 or 200 itself.
        return Verdict.handOff(PROTOCOL, (rq, rs, callback) -> container(rq).upgrade(creator,
            extendedConnect ? WebSocketUpgradeView.ofExtendedConnect(rq) : WebSocketUpgradeView.of(rq), rs, callback));
    }

    WebSocketEndpoint endpointAt(String path) {
        MatchedResource<WebSocketEndpoint> match = mappings.getMatched(path);
        return match == null ? null : match.getResource();
    }

    static Verdict.Reject originProblem(WebSocketEndpoint endpoint, Request request) {
        if (endpoint.origins().allows(request))
            return null;
        return Verdict.reject(HttpStatus.FORBIDDEN_403, "Origin " + request.getHeaders().get(HttpHeader.ORIGIN)
            + " may not open a WebSocket at " + Request.getPathInContext(request) + " (RFC 6455 4.2.2)");
    }

    /** Wraps the application's creator so that the endpoint's W6/W7 choices are made first; the application may still override them. */
    static WebSocketCreator creator(WebSocketEndpoint endpoint) {
        return (upgradeRequest, upgradeResponse, callback) -> {
            String subprotocol = pick(endpoint, upgradeRequest.getSubProtocols());
            if (subprotocol != null)
                upgradeResponse.setAcceptedSubProtocol(subprotocol);
            if (!endpoint.compression()) {
                List<ExtensionConfig> kept = new ArrayList<>(upgradeResponse.getExtensions());
                kept.removeIf(extension -> RFC7692Offers.PERMESSAGE_DEFLATE.equalsIgnoreCase(extension.getName()));
                upgradeResponse.setExtensions(kept);
            }
            return endpoint.creator().createWebSocket(upgradeRequest, upgradeResponse, callback);
        };
    }

    /** W6: one of the offered values, or none; subprotocol names compare exactly (RFC 6455 4.1). */
    static String pick(WebSocketEndpoint endpoint, List<String> offered) {
        List<String> spoken = endpoint.subprotocols();
        if (endpoint.subprotocolOrder() == SubprotocolOrder.SERVER_PREFERENCE) {
            for (String candidate : spoken)
                if (offered.contains(candidate))
                    return candidate;
        } else {
            for (String candidate : offered)
                if (spoken.contains(candidate))
                    return candidate;
        }
        return null;
    }

    /**
     * The container of {@code request}'s server, prepared once per server: our session limits are
     * added to it the first time.
     */
    ServerWebSocketContainer container(Request request) {
        Server server = request.getConnectionMetaData().getConnector().getServer();
        // Every handshake passes here: once a container is prepared, an attribute and a set lookup
        // are all it costs. Creating one (ensure) is not thread-safe, so it happens under the lock.
        ServerWebSocketContainer container = ServerWebSocketContainer.get(server.getContext());
        if (container != null && containers.contains(container))
            return container;
        synchronized (this) {
            container = ServerWebSocketContainer.ensure(server);
            if (!container.contains(sessionLimits)) {
                container.addSessionListener(sessionLimits);
                container.addBean(sessionLimits, false);
            }
            containers.add(container);
            return container;
        }
    }

    /**
     * Closes the session on {@code connection} with {@code 1001 Going Away} (W8); completes when the
     * close frame is written. Jetty's {@code WebSocketConnection} is not {@code Graceful}, so without
     * this the dispatcher would drop the TCP connection and the client would see 1006.
     */
    @Override
    public CompletableFuture<Void> shutdown(Connection connection) {
        for (ServerWebSocketContainer container : containers) {
            for (Session session : container.getOpenSessions()) {
                // By connection, not by address: over HTTP/2 (RFC 8441) many sessions share one.
                if (session instanceof WebSocketSession jetty && jetty.getCoreSession() instanceof WebSocketCoreSession core
                    && core.getConnection() == connection) {
                    Callback.Completable closed = new Callback.Completable();
                    session.close(StatusCode.SHUTDOWN, "server shutting down", closed);
                    return closed;
                }
            }
        }
        connection.close();
        return CompletableFuture.completedFuture(null);
    }

    /** Builds a {@link WebSocketProtocolHandler}. Not thread-safe. */
    public static final class Builder {

        private final List<WebSocketEndpoint> endpoints = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds an endpoint.
         *
         * @param endpoint the endpoint; its path must differ from every other's
         * @return this builder
         */
        public Builder endpoint(WebSocketEndpoint endpoint) {
            endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        /**
         * Adds an endpoint at {@code pathSpec} with the defaults of {@link WebSocketEndpoint#builder}.
         *
         * @param pathSpec where the endpoint lives, in the path language of routes
         * @param creator  creates the Jetty endpoint object for each accepted handshake
         * @return this builder
         */
        public Builder endpoint(String pathSpec, WebSocketCreator creator) {
            return endpoint(WebSocketEndpoint.builder(pathSpec, creator).build());
        }

        /**
         * Adds endpoints, as {@link #endpoint(WebSocketEndpoint)} does each.
         *
         * @param more the endpoints
         * @return this builder
         */
        public Builder endpoints(List<WebSocketEndpoint> more) {
            more.forEach(this::endpoint);
            return this;
        }

        /**
         * The handler, serving the endpoints added so far.
         *
         * @return a new handler
         * @throws IllegalArgumentException if a path spec is malformed or two endpoints share one
         */
        public WebSocketProtocolHandler build() {
            return new WebSocketProtocolHandler(endpoints);
        }
    }
}
