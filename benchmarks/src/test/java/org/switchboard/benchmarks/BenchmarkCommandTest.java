package org.switchboard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * The one command, end to end: each target's server in its own JVM, alternating rounds, medians and
 * Switchboard/baseline ratios printed as a table. Short runs, each ended by its fifth measured
 * operation (the duration only bounds a stuck one, so a loaded machine cannot leave a run empty);
 * speed is not asserted.
 */
class BenchmarkCommandTest {

    /** Light flags: the test checks the harness, not the numbers. */
    private static final String LIGHT_JVM = "-Xmx256m -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true"
        + " -Dorg.slf4j.simpleLogger.defaultLogLevel=warn";

    @TempDir
    Path logs;

    @Test
    void handshakesAgainstEveryTargetInItsOwnJvmGiveMediansAndRatios() {
        Run run = run("ws-handshake", "--rounds", "2", "--warmup", "0.1", "--duration", "60", "--max-ops", "5", "--concurrency", "4",
            "--server-jvm", LIGHT_JVM, "--logs", logs.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
            .contains("round 1  switchboard", "round 1  jetty", "round 1  netty", "round 2  netty")
            .contains("| scenario | unit | switchboard median | jetty median | netty median | switchboard / jetty | switchboard / netty |")
            .containsPattern("\\| ws-handshake \\| handshakes/s \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|")
            .doesNotContain("INVALID");
        // Round by round ratios, which cancel the machine's drift, beside the ratio of the medians.
        assertThat(run.output())
            .containsPattern("switchboard / jetty round by round: [0-9.]+ [0-9.]+; median [0-9.]+")
            .contains("| round by round / jetty | round by round / netty |")
            .containsPattern("\\| ws-handshake \\| handshakes/s( \\| [0-9.]+){7} \\|");
        // Each server JVM's own CPU time over the measured window, per operation, and its table.
        assertThat(run.output())
            .containsPattern("round 1  jetty .* server CPU [0-9.]+ us/op")
            .containsPattern("\\| ws-handshake \\| server us/op \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|");
    }

    @Test
    void aMistypedScenarioOrTargetIsAUsageErrorNamingTheChoicesBeforeAnyServerStarts() {
        for (String[] args : List.of(new String[] {"ws-handshak"}, new String[] {"ws-handshake", "--targets", "switchboard,jety"})) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine line = new CommandLine(new BenchmarkCommand(new PrintStream(out, true, StandardCharsets.UTF_8)));
            line.setErr(new java.io.PrintWriter(err, true));

            int exitCode = line.execute(args);

            assertThat(exitCode).isEqualTo(2);
            assertThat(err.toString()).containsAnyOf("no scenario ws-handshak: one of ws-handshake, ws-echo",
                "no target jety: one of sample, switchboard, jetty, netty").doesNotContain("Exception");
            assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing measured, no configuration asked").isEmpty();
        }
    }

