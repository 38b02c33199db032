package org.switchboard.examples;

import java.net.URI;
import java.util.List;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sample server, started as {@link SampleServer#start} starts it on a free port of 127.0.0.1
 * before each test and stopped after it: {@code @RegisterExtension final RunningSample sample = new RunningSample();}
 * — or over TLS only, as {@code --tls} starts it: {@code new RunningSample(certificate)}.
 */
final class RunningSample implements BeforeEachCallback, AfterEachCallback, SampleInstance {

    private final SampleTls certificate;
    private Server server;

    RunningSample() {
        this(null);
    }

    /** The sample on one TLS port with {@code certificate}, or cleartext if it is null. */
    RunningSample(SampleTls certificate) {
        this.certificate = certificate;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        SampleServer defaults = new SampleServer();
        server = SampleServer.start("127.0.0.1", 0, defaults.serverLimits(), List.of(), certificate, null);
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

    /** {@code http://127.0.0.1:<port>}, or {@code https://…} over TLS. */
    @Override
    public URI base() {
        return URI.create((certificate == null ? "http" : "https") + "://127.0.0.1:" + port());
    }
}
