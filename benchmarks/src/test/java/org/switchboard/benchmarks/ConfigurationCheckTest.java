package org.switchboard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The targets differ only where {@link ConfigurationCheck#INTENDED} says so, and everything it says
 * is so: the four real servers, started here, are described and compared as the command compares
 * its server JVMs.
 */
class ConfigurationCheckTest {

    private static final Map<Target, ServerUnderTest> SERVERS = new EnumMap<>(Target.class);
    private static final Map<Target, TargetConfiguration> CONFIGURATIONS = new EnumMap<>(Target.class);

    @BeforeAll
    static void startServers() throws Exception {
        for (Target target : Target.values()) {
            ServerUnderTest server = ServerUnderTest.start(target, 0);
            SERVERS.put(target, server);
            // Through the line protocol, as the command reads a server JVM's answer.
            CONFIGURATIONS.put(target, TargetConfiguration.parse(server.configuration().format()));
        }
    }

    @AfterAll
    static void stopServers() {
        SERVERS.values().forEach(ServerUnderTest::close);
    }

    @Test
    void theTargetsDifferOnlyWhereDeclaredIntended() {
        List<ConfigurationCheck.Finding> findings = ConfigurationCheck.check(CONFIGURATIONS);

        assertThat(findings).filteredOn(finding -> finding.intended().isEmpty()).isEmpty();
    }

    @Test
    void everyDeclaredDifferenceIsOneThereIs() {
        List<ConfigurationCheck.Finding> findings = ConfigurationCheck.check(CONFIGURATIONS);

        for (ConfigurationCheck.Intended intended : ConfigurationCheck.INTENDED)
            assertThat(findings).as(intended.target() + " " + intended.keys()).anyMatch(f -> f.intended().orElse(null) == intended);
    }

    @Test
    void theJettyTargetsReportWhatTheComparisonIsAbout() {
        for (Target target : List.of(Target.SAMPLE, Target.SWITCHBOARD, Target.JETTY))
            assertThat(CONFIGURATIONS.get(target).settings()).containsKeys("jvm.flags", "jvm.gc", "jvm.heap.max",
                "threads.pool", "threads.min", "threads.max", "threads.reserved", "connector0.acceptors", "connector0.selectors",
                "connector0.idleTimeout", "connector0.acceptQueue", "connector0.http.sendServerVersion",
                "connector0.http.sendDateHeader", "connector0.http.requestHeaderSize", "connector0.h2c.sendServerVersion",
                "buffers.maxRetainedHeap");
        assertThat(CONFIGURATIONS.get(Target.NETTY).settings()).containsKeys("jvm.flags", "connector0.acceptQueue",
            "connector0.http.sendDateHeader");
    }

    @Test
    void anUndeclaredDifferenceIsFoundAndNotIntended() {
        Map<Target, TargetConfiguration> changed = new EnumMap<>(CONFIGURATIONS);
        TreeMap<String, String> sample = new TreeMap<>(CONFIGURATIONS.get(Target.SAMPLE).settings());
        sample.put("threads.max", "50");
        sample.put("jvm.flags", sample.get("jvm.flags") + " -XX:+UseParallelGC");
        changed.put(Target.SAMPLE, TargetConfiguration.of(sample));

        List<ConfigurationCheck.Finding> findings = ConfigurationCheck.check(changed);

        assertThat(findings).filteredOn(finding -> finding.intended().isEmpty())
            .extracting(finding -> finding.difference().key())
            .containsExactlyInAnyOrder("threads.max", "jvm.flags");
    }
}
