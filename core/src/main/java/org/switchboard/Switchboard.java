package org.switchboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;

import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.switchboard.internal.AllowedHostsHandler;
import org.switchboard.internal.HeadDeadline;
import org.switchboard.internal.PerAddressConnectionLimit;
import org.switchboard.internal.UpgradeErrorHandler;
import org.switchboard.spi.ProtocolHandlerProvider;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.internal.UpgradeRoutes;
import org.switchboard.internal.Negotiator;
import org.switchboard.internal.Outcomes;

/**
 * Sets Switchboard up: which {@link ProtocolHandler}s, which {@link UpgradePolicy} per route, whose
 * order decides, what limits apply. Immutable once {@linkplain Builder#build() built}; one instance
 * can install dispatchers in several servers.
 *
 * <pre>{@code
 * Switchboard switchboard = Switchboard.builder()
 *     .handler(new MyProtocolHandler())
 *     .discoverHandlers()                                  // plus every ProtocolHandlerProvider on the classpath
 *     .route("/chat", UpgradePolicy.required("websocket"))
 *     .build();
 * Server server = switchboard.newServer("127.0.0.1", 8080, application);
 * server.start();
 * }</pre>
 */
public final class Switchboard {

    private final Negotiator negotiator;
    private final UpgradeRoutes routes;
    private final UpgradeLimits limits;
    private final UpgradeMetrics metrics;
    private final List<NegotiationListener> listeners;
    private final boolean advertise;
    private final ServerLimits serverLimits;
    private final Set<String> allowedHosts;

    private Switchboard(Builder builder) {
        this.negotiator = new Negotiator(builder.handlers, builder.order, builder.metrics);
        this.routes = builder.routes;
        this.limits = builder.limits;
        this.metrics = builder.metrics;
        this.listeners = List.copyOf(builder.listeners);
        this.advertise = builder.advertise;
        this.serverLimits = builder.serverLimits;
        this.allowedHosts = Set.copyOf(builder.allowedHosts);
    }

    /**
     * Starts a configuration: no handlers, every path {@link UpgradePolicy#OPTIONAL_ANY}, the
     * client's order, {@link UpgradeLimits#DEFAULT}, {@link ServerLimits#DEFAULT}, any host.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The handlers, in server priority order.
     *
     * @return an unmodifiable list
     */
    public List<ProtocolHandler> handlers() {
        return negotiator.handlers();
    }

    /**
     * The counters every dispatcher of this instance records into (SB6).
     *
     * @return the metrics given to {@link Builder#metrics}, or the default {@link UpgradeCounters}
     */
    public UpgradeMetrics metrics() {
        return metrics;
    }

    /**
     * A dispatcher in front of {@code application}. Prefer {@link #install}, which also prepares the connectors.
     *
     * @param application serves every request that is not switched
     * @return a new dispatcher, not yet in any server
     */
    public UpgradeDispatcher handler(Handler application) {
        return new UpgradeDispatcher(negotiator, routes, limits, new Outcomes(metrics, listeners), advertise, application);
    }

    /**
     * The limits {@link #install} applies to servers: bounded time for heads, connections, backlog, retained buffers.
     *
     * @return the limits given to {@link Builder#serverLimits}, or {@link ServerLimits#DEFAULT}
     */
    public ServerLimits serverLimits() {
        return serverLimits;
    }

    /**
     * Installs Switchboard in a server that is not started yet: a dispatcher in front of the
     * server's current handler, each handler's {@linkplain ProtocolHandler#connectionFactories()
     * connection factories} on every cleartext connector, and an error handler whose 400 for
     * {@code Upgrade} without {@code Connection: upgrade} says so (U6).
     *
     * <p>It also applies the {@linkplain Builder#serverLimits server limits} to every connector:
     * each plain {@link HttpConnectionFactory} (TLS connectors' too) is replaced by one with the
     * same configuration and the request head deadline; connectors that set no listen backlog get
     * {@link ServerLimits#acceptQueueSize()}; a per-address limit goes on every connector and one
     * overall {@link NetworkConnectionLimit} on the server. The byte buffer pool is the server's
     * own, fixed when it was constructed: build it with {@link ServerLimits#newByteBufferPool()} to
     * bound it ({@link #newServer} does). With {@linkplain Builder#allowedHosts allowed hosts},
     * a host check goes in front of the dispatcher, so {@code server.getHandler()} is that check.
     *
     * @param server a server, not started, whose handler serves what is not switched
     * @return the dispatcher installed
     * @throws IllegalStateException if the server is already started
     */
    public UpgradeDispatcher install(Server server) {
        if (server.isStarted())
            throw new IllegalStateException("install Switchboard before the server starts");
        UpgradeDispatcher dispatcher = handler(server.getHandler());
        server.setHandler(allowedHosts.isEmpty() ? dispatcher : new AllowedHostsHandler(allowedHosts, dispatcher));
        server.setErrorHandler(new UpgradeErrorHandler(server.getErrorHandler()));
        PerAddressConnectionLimit perAddress = serverLimits.maxConnectionsPerAddress() > 0
            ? new PerAddressConnectionLimit(serverLimits.maxConnectionsPerAddress()) : null;
        for (Connector connector : server.getConnectors()) {
            prepare(connector);
            limit(connector, perAddress);
        }
        if (serverLimits.maxConnections() > 0)
            server.addBean(new NetworkConnectionLimit(serverLimits.maxConnections(), server));
        return dispatcher;
    }

