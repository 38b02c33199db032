package org.switchboard.probe;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.examples.SampleServer;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe against Switchboard's sample server, which keeps every rule: every check PASS or an explained SKIP, exit 0. */
class SampleServerProbeTest {

    private Server server;
    private String url;

    @BeforeEach
    void start() throws Exception {
        server = SampleServer.start("127.0.0.1", 0);
        url = "http://127.0.0.1:" + ((NetworkConnector) server.getConnectors()[0]).getLocalPort() + "/";
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void theSampleKeepsEveryRuleTheProbeChecks(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("probe.json");
        ProbeOutput probe = ProbeOutput.run(url, "--websocket", "/echo", "--required", "/chat", "--h2c",
            "--upgrade", "relay/1=/relay", "--upgrade", "time/1=/", "--origin", "http://evil.example", "--extended-connect", "--json", json.toString(),
            "--timeout", "30");  // a generous bound: the machine may be busy, the sample cold

        assertThat(probe.out()).doesNotContain(" FAIL ");
        assertThat(probe.status()).isEqualTo(Probe.PASSED);
        JsonNode checks = new ObjectMapper().readTree(Files.readString(json)).get("checks");
        for (JsonNode check : checks) {
            if (check.get("result").asText().equals("SKIP"))
                assertThat(check.get("detail").asText()).as(check.toString()).isNotBlank();
            else
                assertThat(check.get("result").asText()).as(check.toString()).isEqualTo("PASS");
        }
        assertThat(checks).extracting(c -> c.get("id").asText())
            .contains("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "U10", "U11", "U12",
                "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "H1", "H2", "H3", "H4", "SB1", "SB3", "SB5");
    }
}
