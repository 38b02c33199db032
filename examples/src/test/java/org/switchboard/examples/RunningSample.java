package org.switchboard.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
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
final class RunningSample implements BeforeEachCallback, AfterEachCallback {

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

    /**
     * Its own {@code GET /health}, asked directly (not through a proxy) over HTTP/1.1 — an h2c
     * upgrade would count in what it reports. Cleartext samples only.
     */
    JsonNode health() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(health.body());
    }

    /** {@code protocols.PROTOCOL.open} of {@link #health()}: its connections switched to that protocol and still open. */
    int open(String protocol) throws Exception {
        return health().path("protocols").path(protocol).path("open").asInt();
    }

    /** {@code protocols.PROTOCOL.upgrades} of {@link #health()}: its 101s for that protocol so far. */
    int upgrades(String protocol) throws Exception {
        return health().path("protocols").path(protocol).path("upgrades").asInt();
    }

    /** {@code http://127.0.0.1:<port>}, or {@code https://…} over TLS. */
    URI base() {
        return URI.create((certificate == null ? "http" : "https") + "://127.0.0.1:" + port());
    }
}
