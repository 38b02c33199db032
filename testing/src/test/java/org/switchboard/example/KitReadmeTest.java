package org.switchboard.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.Switchboard;
import org.switchboard.UpgradePolicy;
import org.switchboard.testing.TestServer;

/** testing/README.md quotes its examples verbatim from the sources that compile and run them. */
class KitReadmeTest {

    private static final String START = "// --- README snippet starts ---\n";
    private static final String END = "// --- README snippet ends ---";

    @ParameterizedTest
    @ValueSource(strings = {"ShoutInMemoryTest.java", "ShoutServerTest.java", "ShoutProbe.java"})
    void theReadmeQuotesTheExampleVerbatim(String file) throws Exception {
        String source = Files.readString(Path.of("src/test/java/org/switchboard/example", file), StandardCharsets.UTF_8);
        String snippet = source.substring(source.indexOf(START) + START.length(), source.indexOf(END));

        assertThat(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8)).contains(snippet);
    }

    @Test
    void theProbeSaysWhatTheServerAnswered() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(new ShoutProtocolHandler())
            .route("/closed", UpgradePolicy.required("other"))
            .build();
        try (TestServer server = TestServer.start(switchboard)) {
            assertThat(ShoutProbe.probe(server.uri("/open"))).isEqualTo("switched to shout/1, ping answered PING");
            assertThat(ShoutProbe.probe(server.uri("/closed"))).startsWith("refused: 426 ");
        }
    }
}
