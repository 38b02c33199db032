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

    /**
     * One whole server-sent event.
     *
     * @param type its {@code event:} ({@code message} if none)
     * @param id   its {@code id:}, or {@code null}
     * @param data its {@code data:} (one line here)
     */
    record Event(String type, String id, String data) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(data);
        }
    }

    /** The next whole event (comments skipped), or {@code null} at the end of the stream. */
    static Event nextEvent(BufferedReader stream) throws IOException {
        String type = "message";
        String id = null;
        String data = null;
        String line;
        while ((line = stream.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null)
                    return new Event(type, id, data);
                type = "message";
                id = null;
            } else if (line.startsWith("event: ")) {
                type = line.substring("event: ".length());
            } else if (line.startsWith("id: ")) {
                id = line.substring("id: ".length());
            } else if (line.startsWith("data: ")) {
                data = line.substring("data: ".length());
            }
        }
        return null;
    }
}
