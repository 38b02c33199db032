package org.switchboard.probe.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.switchboard.probe.CheckResult;

/** {@code --json FILE}: {@code {"target": URL, "checks": [{"id", "name", "result", "detail"}]}}. */
public final class JsonReport {

    /** The file's shape. @param target the URL probed @param checks every check, in order */
    record Report(String target, List<CheckResult> checks) {}

    private JsonReport() {}

    /**
     * Writes the report.
     *
     * @param file    where; replaced if it exists
     * @param target  the URL probed
     * @param results every check's result, in order
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, String target, List<CheckResult> results) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), new Report(target, results));
    }
}
