package org.switchboard.benchmarks;

import java.util.List;

/**
 * What a load run measured.
 *
 * @param workload      what the connections did
 * @param operations    operations completed in the measured window (after the warm-up)
 * @param seconds       the measured window's length
 * @param upgrades      upgrades completed over the whole run, warm-up included
 * @param errors        failures over the whole run, warm-up included: connects refused, resets,
 *                      unexpected statuses or bytes
 * @param errorSamples  the first few failures, described
 * @param serverCpuNanos CPU time the server used in the measured window, or -1 if unknown
 */
public record LoadResult(String workload, long operations, double seconds, long upgrades, long errors, List<String> errorSamples,
                         long serverCpuNanos) {

    public LoadResult {
        errorSamples = List.copyOf(errorSamples);
    }

    /** Operations per second in the measured window. */
    public double rate() {
        return seconds <= 0 ? 0 : operations / seconds;
    }

    /** Server CPU microseconds per measured operation, or NaN if unknown. */
    public double serverCpuMicrosPerOperation() {
        return serverCpuNanos < 0 || operations == 0 ? Double.NaN : serverCpuNanos / 1e3 / operations;
    }

    /** A run with errors is not a result. */
    public boolean valid() {
        return errors == 0 && operations > 0;
    }
}
