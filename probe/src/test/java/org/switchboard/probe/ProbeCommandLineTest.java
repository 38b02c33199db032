package org.switchboard.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Exit 2: usage errors and a target that cannot be reached, each with a one-line message and no stack trace. */
class ProbeCommandLineTest {

    @Test
    void noUrlIsAUsageError() {
        ProbeOutput probe = ProbeOutput.run();
        assertThat(probe.status()).isEqualTo(Probe.USAGE);
        assertThat(probe.err()).contains("Missing required parameter: 'URL'").doesNotContain("\tat ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://127.0.0.1:1/",                       // TLS: not what the probe speaks
        "127.0.0.1:8080",                             // no scheme
        "http://user@127.0.0.1:8080/",                // user info
        "http://[::1/",                               // not a URL
    })
    void aUrlTheProbeCannotUseIsAUsageError(String url) {
        ProbeOutput probe = ProbeOutput.run(url);
        assertThat(probe.status()).isEqualTo(Probe.USAGE);
        assertThat(probe.err()).contains("URL").doesNotContain("\tat ");
        assertThat(probe.out()).doesNotContain("PASS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--upgrade=relay", "--upgrade=re lay=/x", "--upgrade=relay/1=chat", "--timeout=0", "--timeout=x", "--warm-up=-1",
        "--websocket=echo", "--origin=http://a\r\nX: y", "--nonsense"})
    void badOptionsAreUsageErrors(String option) {
        ProbeOutput probe = ProbeOutput.run("http://127.0.0.1:1/", option);
        assertThat(probe.status()).isEqualTo(Probe.USAGE);
        assertThat(probe.err()).isNotBlank().doesNotContain("\tat ");
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        ProbeOutput probe = ProbeOutput.run("http://127.0.0.1:" + port + "/", "--websocket", "/echo", "--timeout", "2");
        assertThat(probe.status()).isEqualTo(Probe.USAGE);
        assertThat(probe.err().strip()).startsWith("switchboard-probe: cannot reach 127.0.0.1:" + port + ": ")
            .doesNotContain("\n").doesNotContain("Exception");
        assertThat(probe.out()).isEmpty();
    }

    @Test
    void helpListsTheOptions() {
        ProbeOutput probe = ProbeOutput.run("--help");
        assertThat(probe.status()).isEqualTo(Probe.PASSED);
        assertThat(probe.out()).contains("--websocket", "--required", "--h2c", "--upgrade", "--origin", "--extended-connect", "--json", "--junit", "--timeout",
            "--warm-up");
    }
}
