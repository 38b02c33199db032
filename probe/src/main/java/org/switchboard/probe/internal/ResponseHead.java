package org.switchboard.probe.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 response head as the server wrote it: the status line's parts, the header fields in
 * order (names as sent, duplicates kept) and the raw bytes, which a failed check quotes.
 *
 * @param version the status line's HTTP version, e.g. {@code HTTP/1.1}
 * @param status  the status code (100 to 599 once parsed; a malformed status line is an {@link java.io.IOException})
 * @param reason  the reason phrase, possibly empty
 * @param fields  every header field in the order received
 * @param raw     the head exactly as read, through its blank line
 */
public record ResponseHead(String version, int status, String reason, List<Field> fields, byte[] raw) {

    /** Most characters of a head quoted in a report. */
    public static final int QUOTE_LIMIT = 400;

    /** One header field. @param name the name as sent @param value the value, OWS trimmed */
    public record Field(String name, String value) {}

    public ResponseHead {
        fields = List.copyOf(fields);
    }

    /** Parses a head (status line, fields, blank line) read as ISO-8859-1; {@code null} when the status line is malformed. */
    static ResponseHead parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/") || status[1].length() != 3)
            return null;
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            return null;
        }
        if (code < 100 || code > 599)
            return null;
        List<Field> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0)
                fields.add(new Field(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
        }
        return new ResponseHead(status[0], code, status.length > 2 ? status[2] : "", fields, raw);
    }

    /** Every value of the fields named {@code name} (case-insensitive), in order; empty if none. */
    public List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (Field field : fields)
            if (field.name().equalsIgnoreCase(name))
                values.add(field.value());
        return values;
    }

    /** The first value of the field named {@code name}, or {@code null}. */
    public String value(String name) {
        for (Field field : fields)
            if (field.name().equalsIgnoreCase(name))
                return field.value();
        return null;
    }

    /** The comma-separated elements of every field named {@code name}, trimmed, empty ones left out. */
    public List<String> elements(String name) {
        List<String> elements = new ArrayList<>();
        for (String value : values(name))
            for (String element : value.split(","))
                if (!element.isBlank())
                    elements.add(element.trim());
        return elements;
    }

    /** Whether the comma-separated field {@code name} has {@code element} (case-insensitive). */
    public boolean has(String name, String element) {
        return elements(name).stream().anyMatch(e -> e.equalsIgnoreCase(element));
    }

    /** The head quoted for a report: control and non-ASCII bytes escaped, at most {@link #QUOTE_LIMIT} characters. */
    public String quoted() {
        return Bytes.escape(raw, QUOTE_LIMIT);
    }

    @Override
    public String toString() {
        return version + " " + status + " " + reason.toLowerCase(Locale.ROOT);
    }
}
