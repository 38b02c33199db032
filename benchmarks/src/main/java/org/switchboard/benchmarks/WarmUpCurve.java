package org.switchboard.benchmarks;

import java.util.List;

/**
 * A fresh server's first seconds under load, second by second ({@code --warm-up-curve}).
 *
 * @param workload        what the connections did
 * @param operations      operations completed in each second, from the first connection on
 * @param serverCpuNanos  the server's CPU time in each second, -1 where unknown
 * @param errors          failures over the whole run; any makes it not a result
 * @param errorSamples    the first failures, described
 */
record WarmUpCurve(String workload, long[] operations, long[] serverCpuNanos, long errors, List<String> errorSamples) {

    WarmUpCurve {
        operations = operations.clone();
        serverCpuNanos = serverCpuNanos.clone();
        errorSamples = List.copyOf(errorSamples);
    }

    /** The server's CPU microseconds per operation in {@code second}, NaN if unknown or none completed. */
    double serverCpuMicrosPerOperation(int second) {
        return serverCpuNanos[second] < 0 || operations[second] == 0 ? Double.NaN : serverCpuNanos[second] / 1e3 / operations[second];
    }

    /** Operations over the first {@code seconds} seconds. */
    long operationsWithin(int seconds) {
        long sum = 0;
        for (int i = 0; i < Math.min(seconds, operations.length); i++)
            sum += operations[i];
        return sum;
    }

    /** A curve with errors is not a result; one with no operation in its first seconds is (a server that slow to start). */
    boolean valid() {
        return errors == 0;
    }
}
