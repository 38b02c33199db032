package org.switchboard.examples;

import java.net.URI;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sample server, started as {@link SampleServer#start} starts it on a free port of 127.0.0.1
 * before each test and stopped after it: {@code @RegisterExtension final RunningSample sample = new RunningSample();}.
 */
final class RunningSample implements BeforeEachCallback, AfterEachCallback {

    private Server server;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server = SampleServer.start("127.0.0.1", 0);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        server.stop();
    }

    Server server() {
        return server;
    }

    int port() {
        return ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    URI base() {
        return URI.create("http://127.0.0.1:" + port());
    }
}
