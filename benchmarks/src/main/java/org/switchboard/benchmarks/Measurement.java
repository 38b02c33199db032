package org.switchboard.benchmarks;

import java.util.List;

/**
 * One scenario run against one target.
 *
 * @param value  the scenario's metric ({@link Scenario#unit()})
 * @param detail what else was seen (operations, RSS, threads)
 * @param rssPerConnection idle scenarios: the server's RSS growth per held connection, else 0
 * @param threads          idle scenarios: the server's live threads while holding them, else 0
 * @param errors failures; any makes the run invalid
 * @param errorSamples the first failures, described
 * @param serverCpuMicrosPerOperation rate scenarios: the server's CPU time per measured operation, else NaN
 */
public record Measurement(double value, String detail, double rssPerConnection, int threads, long errors,
                          List<String> errorSamples, double serverCpuMicrosPerOperation) {

    static Measurement failed(String detail, long errors, List<String> errorSamples) {
        return new Measurement(0, detail, 0, 0, Math.max(1, errors), errorSamples.isEmpty() ? List.of(detail) : errorSamples,
            Double.NaN);
    }

    public Measurement {
        errorSamples = List.copyOf(errorSamples);
    }

    /** A run with errors, or that measured nothing, is not a result. */
    public boolean valid() {
        return errors == 0 && value > 0;
    }
}
