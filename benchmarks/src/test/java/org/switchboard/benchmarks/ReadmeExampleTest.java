package org.switchboard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The snippet of benchmarks/README.md, compiled and run. */
class ReadmeExampleTest {

    @Test
    void theReadmeSnippetMeasuresAnEchoRunWithoutErrors() throws Exception {
        // README:begin
        try (ServerUnderTest server = ServerUnderTest.start(Target.SWITCHBOARD, 0)) {
            Scenario.Settings settings = new Scenario.Settings(
                16,                          // connections
                Duration.ofMillis(200),      // warm-up
                Duration.ofSeconds(1),       // measured window
                0,                           // no bound on operations
                64,                          // message bytes
                32,                          // h2c streams in flight (h2c-streams only)
                0);                          // connections held (idle only)
            LoadResult result = LoadClient.run(Scenario.WS_ECHO, Target.SWITCHBOARD, server.port(), settings);
            System.out.printf("%.0f msgs/s, %d errors%n", result.rate(), result.errors());
            // README:end
            assertThat(result.valid()).as(result.errorSamples().toString()).isTrue();
            assertThat(result.upgrades()).isEqualTo(16);
        }
    }
}
