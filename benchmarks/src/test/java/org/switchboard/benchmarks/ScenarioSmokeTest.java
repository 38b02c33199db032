package org.switchboard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario, briefly, against every target that serves it (the sample: WebSocket and h2c), in this JVM: the load client's conversations hold
 * against the real servers (101s, accepts, echoes, SETTINGS and stream responses checked) with no
 * error. Speed is not asserted.
 */
class ScenarioSmokeTest {

    private static final Map<Target, ServerUnderTest> SERVERS = new EnumMap<>(Target.class);

    @BeforeAll
    static void startServers() throws Exception {
        for (Target target : Target.values())
            SERVERS.put(target, ServerUnderTest.start(target, 0));
    }

    @AfterAll
    static void stopServers() {
        SERVERS.values().forEach(ServerUnderTest::close);
    }

    static Stream<Arguments> runs() {
        return Stream.of(Scenario.values())
            .flatMap(scenario -> Stream.of(Target.values()).filter(target -> target.serves(scenario))
                .map(target -> Arguments.of(scenario, target)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("runs")
    void scenarioRunsWithoutErrors(Scenario scenario, Target target) throws Exception {
        // Ended by the fifth measured operation; the 60 s only bound a stuck run (a loaded machine is slow, not wrong).
        Scenario.Settings settings = new Scenario.Settings(4, Duration.ofMillis(100), Duration.ofSeconds(60), 5,
            scenario == Scenario.WS_ECHO ? 16 * 1024 : 64, 8, 50);
        ServerUnderTest server = SERVERS.get(target);

        Measurement measurement = scenario.measure(target, ServerControl.inProcess(server) , settings);

        assertThat(measurement.errorSamples()).isEmpty();
        assertThat(measurement.errors()).isZero();
        assertThat(measurement.detail()).doesNotContain(" 0 ops");
        if (scenario.higherIsBetter())
            assertThat(measurement.value()).isPositive();
        else
            assertThat(measurement.detail()).contains("50 connections");
    }
}
