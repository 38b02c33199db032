package org.switchboard.benchmarks;

import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.switchboard.websocket.EchoEndpoint;

/** Bare Jetty 12.1: its own {@code WebSocketUpgradeHandler} on {@code /echo} and connection-level h2c, no Switchboard. */
final class JettyServer {

    private JettyServer() {
    }

    static ServerUnderTest start(int port) throws Exception {
        Server server = new Server();
        HttpConfiguration config = JettyConnectors.httpConfiguration();
        ServerConnector connector = JettyConnectors.add(server, port,
            new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
        WebSocketUpgradeHandler websocket = WebSocketUpgradeHandler.from(server,
            container -> container.addMapping("/echo", (request, response, callback) -> new EchoEndpoint()));
        websocket.setHandler(new OkApplication());
        server.setHandler(websocket);
        return JettyConnectors.running(server, connector);
    }
}
