package org.switchboard.examples;

import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import com.google.inject.Guice;
import com.google.inject.Injector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.ProtocolHandler;
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

    public static void main(String[] args) {
        System.exit(new CommandLine(new SampleServer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Server server = start(host, port);
        server.join();
        return 0;
    }

    /**
     * The sample's routes. Handlers bound with Guice come first; then every other protocol found on
     * the class path (the time/1 plugin) is added with no code here.
     */
    static void routes(Switchboard.Builder builder) {
        builder.discoverHandlers()
            .route("/chat", UpgradePolicy.required("websocket"))
            .route("/echo", UpgradePolicy.optional("websocket", "h2c"))
            .route("/relay", UpgradePolicy.required("relay"));
    }

    /** Builds and starts the server; the caller stops it. Ctrl-C stops it gracefully. */
    public static Server start(String host, int port) throws Exception {
        Injector injector = Guice.createInjector(
            new SwitchboardModule(SampleServer::routes),
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
}
