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
 * Every scenario of {@code reliability.sh}, briefly, against the sample in its own JVM: the harness
 * keeps working and the sample keeps passing it. The figures of RELIABILITY.md come from the full runs.
 */
class ReliabilitySmokeTest {

    static Stream<Arguments> runs() {
        return Stream.of(
            Arguments.of("hostile-heads", new String[] {}),
            Arguments.of("concurrent-upgrades", new String[] {"--connections", "100", "--threads", "20"}),
            Arguments.of("idle", new String[] {"--connections", "100", "--threads", "20"}),
            Arguments.of("reset-storm", new String[] {"--connections", "40"}),
            Arguments.of("slowloris", new String[] {"--connections", "5", "--seconds", "4", "--server-args", "--head-timeout 1s"}),
            Arguments.of("chunked-flood", new String[] {"--clients", "2", "--megabytes", "8"}),
            Arguments.of("sigterm", new String[] {"--clients", "1", "--messages", "10"}),
            Arguments.of("soak", new String[] {"--minutes", "0.1"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void theScenarioPassesAgainstTheSample(String scenario, String[] options) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String[] args = Stream.concat(Stream.of(scenario, "--server-jvm", "-Xmx256m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true"),
            Stream.of(options)).toArray(String[]::new);
        int exit = new CommandLine(new ReliabilityCommand(new PrintStream(printed, true, StandardCharsets.UTF_8))).execute(args);
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).as(output).contains("PASS " + scenario);
        assertThat(exit).as(output).isZero();
    }
}
