package org.switchboard.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The resources a test opened — servers, proxies, clients, child processes — closed last first
 * when the test ends, however many it opened and wherever it failed:
 *
 * <pre>{@code
 * private final Closer closer = new Closer();
 *
 * @AfterEach
 * void closeAll() throws Exception {
 *     closer.close();
 * }
 *
 * @Test
 * void twoServers() throws Exception {
 *     TestServer a = closer.add(TestServer.start(switchboard));
 *     TcpProxy proxy = closer.add(TcpProxy.start(a.port()));
 *     ...
 * }
 * }</pre>
 *
 * Not thread-safe: one test thread adds.
 */
public final class Closer implements AutoCloseable {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /**
     * Closes {@code resource} with the others, before those added earlier.
     *
     * @param <T>      the resource's type
     * @param resource what to close
     * @return {@code resource}, to assign where it was opened
     */
    public <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    /**
     * Closes every resource added, the last added first; one that fails does not keep the others
     * open.
     *
     * @throws Exception the first failure, the later ones added to it as suppressed
     */
    @Override
    public void close() throws Exception {
        Exception failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception x) {
                if (failure == null)
                    failure = x;
                else
                    failure.addSuppressed(x);
            }
        }
        if (failure != null)
            throw failure;
    }
}
