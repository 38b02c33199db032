package org.switchboard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Both scenarios of {@code cluster.sh}, briefly, with the real parts (redis-server, nginx, the
 * sample in JVMs of their own): the harness keeps working and prints its figures. Speed is never
 * asserted; BENCHMARKS.md's figures come from the full runs.
 */
class ClusterSmokeTest {

    static Stream<Arguments> runs() {
        return Stream.of(
            Arguments.of("room-throughput", new String[] {"--clients", "5", "--messages", "50"}),
            Arguments.of("sigkill-resume", new String[] {"--clients", "6"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void theScenarioRunsAndPrintsItsFigures(String scenario, String[] options) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String[] args = Stream.concat(Stream.of(scenario, "--rounds", "1", "--server-jvm", "-Xmx256m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true"),
            Stream.of(options)).toArray(String[]::new);
        int exit = new CommandLine(new ClusterCommand(new PrintStream(printed, true, StandardCharsets.UTF_8))).execute(args);
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).as(output).contains("# load average at start: ").contains("PASS " + scenario);
        assertThat(exit).as(output).isZero();
    }
}
