package org.switchboard.probe.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.testing.RawResponse;

/** What the checks read in a response head: list-valued fields element by element, and the head quoted as proof. */
final class ResponseHeads {

    /** Most characters of a head quoted in a report. */
    static final int QUOTE_LIMIT = 400;

    private ResponseHeads() {}

    /** The comma-separated elements of every field named {@code name} (case-insensitive), trimmed, empty ones left out. */
    static List<String> elements(RawResponse response, String name) {
        List<String> elements = new ArrayList<>();
        for (String value : response.headers(name))
            for (String element : value.split(","))
                if (!element.isBlank())
                    elements.add(element.trim());
        return elements;
    }

    /** Whether the comma-separated field {@code name} has {@code element} (case-insensitive). */
    static boolean has(RawResponse response, String name, String element) {
        return elements(response, name).stream().anyMatch(e -> e.equalsIgnoreCase(element));
    }

    /** The head for a report: control and non-ASCII bytes escaped, at most {@link #QUOTE_LIMIT} characters. */
    static String quoted(RawResponse response) {
        return Bytes.escape(response.head().getBytes(StandardCharsets.ISO_8859_1), QUOTE_LIMIT);
    }

    /** The status and the head quoted: the proof a FAIL carries. */
    static String proof(RawResponse response) {
        return "got " + response.status() + ": " + quoted(response);
    }
}
