package org.switchboard.testing;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeDispatcher;

/**
 * A real Jetty server on an ephemeral port of 127.0.0.1 with Switchboard installed in front of
 * {@link #application()}, for integration tests in every module.
 */
public final class TestServer implements AutoCloseable {

    private final Server server;
    private final UpgradeDispatcher dispatcher;

    private TestServer(Server server, UpgradeDispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
    }

    /** Starts {@code switchboard} in front of {@link #application()}. */
    public static TestServer start(Switchboard switchboard) throws Exception {
        return start(switchboard, application());
    }

    /** Starts {@code switchboard} in front of {@code application}. */
    public static TestServer start(Switchboard switchboard, Handler application) throws Exception {
        Server server = switchboard.newServer("127.0.0.1", 0, application);
        UpgradeDispatcher dispatcher = (UpgradeDispatcher) server.getHandler();
        server.start();
        return new TestServer(server, dispatcher);
    }

    /**
     * As {@link #start(Switchboard, Handler)}, the connector also speaking HTTP/2 with prior
     * knowledge (and after an h2c upgrade Jetty makes itself) with RFC 8441 extended CONNECT
     * enabled ({@code SETTINGS_ENABLE_CONNECT_PROTOCOL = 1}): what {@link ExtendedConnect} needs.
     */
    public static TestServer startWithExtendedConnect(Switchboard switchboard, Handler application) throws Exception {
        Server server = switchboard.newServer("127.0.0.1", 0, application);
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        HTTP2CServerConnectionFactory http2 = new HTTP2CServerConnectionFactory(
            connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration());
        http2.setConnectProtocolEnabled(true);
        connector.addConnectionFactory(http2);
        UpgradeDispatcher dispatcher = (UpgradeDispatcher) server.getHandler();
        server.start();
        return new TestServer(server, dispatcher);
    }

    /**
     * The application behind the dispatcher in tests: answers {@code 200 text/plain} with
     * {@code <method> <path> <protocol> body=<the request body>}, so a test sees that the request
     * (and its body) reached it as if {@code Upgrade} were absent.
     */
    public static Handler application() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.asString(request, StandardCharsets.UTF_8, new org.eclipse.jetty.util.Promise.Invocable.NonBlocking<>() {
                    @Override
                    public void succeeded(String body) {
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
                        Content.Sink.write(response, true, request.getMethod() + " " + Request.getPathInContext(request) + " "
                            + request.getConnectionMetaData().getProtocol() + " body=" + body, callback);
                    }

                    @Override
                    public void failed(Throwable x) {
                        callback.failed(x);
                    }
                });
                return true;
            }
        };
    }

    public int port() {
        return ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    public Server server() {
        return server;
    }

    public UpgradeDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
