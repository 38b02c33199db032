package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Every protocol module is found by ServiceLoader in both worlds (SB2: handlers are found, not
 * wired): on the module path through its {@code provides} (a named module's META-INF/services file
 * is ignored there), and on the class path through that file. Core's JFR events, in a package it
 * does not export, are recorded from the module path too (SB6).
 */
class ModulePathDiscoveryTest {

    private static final List<String> MODULES = List.of("org.switchboard.core", "org.switchboard.websocket",
        "org.switchboard.h2c", "org.switchboard.relay", "org.switchboard.examples.time");

    @Test
    void everyProviderIsFoundFromTheModulePathThroughProvides() throws Exception {
        List<String> command = java();
        command.addAll(List.of("--module-path", String.join(File.pathSeparator, libraries()),
            "--add-modules", String.join(",", MODULES), "-cp", probeClasses(), ProviderProbe.class.getName()));
        assertThat(run(command)).containsExactlyInAnyOrder(
            "websocket org.switchboard.websocket", "h2c org.switchboard.h2c", "relay org.switchboard.relay",
            "time org.switchboard.examples.time");
    }

    @Test
    void everyProviderIsFoundFromTheClassPathThroughMetaInfServices() throws Exception {
        List<String> command = java();
        List<String> classPath = new ArrayList<>(libraries());
        classPath.add(probeClasses());
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), ProviderProbe.class.getName()));
        assertThat(run(command)).containsExactlyInAnyOrder("websocket null", "h2c null", "relay null", "time null");
    }

    @Test
    void SB6_flightRecorderEventsAreRecordedFromTheModulePath() throws Exception {
        List<String> command = java();
        command.addAll(List.of("--module-path", String.join(File.pathSeparator, libraries()),
            "--add-modules", String.join(",", MODULES), "-cp", probeClasses(), FlightRecorderProbe.class.getName()));
        List<String> events = run(command, "event \\S+ \\S+");
        assertThat(events).containsExactlyInAnyOrder("event org.switchboard.Negotiation time", "event org.switchboard.UpgradedConnection time");
    }

    /** Switchboard's library modules and what they need at run time (Jetty, SLF4J), as this JVM found them. */
    private static List<String> libraries() {
        List<String> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace('\\', '/');
            boolean switchboard = path.matches(".*/(core|websocket-module|h2c-module|custom-protocol-module|time-plugin)/target/classes/?")
                || path.matches(".*/switchboard-(core|websocket|h2c|relay|time-plugin)-[^/]*(?<!-tests)\\.jar");
            boolean runtime = path.contains("/org/eclipse/jetty/") && !path.contains("-client") && !path.contains("/tests/")
                || path.contains("/org/slf4j/slf4j-api/");
            if (switchboard || runtime)
                found.add(entry);
        }
        return found;
    }

    private static String probeClasses() throws Exception {
        return Path.of(ProviderProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static List<String> java() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    }

    private static List<String> run(List<String> command) throws Exception {
        return run(command, "(websocket|h2c|relay|time) \\S+");
    }

    /** The lines of {@code command}'s output that match {@code lines}, once it exited with 0. */
    private static List<String> run(List<String> command, String lines) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return Arrays.stream(output.split("\n")).map(String::strip)
            .filter(line -> line.matches(lines)).toList();
    }
}
