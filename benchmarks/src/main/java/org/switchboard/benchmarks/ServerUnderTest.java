package org.switchboard.benchmarks;

/**
 * One running server of a {@link Target} on 127.0.0.1. {@link ServerMain} runs one per JVM for the
 * measurements; the smoke tests start them in-process.
 */
public interface ServerUnderTest extends AutoCloseable {

    /** Starts {@code target} on 127.0.0.1:{@code port} (0 for an ephemeral port). */
    static ServerUnderTest start(Target target, int port) throws Exception {
        return switch (target) {
            case SAMPLE -> SampleTarget.start(port);
            case SWITCHBOARD -> SwitchboardServer.start(port);
            case JETTY -> JettyServer.start(port);
            case NETTY -> NettyServer.start(port);
        };
    }

    /** The port the server listens on. */
    int port();

    /** What the server is configured with, for the harness to compare between targets. */
    TargetConfiguration configuration();

    /** Stops the server; never throws. */
    @Override
    void close();
}
