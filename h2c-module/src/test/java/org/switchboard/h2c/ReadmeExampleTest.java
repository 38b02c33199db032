package org.switchboard.h2c;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeLimits;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.TestServer;

/** The snippet of h2c-module/README.md, compiled and run (only the port differs: 0 here, 8080 there). */
class ReadmeExampleTest {

    @Test
    void theReadmeSnippetServesH2cUpgradesWithBodies() throws Exception {
        Handler application = new RequestSummaryHandler();
        int port = 0;

        // --- README snippet start
        Switchboard switchboard = Switchboard.builder()
            .handler(new H2cProtocolHandler(H2cConfig.DEFAULT
                .withMaxConcurrentStreams(256)
                .withInitialStreamRecvWindow(1024 * 1024)))
            .limits(new UpgradeLimits(1024, 16, 256 * 1024))   // upgrade requests with bodies up to 256 KiB
            .build();
        Server server = switchboard.newServer("127.0.0.1", port, application);
        server.start();
        // --- README snippet end

        try {
            int actualPort = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + actualPort + "/readme"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("GET /readme HTTP/2.0 body=");
        } finally {
            server.stop();
        }
    }
}