    /**
     * A new server with one HTTP/1.1 connector on {@code host:port} (0 for an ephemeral port) and
     * Switchboard installed in front of {@code application}; its byte buffer pool retains at most
     * what the {@linkplain ServerLimits server limits} allow.
     *
     * @param host        the address to bind, e.g. {@code 127.0.0.1}; null binds every interface
     * @param port        the TCP port; 0 for an ephemeral one
     * @param application serves every request that is not switched
     * @return the server, not started
     */
    public Server newServer(String host, int port, Handler application) {
        Server server = new Server(null, null, serverLimits.newByteBufferPool());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory());
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(application);
        install(server);
        return server;
    }

    private void limit(Connector connector, PerAddressConnectionLimit perAddress) {
        if (!(connector instanceof AbstractConnector abstractConnector))
            return;
        if (!serverLimits.requestHeadTimeout().isZero()) {
            // Every HTTP/1.1 connection, TLS included: there the HttpConnectionFactory is behind the SslConnectionFactory.
            for (ConnectionFactory factory : abstractConnector.getConnectionFactories()) {
                if (factory instanceof HttpConnectionFactory http)
                    HeadDeadline.install(http, serverLimits.requestHeadTimeout());
            }
        }
        if (connector instanceof ServerConnector serverConnector && serverConnector.getAcceptQueueSize() == 0)
            serverConnector.setAcceptQueueSize(serverLimits.acceptQueueSize());
        if (perAddress != null)
            abstractConnector.addEventListener(perAddress);
    }

    private void prepare(Connector connector) {
        // h2c and the like are cleartext-only (H4); TLS connectors negotiate with ALPN instead.
        if (connector.getConnectionFactory(SslConnectionFactory.class) != null || !(connector instanceof AbstractConnector abstractConnector))
            return;
        for (ProtocolHandler handler : handlers()) {
            for (ConnectionFactory factory : handler.connectionFactories()) {
                if (connector.getConnectionFactory(factory.getProtocol()) == null)
                    abstractConnector.addConnectionFactory(factory);
            }
        }
    }

    /** Builds a {@link Switchboard}. Not thread-safe. */
    public static final class Builder {

        private final List<ProtocolHandler> handlers = new ArrayList<>();
        private UpgradeRoutes routes = UpgradeRoutes.DEFAULT;
        private NegotiationOrder order = NegotiationOrder.CLIENT_PREFERENCE;
        private UpgradeLimits limits = UpgradeLimits.DEFAULT;
        private UpgradeMetrics metrics = new UpgradeCounters();
        private final List<NegotiationListener> listeners = new ArrayList<>();
        private boolean advertise;
        private ServerLimits serverLimits = ServerLimits.DEFAULT;
        private final Set<String> allowedHosts = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Registers a handler; registration order is the server's priority order (SB1).
         *
         * @param handler the handler
         * @return this builder
         * @throws IllegalArgumentException if a handler for the same protocol (without regard to
         *                                  case) is already registered
         */
        public Builder handler(ProtocolHandler handler) {
            Objects.requireNonNull(handler, "handler");
            if (speaks(handler.protocol()))
                throw new IllegalArgumentException("a handler for " + handler.protocol() + " is already registered");
            handlers.add(handler);
            return this;
        }

        /**
         * Registers handlers in iteration order, as {@link #handler} does each.
         *
         * @param more the handlers
         * @return this builder
         * @throws IllegalArgumentException if two handlers speak the same protocol
         */
        public Builder handlers(Collection<? extends ProtocolHandler> more) {
            more.forEach(this::handler);
            return this;
        }

        /**
         * Registers a handler from every {@link ProtocolHandlerProvider} that {@link ServiceLoader}
         * finds with the thread's context class loader, after those registered so far, skipping
         * protocols that already have a handler (so an explicitly configured handler wins).
         *
         * @return this builder
         */
        public Builder discoverHandlers() {
            return discoverHandlers(Thread.currentThread().getContextClassLoader());
        }

        /**
         * As {@link #discoverHandlers()}, with {@code loader}.
         *
         * @param loader the class loader {@link ServiceLoader} searches
         * @return this builder
         */
        public Builder discoverHandlers(ClassLoader loader) {
            for (ProtocolHandlerProvider provider : ServiceLoader.load(ProtocolHandlerProvider.class, loader)) {
                if (!speaks(provider.protocol()))
                    handler(provider.create());
            }
            return this;
        }

        /**
         * Sets the policy of the paths {@code pathSpec} matches, in Jetty's path-spec language — the
         * one WebSocket endpoints use too: {@code /chat} (exact), {@code /api/*} ({@code /api} and
         * below), {@code *.ws} (suffix), {@code ^/rooms/[a-z]+$} or {@code regex|…} (regular
         * expression), {@code uri-template|/rooms/{room}} (RFC 6570 template). Where several routes
         * match, the exact one wins, then the longest prefix, then suffixes, then expressions and
         * templates in the order given. Setting a spec again replaces its policy.
         *
         * @param pathSpec the paths, in one of the forms above
         * @param policy   the policy of those paths
         * @return this builder
         * @throws IllegalArgumentException if {@code pathSpec} is none of these forms
         */
        public Builder route(String pathSpec, UpgradePolicy policy) {
            routes = routes.with(pathSpec, policy);
            return this;
        }

        /**
         * The policy of paths no route matches; {@link UpgradePolicy#OPTIONAL_ANY} by default.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder defaultPolicy(UpgradePolicy policy) {
            routes = routes.withFallback(policy);
            return this;
        }

        /**
         * Whose preference decides (SB1); {@link NegotiationOrder#CLIENT_PREFERENCE} by default.
         *
         * @param order the order
         * @return this builder
         */
        public Builder order(NegotiationOrder order) {
            this.order = Objects.requireNonNull(order, "order");
            return this;
        }

        /**
         * Header and body limits (SB5, U10); {@link UpgradeLimits#DEFAULT} by default.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(UpgradeLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Where outcomes are counted; a new {@link UpgradeCounters} by default.
         *
         * @param metrics the recorder, called on the server's threads
         * @return this builder
         */
        public Builder metrics(UpgradeMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Adds a listener told of every upgrade request's {@link Negotiation} (SB6), after those
         * added so far; none by default, and without one no {@link Negotiation} is built.
         *
         * @param listener called on the server's threads, once per such request
         * @return this builder
         */
        public Builder listener(NegotiationListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Whether normal HTTP/1.1 responses carry {@code Upgrade:} with the route's protocols (U12); off by default.
         *
         * @param advertise true to advertise
         * @return this builder
         */
        public Builder advertise(boolean advertise) {
            this.advertise = advertise;
            return this;
        }

        /**
         * Connections, request head deadline, listen backlog and retained buffer memory that
         * {@link #newServer} and {@link #install} apply; {@link ServerLimits#DEFAULT} by default.
         *
         * @param serverLimits the limits
         * @return this builder
         */
        public Builder serverLimits(ServerLimits serverLimits) {
            this.serverLimits = Objects.requireNonNull(serverLimits, "serverLimits");
            return this;
        }

        /**
         * Adds host names (or IP literals) the server answers for; once there is one, a request for
         * any other host — by {@code Host}, or {@code :authority} over HTTP/2; names compare without
         * case and port — gets {@code 421 Misdirected Request} with a one-line reason, on every route,
         * before the dispatcher sees it. The defense against DNS rebinding, where a page on an
         * attacker's name that now resolves to this server sends {@code Host} and {@code Origin} both
         * naming the attacker, which a same-origin check accepts. None by default: any host.
         *
         * @param hosts names or IP literals, without port
         * @return this builder
         * @throws IllegalArgumentException if a name is blank
         */
        public Builder allowedHosts(Collection<String> hosts) {
            for (String host : hosts) {
                if (Objects.requireNonNull(host, "host").isBlank())
                    throw new IllegalArgumentException("blank allowed host");
                allowedHosts.add(host);
            }
            return this;
        }

        /**
         * The configuration so far, frozen.
         *
         * @return a new, immutable {@link Switchboard}
         * @throws IllegalArgumentException if a handler's protocol or one of its versions is not an
         *                                  RFC 9110 token (U1)
         */
        public Switchboard build() {
            return new Switchboard(this);
        }

        private boolean speaks(String protocol) {
            String name = protocol.toLowerCase(Locale.ROOT);
            return handlers.stream().anyMatch(h -> h.protocol().toLowerCase(Locale.ROOT).equals(name));
        }
    }
}
