package org.switchboard.examples.linecount;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** README's "Write your own protocol handler" quotes this module's handler and provider verbatim, and counts their lines right. */
class ReadmeQuoteTest {

    private static final Path SOURCES = Path.of("src/main/java/org/switchboard/examples/linecount");
    private static final int MAX_LINES = 60;

    @Test
    void readmeQuotesHandlerAndProviderVerbatimWithTheirLineCount() throws Exception {
        String readme = Files.readString(Path.of("../../README.md"));
        int start = readme.indexOf("## Write your own protocol handler");
        assertThat(start).as("README section").isNotNegative();
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));

        String handler = Files.readString(SOURCES.resolve("LineCountProtocolHandler.java"));
        String provider = Files.readString(SOURCES.resolve("LineCountProvider.java"));
        assertThat(section).contains("```java\n" + handler + "```\n\n```java\n" + provider + "```\n");

        // What wc -l counts: newlines.
        long lines = handler.chars().filter(c -> c == '\n').count() + provider.chars().filter(c -> c == '\n').count();
        assertThat(lines).isLessThanOrEqualTo(MAX_LINES);
        assertThat(section).contains("handler and provider in " + lines + " lines, imports included");
    }
}
