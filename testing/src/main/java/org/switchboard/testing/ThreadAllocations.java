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

    private ThreadAllocations() {
    }

    /**
     * The bytes {@code call} allocates per run on average, over {@value #ROUNDS} runs after {@value #WARM_UP} to warm up.
     *
     * @param call the code measured, run on the calling thread {@value #WARM_UP} + {@value #ROUNDS} times
     * @return the bytes allocated on the calling thread per run, averaged over the measured runs (rounded down)
     */
    public static long bytesPerCall(Runnable call) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < WARM_UP; i++)
            call.run();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < ROUNDS; i++)
            call.run();
        return (threads.getThreadAllocatedBytes(thread) - before) / ROUNDS;
    }
}
