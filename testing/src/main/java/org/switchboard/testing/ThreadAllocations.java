package org.switchboard.testing;

import java.lang.management.ManagementFactory;

/**
 * What a call allocates on the calling thread, in bytes, after the JIT has had its chance: for
 * tests that bound a hot path's garbage (escape analysis removes what does not escape, so a bound
 * of 0 holds only for code that truly allocates nothing once compiled).
 */
public final class ThreadAllocations {

    private static final int WARM_UP = 20_000;
    private static final int ROUNDS = 10_000;
    private static final int SAMPLES = 3;

    private ThreadAllocations() {
    }

    /**
     * The bytes {@code call} allocates per run on average, over {@value #ROUNDS} runs after {@value #WARM_UP} to warm up;
     * the least of {@value #SAMPLES} such averages, so that a one-off allocation during one of them (a deoptimisation
     * and recompilation, a class loaded late) is not taken for the call's own.
     *
     * @param call the code measured, run on the calling thread {@value #WARM_UP} + {@value #SAMPLES} × {@value #ROUNDS} times
     * @return the bytes allocated on the calling thread per run, averaged over the measured runs (rounded down), least of {@value #SAMPLES}
     */
    public static long bytesPerCall(Runnable call) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < WARM_UP; i++)
            call.run();
        long least = Long.MAX_VALUE;
        for (int sample = 0; sample < SAMPLES; sample++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < ROUNDS; i++)
                call.run();
            least = Math.min(least, (threads.getThreadAllocatedBytes(thread) - before) / ROUNDS);
        }
        return least;
    }
}
