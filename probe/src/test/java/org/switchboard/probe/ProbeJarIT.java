package org.switchboard.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.examples.SampleServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded {@code target/switchboard-probe.jar}, run with {@code java -jar} from an unrelated
 * folder as a user would (failsafe runs this after {@code package} has built the jar).
 */
class ProbeJarIT {

    private static final Path JAR = Path.of("target", "switchboard-probe.jar").toAbsolutePath();

    @Test
    void theJarPassesTheSampleAndExitsZero(@TempDir Path dir) throws Exception {
        Server server = SampleServer.start("127.0.0.1", 0);
        try {
            String url = "http://127.0.0.1:" + ((NetworkConnector) server.getConnectors()[0]).getLocalPort() + "/";
            Run run = java(dir, url, "--websocket", "/echo", "--required", "/chat", "--h2c",
                "--upgrade", "relay/1=/relay", "--upgrade", "time/1=/", "--extended-connect", "--junit", "probe.xml",
                "--timeout", "30");  // a generous bound: the machine may be busy, the sample cold
            assertThat(run.status()).as(run.out()).isZero();
            assertThat(run.out()).contains("W4   PASS").contains("C4   PASS").contains(" 0 FAIL");
            assertThat(run.err()).as("nothing logged, no SLF4J warning").isEmpty();
            assertThat(Files.readString(dir.resolve("probe.xml"))).contains("<testsuite name=\"switchboard-probe\"").contains("failures=\"0\"");
        } finally {
            server.stop();
        }
    }

    @Test
    void theJarExitsTwoOnAClosedPort(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        Run run = java(dir, "http://127.0.0.1:" + port + "/");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("switchboard-probe: cannot reach").doesNotContain("\n");
    }

    private record Run(int status, String out, String err) {}

    private static Run java(Path dir, String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("built by package").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the probe did not finish within 5 minutes");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
