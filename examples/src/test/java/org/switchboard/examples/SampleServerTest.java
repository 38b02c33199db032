package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.RawHttp;

class SampleServerTest {

    @Test
    void U7_theSampleServerStartsOnAnEphemeralPortAndServesItsPage() throws Exception {
        Server server = SampleServer.start("127.0.0.1", 0);
        try (RawHttp client = RawHttp.connect(((NetworkConnector) server.getConnectors()[0]).getLocalPort())) {
            RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: nothing-here\r\n\r\n").readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).startsWith("Switchboard sample server.");
        } finally {
            server.stop();
        }
    }
}
