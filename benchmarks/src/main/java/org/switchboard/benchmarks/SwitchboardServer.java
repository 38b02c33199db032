package org.switchboard.benchmarks;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.switchboard.ServerLimits;
import org.switchboard.Switchboard;
import org.switchboard.h2c.H2cConfig;
import org.switchboard.h2c.H2cProtocolHandler;
import org.switchboard.relay.RelayProtocolHandler;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;
import org.switchboard.websocket.EchoEndpoint;
import org.switchboard.websocket.WebSocketEndpoint;
import org.switchboard.websocket.WebSocketProtocolHandler;

/** Jetty with Switchboard installed: websocket on {@code /echo}, h2c everywhere, relay echo on every path. */
final class SwitchboardServer {

    /**
     * An experiment, off by default: {@code -Dswitchboard.benchmarks.noConnectionGuards=true} in
     * {@code --server-jvm} turns off the two per-connection guards Switchboard installs by default
     * ({@link ServerLimits#requestHeadTimeout()}, {@link ServerLimits#maxConnections()}), to measure
     * what they cost; neither target of bare Jetty and Netty has them.
     */
    static final String NO_SERVER_LIMITS = "switchboard.benchmarks.noConnectionGuards";

    private SwitchboardServer() {
    }

    static ServerUnderTest start(int port) throws Exception {
        Server server = new Server();
        HttpConfiguration config = JettyConnectors.httpConfiguration();
        ServerConnector connector = JettyConnectors.add(server, port, new HttpConnectionFactory(config));
        server.setHandler(new OkApplication());
        Switchboard.builder()
            .handler(WebSocketProtocolHandler.builder()
                .endpoint(WebSocketEndpoint.builder("/echo", (request, response, callback) -> new EchoEndpoint()).build())
                .build())
            .handler(new H2cProtocolHandler(H2cConfig.DEFAULT, config))
            .handler(new RelayProtocolHandler(new RelayEcho()))
            .serverLimits(Boolean.getBoolean(NO_SERVER_LIMITS) ? ServerLimits.DEFAULT.withRequestHeadTimeout(Duration.ZERO).withMaxConnections(0) : ServerLimits.DEFAULT)
            .build()
            .install(server);
        return JettyConnectors.running(server, connector);
    }

    /** The relay twin of {@link EchoEndpoint}. */
    private static final class RelayEcho implements RelayListener {
        @Override
        public void onText(RelaySession session, String text) {
            session.sendText(text);
        }

        @Override
        public void onBinary(RelaySession session, ByteBuffer data) {
            session.sendBinary(data);
        }
    }
}
