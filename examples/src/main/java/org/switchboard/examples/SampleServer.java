package org.switchboard.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.component.LifeCycle;
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

    @Option(names = "--port", description = "TCP port on 127.0.0.1; 0 picks a free one (default: 8080, or 8443 when it is the TLS port)")
    Integer port;

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

    @Option(names = "--tls",
        description = "serve TLS (ALPN h2 and http/1.1) with a self-signed certificate made at start for localhost, 127.0.0.1 and --host; its SHA-256 fingerprint is printed")
    boolean tls;

    @Option(names = "--keystore", paramLabel = "PATH",
        description = "serve TLS (ALPN h2 and http/1.1) with the key and certificate in this PKCS12 or JKS key store")
    Path keyStore;

    @Option(names = "--keystore-password", paramLabel = "PASSWORD", defaultValue = "${env:" + KEYSTORE_PASSWORD_VARIABLE + "}",
        description = "the --keystore's password (also its key's); default: the environment variable " + KEYSTORE_PASSWORD_VARIABLE
            + ", so that it need not be on the command line")
    String keyStorePassword;

    @Option(names = "--keystore-password-file", paramLabel = "PATH",
        description = "read the --keystore's password from the first line of this file instead")
    Path keyStorePasswordFile;

    @Option(names = "--tls-port", paramLabel = "N",
        description = "with --tls or --keystore: serve TLS on this port and cleartext HTTP on --port (without it, --port is TLS only)")
    Integer tlsPort;

    @Option(names = "--redis", paramLabel = "URI",
        description = "keep the room in a Redis stream shared with every instance started with the same --redis and --room, e.g. redis://127.0.0.1:6379 (default: the room is in this process only)")
    String redis;

    @Option(names = "--room", paramLabel = "NAME",
        description = "the room's name: its Redis stream is room:NAME; 1 to 64 characters of [A-Za-z0-9_.-] (default: ${DEFAULT-VALUE})")
    String room = RoomOptions.DEFAULT.room();

    @Option(names = "--warm-up",
        description = "before the port opens, pass one exchange of each kind (HTTP/1.1, the room's JSON, /metrics, WebSocket, h2c, relay) through a throwaway copy of the server on a loopback port, so that the first clients of each kind do not wait 20-500 ms for the classes they need to load; the port opens 1.5-3 s later")
    boolean warmUp;

    @Option(names = "--room-history", paramLabel = "N",
        description = "the most messages kept for clients that reconnect (Redis: MAXLEN ~ N, approximately, never fewer) (default: ${DEFAULT-VALUE})")
    int roomHistory = RoomOptions.DEFAULT.history();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final int MAX_PASSWORD_FILE_BYTES = 4096;

    /** The environment variable {@code --keystore-password} defaults to. */
    static final String KEYSTORE_PASSWORD_VARIABLE = "SWITCHBOARD_KEYSTORE_PASSWORD";

    public static void main(String[] args) {
        System.exit(new CommandLine(new SampleServer()).execute(args));
    }

    /**
     * Starts the server the command line {@code args} describe, exactly as {@link #main} does, and
     * returns it running: what the benchmarks measure as the {@code sample} target.
     *
     * @param args the sample's options ({@code --help} lists them), never a subcommand
     * @return the started server; the caller stops it
     * @throws CommandLine.ParameterException for options the sample rejects
     * @throws Exception if the server cannot start
     */
    public static Server serve(String... args) throws Exception {
        SampleServer sample = new SampleServer();
        new CommandLine(sample).parseArgs(args);
        return sample.startServer();
    }

    @Override
    public Integer call() throws Exception {
        Server server;
        try {
            server = startServer();
        } catch (RoomUnavailableException x) {
            // Redis cannot be reached at start: one line, no stack trace.
            java.io.PrintWriter err = spec == null ? new java.io.PrintWriter(System.err, true) : spec.commandLine().getErr();
            err.println("switchboard-sample: " + x.getMessage());
            err.flush();
            return 1;
        }
        server.join();
        return 0;
    }

    /**
     * The room the flags describe.
     *
     * @throws CommandLine.ParameterException for a room name or history that is not one: a usage error with a one-line reason
     */
    RoomOptions roomOptions() {
        try {
            return new RoomOptions(redis, room, roomHistory, RoomOptions.DEFAULT.sessionTtl());
        } catch (IllegalArgumentException x) {
            throw new CommandLine.ParameterException(spec == null ? new CommandLine(this) : spec.commandLine(), x.getMessage());
        }
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
        SampleTls certificate = certificate();
        RoomOptions room = roomOptions();
        if (warmUp)
            StartupWarmUp.run();
        return start(host, mainPort(certificate != null), serverLimits(), allowedHosts, certificate, tlsPort, room);
    }

    /** {@code --port}, or by default 8443 when it is the TLS port and 8080 when it is cleartext. */
    int mainPort(boolean withCertificate) {
        if (port != null)
            return port;
        return withCertificate && tlsPort == null ? 8443 : 8080;
    }

    /**
     * The certificate the flags ask for: none (cleartext only), one made now ({@code --tls}) or the
     * {@code --keystore}'s.
     *
     * @throws CommandLine.ParameterException for contradictory flags or a key store that cannot be used:
     *                                        a usage error with a one-line reason
     */
    SampleTls certificate() {
        CommandLine line = spec == null ? new CommandLine(this) : spec.commandLine();
        if (tls && keyStore != null)
            throw new CommandLine.ParameterException(line, "--tls makes a certificate and --keystore gives one: choose one");
        if (!tls && keyStore == null) {
            if (tlsPort != null)
                throw new CommandLine.ParameterException(line, "--tls-port needs --tls or --keystore");
            return null;
        }
        if (tls) {
            try {
                return SampleTls.selfSigned(host);
            } catch (IOException x) {
                throw new CommandLine.ParameterException(line, "--tls cannot make a certificate: " + x.getMessage());
            }
        }
        String password = keyStorePasswordFile == null ? keyStorePassword : firstLine(line, keyStorePasswordFile);
        if (password == null)
            throw new CommandLine.ParameterException(line, "--keystore needs its password: --keystore-password, --keystore-password-file or "
                + KEYSTORE_PASSWORD_VARIABLE);
        try {
            return SampleTls.load(keyStore, password, "from " + keyStore);
        } catch (IOException x) {
            throw new CommandLine.ParameterException(line, x.getMessage(), x, null, keyStore.toString());
        }
    }

    /** The first line of a password file, read no further than {@value #MAX_PASSWORD_FILE_BYTES} bytes. */
    private static String firstLine(CommandLine line, Path file) {
        byte[] start;
        try (InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(MAX_PASSWORD_FILE_BYTES);
        } catch (IOException x) {
            throw new CommandLine.ParameterException(line, "cannot read --keystore-password-file " + file + ": " + x);
        }
        String text = new String(start, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        if (end < 0 && start.length == MAX_PASSWORD_FILE_BYTES)
            throw new CommandLine.ParameterException(line, "--keystore-password-file " + file + ": no line end in its first "
                + MAX_PASSWORD_FILE_BYTES + " bytes");
        String first = end < 0 ? text : text.substring(0, end);
        return first.endsWith("\r") ? first.substring(0, first.length() - 1) : first;
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
            .route("/members", UpgradePolicy.optional("h2c"))
            // What Prometheus scrapes: never switched to a protocol that would not answer it.
            .route("/metrics", UpgradePolicy.optional("h2c"));
    }

    /** Builds and starts the server with the sample's default limits; the caller stops it. Ctrl-C stops it gracefully. */
    public static Server start(String host, int port) throws Exception {
        return start(host, port, RoomOptions.DEFAULT);
    }

    /**
     * As {@link #start(String, int)}, with the room {@code room} describes (in memory, or on Redis).
     *
     * @throws RoomUnavailableException if the room is on a Redis that cannot be reached
     */
    public static Server start(String host, int port, RoomOptions room) throws Exception {
        SampleServer defaults = new SampleServer();
        return start(host, port, defaults.serverLimits(), defaults.allowedHosts, null, null, room);
    }

    /**
     * As {@link #start(String, int)}, with {@code limits} and, unless empty, only {@code allowedHosts}
     * answered (any other host gets 421).
     */
    public static Server start(String host, int port, ServerLimits limits, List<String> allowedHosts) throws Exception {
        return start(host, port, limits, allowedHosts, null, null);
    }

    /**
     * As {@link #start(String, int, ServerLimits, List)}, over TLS when {@code certificate} is not
     * null: on {@code port} alone, or, with a {@code tlsPort}, on that port beside cleartext HTTP on
     * {@code port}. The TLS port negotiates {@code h2} or {@code http/1.1} with ALPN and never h2c (H4).
     */
    static Server start(String host, int port, ServerLimits limits, List<String> allowedHosts, SampleTls certificate, Integer tlsPort)
        throws Exception {
        return start(host, port, limits, allowedHosts, certificate, tlsPort, RoomOptions.DEFAULT);
    }

    /**
     * As {@link #start(String, int, ServerLimits, List, SampleTls, Integer)}, with the room {@code room}
     * describes. The room's engine (Redis connections and threads) is closed when the server stops.
     */
    static Server start(String host, int port, ServerLimits limits, List<String> allowedHosts, SampleTls certificate, Integer tlsPort,
                        RoomOptions room) throws Exception {
        Assembly assembly = assemble(host, port, limits, allowedHosts, certificate, tlsPort, room);
        Server server = assembly.server();
        server.setStopAtShutdown(true);
        try {
            server.start();
        } catch (Exception | Error x) {
            assembly.log().close();
            throw x;
        }
        String urls = Arrays.stream(server.getConnectors()).map(connector -> url(host, connector)).collect(Collectors.joining(" and "));
        LOG.info("Switchboard sample on {} — upgrades to: {}{} — room {}: {}", urls, assembly.protocols().isEmpty() ? "(none on the class path)" : assembly.protocols(),
            certificate == null ? "" : " (h2c on cleartext connections only, H4; every protocol also by extended CONNECT over h2)",
            room.room(), assembly.log().describe());
        if (certificate != null)
            LOG.info(certificate.describe());
        return server;
    }

    /** A server built as the sample builds it, not started; its room's engine closes when it stops (or fails to start). */
    record Assembly(Server server, RoomLog log, String protocols) {
    }

    /** Builds, without starting, the server {@link #start(String, int, ServerLimits, List, SampleTls, Integer, RoomOptions)} starts. */
    static Assembly assemble(String host, int port, ServerLimits limits, List<String> allowedHosts, SampleTls certificate, Integer tlsPort,
                             RoomOptions room) throws Exception {
        NegotiationFeed negotiations = new NegotiationFeed(Clock.systemUTC());
        MetricsModule metrics = new MetricsModule();
        Injector injector = Guice.createInjector(
            new SwitchboardModule(builder -> {
                routes(builder);
                metrics.installOn(builder);
                builder.serverLimits(limits).allowedHosts(allowedHosts).listener(negotiations);
            }),
            binder -> binder.bind(NegotiationFeed.class).toInstance(negotiations),
            metrics,
            new RoomModule(room),
            new WebSocketModule(),
            new H2cModule(),
            new RelayModule());
        RoomLog log;
        try {
            log = injector.getInstance(RoomLog.class);   // connects to Redis, if the room is there
        } catch (com.google.inject.ProvisionException x) {
            if (x.getCause() instanceof RoomUnavailableException unreachable)
                throw unreachable;
            throw x;
        }
        Switchboard switchboard = injector.getInstance(Switchboard.class);
        String protocols = switchboard.handlers().stream().map(ProtocolHandler::protocol).collect(Collectors.joining(", "));
        Server server;
        if (certificate == null) {
            server = switchboard.newServer(host, port, injector.getInstance(Handler.class));
        } else {
            server = new Server(null, null, limits.newByteBufferPool());
            if (tlsPort != null) {
                ServerConnector cleartext = new ServerConnector(server, new HttpConnectionFactory());
                cleartext.setHost(host);
                cleartext.setPort(port);
                server.addConnector(cleartext);
            }
            server.addConnector(certificate.connector(server, host, tlsPort != null ? tlsPort : port));
            server.setHandler(injector.getInstance(Handler.class));
            switchboard.install(server);                     // h2c's factory goes on the cleartext connector only (H4)
        }
        withoutServerHeader(server);
        server.setStopTimeout(5_000);
        // After the connections' goodbyes: the engine goes when nothing can post any more.
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(LifeCycle event) {
                log.close();
            }

            @Override
            public void lifeCycleFailure(LifeCycle event, Throwable cause) {
                log.close();
            }
        });
        return new Assembly(server, log, protocols);
    }

    /**
     * No {@code Server: Jetty(…)} on any response, HTTP/1.1 or HTTP/2 (the h2c factory Switchboard
     * installed included): it tells a client nothing it needs, names the version to an attacker, and
     * costs bytes in every response. {@code Date} stays, as RFC 9110 §6.6.1 has an origin server send it.
     */
    static void withoutServerHeader(Server server) {
        for (Connector connector : server.getConnectors()) {
            for (ConnectionFactory factory : connector.getConnectionFactories()) {
                if (factory instanceof HttpConnectionFactory http)
                    http.getHttpConfiguration().setSendServerVersion(false);
                else if (factory instanceof AbstractHTTP2ServerConnectionFactory h2)
                    h2.getHttpConfiguration().setSendServerVersion(false);
            }
        }
    }

    /** {@code https://host:port/} for a TLS connector, {@code http://host:port/} for a cleartext one. */
    static String url(String host, Connector connector) {
        boolean tls = connector.getConnectionFactory(SslConnectionFactory.class) != null;
        String authority = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "https://" : "http://") + authority + ":" + ((NetworkConnector) connector).getLocalPort() + "/";
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
