package org.switchboard.examples;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import com.google.inject.Guice;
import com.google.inject.Injector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.ServerLimits;
import org.switchboard.Switchboard;
import org.switchboard.UpgradePolicy;
import org.switchboard.guice.SwitchboardModule;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The sample server: one Jetty server on one port serving every protocol whose handler is on the
 * class path (found by {@link java.util.ServiceLoader}), with Switchboard choosing per request.
 */
@Command(name = "switchboard-sample", mixinStandardHelpOptions = true, subcommands = RelayCli.class,
    description = "Starts the Switchboard sample multi-protocol server (or, with relay-cli, chats in its room).")
public final class SampleServer implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SampleServer.class);

    @Option(names = "--port", description = "TCP port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port = 8080;

    @Option(names = "--host", description = "interface to listen on (default: ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--head-timeout", converter = DurationConverter.class, paramLabel = "TIME",
        description = "the most time a client has to send a request head (and an upgrade request's body), from its first byte: 408 and close after it; e.g. 15s, 500ms; 0 turns it off (default: 15s)")
    Duration headTimeout = ServerLimits.DEFAULT.requestHeadTimeout();

    @Option(names = "--max-connections", paramLabel = "N",
        description = "the most connections open at once; further clients wait in the listen backlog; 0: no limit (default: ${DEFAULT-VALUE})")
    int maxConnections = ServerLimits.DEFAULT.maxConnections();

    @Option(names = "--max-connections-per-address", paramLabel = "N",
        description = "the most connections open at once from one IP address; more are closed at once; 0: no limit, for use behind a reverse proxy (default: ${DEFAULT-VALUE})")
    int maxConnectionsPerAddress = 256;

    @Option(names = "--accept-queue", paramLabel = "N",
        description = "the listen backlog; the kernel caps it at net.core.somaxconn (default: ${DEFAULT-VALUE})")
    int acceptQueue = ServerLimits.DEFAULT.acceptQueueSize();

    @Option(names = "--max-retained-buffer-mib", paramLabel = "MIB",
        description = "the most memory the buffer pool keeps after use, MiB of heap and as much again of direct memory (default: ${DEFAULT-VALUE})")
    long maxRetainedBufferMib = ServerLimits.DEFAULT.maxRetainedDirectBytes() >> 20;

    @Option(names = "--allowed-host", paramLabel = "NAME",
        description = "a host name (or IP) the server answers for, repeatable; any other Host gets 421 (DNS rebinding defense); none given: any host")
    List<String> allowedHosts = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new SampleServer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Server server = startServer();
        server.join();
        return 0;
    }

    /** The limits the flags set. */
    ServerLimits serverLimits() {
        return ServerLimits.DEFAULT
            .withRequestHeadTimeout(headTimeout)
            .withMaxConnections(maxConnections)
            .withMaxConnectionsPerAddress(maxConnectionsPerAddress)
            .withAcceptQueueSize(acceptQueue)
            .withMaxRetainedHeapBytes(maxRetainedBufferMib << 20)
            .withMaxRetainedDirectBytes(maxRetainedBufferMib << 20);
    }

    /** Builds and starts the server the flags describe; the caller stops it. */
    Server startServer() throws Exception {
        return start(host, port, serverLimits(), allowedHosts);
    }

    /**
     * The sample's routes. Handlers bound with Guice come first; then every other protocol found on
     * the class path (the time/1 plugin) is added with no code here.
     */
    static void routes(Switchboard.Builder builder) {
        builder.discoverHandlers()
            .route("/chat", UpgradePolicy.required("websocket"))
            .route("/echo", UpgradePolicy.optional("websocket", "h2c"))
            .route("/relay", UpgradePolicy.required("relay"))
            // The page's views of the server at work: plain GETs, HTTP/2 the only other way in.
            .route("/negotiate", UpgradePolicy.optional("h2c"))
            .route("/negotiations", UpgradePolicy.optional("h2c"))
            .route("/members", UpgradePolicy.optional("h2c"));
    }

    /** Builds and starts the server with the sample's default limits; the caller stops it. Ctrl-C stops it gracefully. */
    public static Server start(String host, int port) throws Exception {
        SampleServer defaults = new SampleServer();
        return start(host, port, defaults.serverLimits(), defaults.allowedHosts);
    }

    /**
     * As {@link #start(String, int)}, with {@code limits} and, unless empty, only {@code allowedHosts}
     * answered (any other host gets 421).
     */
    public static Server start(String host, int port, ServerLimits limits, List<String> allowedHosts) throws Exception {
        NegotiationFeed negotiations = new NegotiationFeed(Clock.systemUTC());
        Injector injector = Guice.createInjector(
            new SwitchboardModule(builder -> {
                routes(builder);
                builder.serverLimits(limits).allowedHosts(allowedHosts).listener(negotiations);
            }),
            binder -> binder.bind(NegotiationFeed.class).toInstance(negotiations),
            new RoomModule(),
            new WebSocketModule(),
            new H2cModule(),
            new RelayModule());
        Switchboard switchboard = injector.getInstance(Switchboard.class);
        String protocols = switchboard.handlers().stream().map(ProtocolHandler::protocol).collect(Collectors.joining(", "));
        Server server = switchboard.newServer(host, port, injector.getInstance(Handler.class));
        server.setStopAtShutdown(true);
        server.setStopTimeout(5_000);
        server.start();
        int actual = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        LOG.info("Switchboard sample on http://{}:{}/ — upgrades to: {}", host, actual, protocols.isEmpty() ? "(none on the class path)" : protocols);
        return server;
    }

    /** {@code 15s}, {@code 500ms}, {@code 0}, or ISO-8601 ({@code PT15S}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            if (text.endsWith("ms"))
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            if (text.endsWith("s") && !text.startsWith("p"))
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            if (text.equals("0"))
                return Duration.ZERO;
            return Duration.parse(value);
        }
    }
}
