package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the sample's server-sent events in tests. */
final class SseEvents {

    private SseEvents() {
    }

    /** The next {@code data:} event's JSON, skipping comments and blank lines. */
    static JsonNode next(BufferedReader stream) throws IOException {
        String line;
        do {
            line = stream.readLine();
        } while (line != null && !line.startsWith("data: "));
        assertThat(line).as("an SSE data line").isNotNull();
        return Json.MAPPER.readTree(line.substring("data: ".length()));
    }
}
