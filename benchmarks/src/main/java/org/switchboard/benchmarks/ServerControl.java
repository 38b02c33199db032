package org.switchboard.benchmarks;

import java.io.IOException;

/** A server under measurement as the harness sees it: where it listens, and what it costs. */
interface ServerControl extends AutoCloseable {

    int port();

    /**
     * The CPU time (user and system) the server's process has used so far, in nanoseconds, or -1
     * where it cannot be told apart from the load client's. Unlike a rate, CPU per operation hardly
     * depends on what else the machine is doing: on a shared 2-core VM it is the steadier measure
     * of what a server spends on each operation.
     */
    default long cpuNanos() {
        return -1;
    }

    /**
     * The CPU time the server's JIT compiler threads have used so far, in nanoseconds, or -1 where it
     * cannot be read. Compilation during a measured round is CPU the server spends on getting warm,
     * not on the operations: a target whose compiler is still busy is not yet measured at steady state.
     */
    default long jitCpuNanos() {
        return -1;
    }

    /** The server's heap after collections, RSS and threads, measured now. */
    ServerMain.ServerStats stats() throws IOException;

    /** What the server is configured with. */
    TargetConfiguration configuration() throws IOException;

    @Override
    void close();

    /** A server in this JVM (the smoke tests): its stats are this JVM's. */
    static ServerControl inProcess(ServerUnderTest server) {
        return new ServerControl() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public ServerMain.ServerStats stats() {
                return ServerMain.ServerStats.measure();
            }

            @Override
            public TargetConfiguration configuration() {
                return server.configuration();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
