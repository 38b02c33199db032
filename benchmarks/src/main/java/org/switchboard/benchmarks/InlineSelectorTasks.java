package org.switchboard.benchmarks;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.jetty.util.thread.TryExecutor;

/**
 * An experiment, not a configuration to deploy: the executor of a Jetty connector that runs two of
 * Jetty 12.1's per-connection tasks on the thread that submits them instead of waking a pool thread
 * for each — {@code ManagedSelector.Accept} (creating the endpoint and connection of an accepted
 * socket) and {@code ManagedSelector.DestroyEndPoint} (telling the connection it closed). Everything
 * else goes to the server's pool as usual.
 *
 * <p>It exists to measure what those two hand-offs cost (BENCHMARKS.md, "Where the relay upgrade
 * time goes"): with one accept and one close per operation, a short-connection benchmark pays two
 * thread wake-ups per operation that Netty, which registers and closes a channel on its event loop,
 * does not. It is only safe because the benchmark's connection factories and listeners never block;
 * Jetty runs these tasks on its pool because in general they may. The class names are Jetty's
 * internals: the constructor fails if they are gone, so that a Jetty upgrade cannot silently turn
 * the experiment into a no-op. Enabled for both Jetty targets by {@code benchmarks/run.sh
 * --jetty-inline-selector-tasks}.
 */
final class InlineSelectorTasks implements TryExecutor {

    /** The system property, set on the server JVMs, that gives both Jetty targets this executor. */
    static final String PROPERTY = "switchboard.bench.inline-selector-tasks";

    private static final String ACCEPT = "org.eclipse.jetty.io.ManagedSelector$Accept";
    private static final String DESTROY_END_POINT = "org.eclipse.jetty.io.ManagedSelector$DestroyEndPoint";

    private final Executor pool;
    private final TryExecutor tryPool;
    private final Class<?> accept;
    private final Class<?> destroyEndPoint;
    private final LongAdder inlined = new LongAdder();

    InlineSelectorTasks(Executor pool) {
        this.pool = pool;
        this.tryPool = TryExecutor.asTryExecutor(pool);
        try {
            this.accept = Class.forName(ACCEPT);
            this.destroyEndPoint = Class.forName(DESTROY_END_POINT);
        } catch (ClassNotFoundException x) {
            throw new IllegalStateException("this Jetty has no " + x.getMessage() + ": the experiment needs updating", x);
        }
    }

    @Override
    public void execute(Runnable task) {
        Class<?> type = task.getClass();
        if (type == accept || type == destroyEndPoint) {
            inlined.increment();
            task.run();
        } else {
            pool.execute(task);
        }
    }

    @Override
    public boolean tryExecute(Runnable task) {
        // Reserved threads, which Jetty's execution strategy asks for, stay the pool's.
        return tryPool.tryExecute(task);
    }

    /** Tasks run in place so far. */
    long inlined() {
        return inlined.sum();
    }
}