    @Test
    void idleAsksEachServerJvmForItsHeapRssAndThreads() {
        Run run = run("idle-relay", "--rounds", "1", "--connections", "40", "--targets", "switchboard,netty",
            "--server-jvm", LIGHT_JVM, "--logs", logs.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
            .contains("relay/1 idle: 40 connections", "websocket idle: 40 connections")
            .containsPattern("switchboard +RSS -?[0-9.]+ B/conn, [0-9.]+ threads")
            .containsPattern("\\| idle-relay \\| heap B/conn \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|");
    }

    @Test
    void theInlineSelectorTasksExperimentReachesTheServerJvmsAndRunsClean() {
        Run run = run("relay-handshake", "--rounds", "1", "--warmup", "0.1", "--duration", "60", "--max-ops", "5", "--concurrency", "4",
            "--targets", "switchboard,jetty", "--jetty-inline-selector-tasks", "--server-jvm", LIGHT_JVM, "--logs", logs.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
            .contains("# server JVM flags: " + LIGHT_JVM + " -D" + InlineSelectorTasks.PROPERTY + "=true")
            .contains("round 1  switchboard", "round 1  jetty")
            .doesNotContain("INVALID");
    }

    @Test
    void theSampleIsATargetAndItsRatiosComeFirst() {
        Run run = brief("h2c-upgrade", "sample,switchboard,jetty", "--rounds", "2");

        assertThat(run.exitCode()).as(run.output()).isZero();
        // The configurations were compared before anything was measured, every difference declared.
        assertThat(run.output())
            .contains("# configuration differences from jetty")
            .contains("#   sample connector0.http.sendDateHeader: false -> true  (intended: ")
            .doesNotContain("NOT INTENDED");
        assertThat(run.output())
            .contains("round 1  sample", "round 2  sample")
            .containsPattern("sample / switchboard round by round: [0-9.]+ [0-9.]+; median [0-9.]+")
            .containsPattern("sample / jetty round by round, server CPU per op: [0-9.]+ [0-9.]+; median [0-9.]+")
            .contains("| scenario | unit | sample median | switchboard median | jetty median | sample / switchboard | sample / jetty"
                + " | switchboard / jetty | round by round sample / switchboard | round by round sample / jetty"
                + " | round by round switchboard / jetty |")
            .containsPattern("\\| h2c-upgrade \\| upgrades/s( \\| [0-9.]+){9} \\|")
            .doesNotContain("INVALID");
    }

    @Test
    void theSampleIsNoTargetOfTheRelayScenarios() {
        Run run = brief("relay-echo", "sample,switchboard", "--rounds", "1");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
            .contains("sample is not a target of relay-echo 64B")
            .contains("round 1  switchboard")
            .doesNotContain("round 1  sample");
    }

    @Test
    void anUndeclaredConfigurationDifferenceStopsTheCommandBeforeMeasuring() {
        // The selector-task experiment is the benchmark Jetty targets' only: the sample's connector keeps Jetty's executor.
        Run run = brief("ws-handshake", "sample,jetty", "--rounds", "1", "--jetty-inline-selector-tasks");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output())
            .containsPattern("#   sample connector0\\.executor: InlineSelectorTasks -> the server's thread pool  NOT INTENDED")
            .contains("Nothing was measured")
            .doesNotContain("round 1");
    }

    @Test
    void aWarmUpCurveGivesEachFreshServerSecondBySecond() {
        Run run = brief("ws-handshake", "sample,jetty", "--warm-up-curve", "2", "--rounds", "1");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
            .containsPattern("round 1  sample +per second: [0-9]+ [0-9]+")
            .containsPattern("round 1  jetty +per second: [0-9]+ [0-9]+")
            .contains("| second | sample handshakes/s | jetty handshakes/s | sample us/op | jetty us/op |")
            .containsPattern("\\| 2 \\| [0-9.]+ \\| [0-9.]+ \\|")
            .containsPattern("operations in the first 2 s, medians: sample [0-9.]+, jetty [0-9.]+; sample / jetty [0-9.]+")
            .doesNotContain("INVALID");
    }

    @Test
    void aRunWithErrorsIsNotAResult() {
        // A server JVM that cannot start: the run is reported invalid and the command fails.
        Run run = run("ws-echo", "--rounds", "1", "--targets", "jetty", "--server-jvm", "-Xmx1m", "--logs", logs.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("INVALID", "| ws-echo 64B | msgs/s | n/a |");
    }

    /** A short run of {@code scenario} against {@code targets}: light JVMs, 4 connections, each run ended by its fifth measured operation. */
    private Run brief(String scenario, String targets, String... more) {
        List<String> args = new ArrayList<>(List.of(scenario, "--warmup", "0.1", "--duration", "60", "--max-ops", "5",
            "--concurrency", "4", "--targets", targets, "--server-jvm", LIGHT_JVM, "--logs", logs.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private static Run run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exitCode = new CommandLine(new BenchmarkCommand(out)).execute(args);
        return new Run(exitCode, bytes.toString(StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String output) {
    }
}
