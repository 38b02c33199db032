package org.switchboard;

import java.time.Duration;
import java.util.Objects;

import org.eclipse.jetty.io.ArrayByteBufferPool;

/**
 * Bounds on what clients can make a server hold — descriptors, time, retained memory — applied by
 * {@link Switchboard#newServer} and {@link Switchboard#install} to every connector.
 * Immutable; change one bound with its {@code with…} method.
 *
 * @param requestHeadTimeout       the most time a client has to send a whole request head, counted
 *                                 from the request's first byte, and, for a request that offers an
 *                                 upgrade ({@code Connection: upgrade}) and has a body, the body as
 *                                 well. Each byte restarts the idle timeout, so without it a client
 *                                 sending a byte every few seconds holds a connection forever
 *                                 (slowloris). Over it the client gets {@code 408 Request Timeout}
 *                                 and the connection is closed. The deadline is checked once per
 *                                 period, so a head gets at least this long and less than twice
 *                                 this long from its first byte (15 to 30 s by default). A
 *                                 connection that sends nothing at all is closed by the
 *                                 connector's idle timeout instead; a switched connection is never
 *                                 timed. Applies to HTTP/1.1 connections only, TLS included.
 *                                 {@link Duration#ZERO} turns it off. Default 15 s: Go servers
 *                                 commonly set {@code ReadHeaderTimeout} to 5–20 s and nginx's
 *                                 {@code client_header_timeout} is 60 s; 15 s gives a slow mobile
 *                                 link ample time for a head of a few KiB while a trickling client
 *                                 holds a descriptor four times shorter than nginx allows.
 * @param maxConnections           the most connections the server holds open at once, over all its
 *                                 connectors (Jetty's {@link org.eclipse.jetty.server.NetworkConnectionLimit}).
 *                                 At the limit the server stops accepting: further clients wait in
 *                                 the listen backlog until a connection closes (they are not
 *                                 refused). Keep it below the process's descriptor limit
 *                                 ({@code ulimit -n}) with room for files and outgoing connections.
 *                                 0 turns it off. Default 10,000.
 * @param maxConnectionsPerAddress the most connections one remote IP address may hold open at once;
 *                                 a connection over it is closed as soon as it is accepted, with no
 *                                 response (a TCP close, so it costs the server nothing). 0 turns
 *                                 it off, the default: behind a reverse proxy every connection
 *                                 comes from the proxy's address and many users share one address
 *                                 behind NAT, which a library cannot know. A server exposed
 *                                 directly should set it (the sample uses 256).
 * @param acceptQueueSize          the listen backlog of every {@link org.eclipse.jetty.server.ServerConnector}
 *                                 that does not set its own: connections the kernel completes before
 *                                 the server accepts them. Jetty's default (0) means the JDK's 50,
 *                                 which a burst of clients overflows. The kernel caps it
 *                                 ({@code net.core.somaxconn} on Linux). Default 1024.
 * @param maxRetainedHeapBytes     the most heap memory, in bytes, that the byte buffer pool of a
 *                                 server made by {@link Switchboard#newServer} keeps for reuse once
 *                                 buffers are released (Jetty's {@link org.eclipse.jetty.io.ArrayByteBufferPool});
 *                                 buffers released beyond it are dropped for the garbage collector.
 *                                 It does not limit what is in use. Jetty's own default is an
 *                                 eighth of the maximum heap, each for heap and direct memory —
 *                                 gigabytes on a large machine, kept after a flood is over.
 *                                 Default 64 MiB.
 * @param maxRetainedDirectBytes   as {@code maxRetainedHeapBytes}, for direct (off-heap) buffers,
 *                                 which count in the process's RSS but not in its heap. Default 64 MiB.
 */
public record ServerLimits(Duration requestHeadTimeout, int maxConnections, int maxConnectionsPerAddress, int acceptQueueSize,
                           long maxRetainedHeapBytes, long maxRetainedDirectBytes) {

    /** 15 s for a request head, 10,000 connections, no per-address limit, backlog 1024, 64 MiB heap and 64 MiB direct retained. */
    public static final ServerLimits DEFAULT = new ServerLimits(Duration.ofSeconds(15), 10_000, 0, 1024, 64L << 20, 64L << 20);

    /**
     * Checks the bounds; the components are described above.
     *
     * @param requestHeadTimeout       time for a request head (and an upgrade request's body); {@link Duration#ZERO}: off
     * @param maxConnections           connections open at once over all connectors; 0: no limit
     * @param maxConnectionsPerAddress connections open at once from one remote IP address; 0: no limit
     * @param acceptQueueSize          listen backlog, in connections, of connectors that set none; 0: the JDK's 50
     * @param maxRetainedHeapBytes     heap bytes the buffer pool keeps for reuse, at least 1
     * @param maxRetainedDirectBytes   direct bytes the buffer pool keeps for reuse, at least 1
     * @throws NullPointerException     if {@code requestHeadTimeout} is null
     * @throws IllegalArgumentException if the timeout or a connection limit is negative, or a
     *                                  retained-memory bound is below 1
     */
    public ServerLimits {
        Objects.requireNonNull(requestHeadTimeout, "requestHeadTimeout");
        if (requestHeadTimeout.isNegative())
            throw new IllegalArgumentException("requestHeadTimeout must not be negative: " + requestHeadTimeout);
        if (maxConnections < 0 || maxConnectionsPerAddress < 0 || acceptQueueSize < 0)
            throw new IllegalArgumentException("connection limits must not be negative: " + maxConnections + ", "
                + maxConnectionsPerAddress + ", " + acceptQueueSize);
        if (maxRetainedHeapBytes < 1 || maxRetainedDirectBytes < 1)
            throw new IllegalArgumentException("retained memory bounds must be positive: " + maxRetainedHeapBytes + ", " + maxRetainedDirectBytes);
    }

    /**
     * A byte buffer pool that retains at most {@link #maxRetainedHeapBytes()} and
     * {@link #maxRetainedDirectBytes()}, otherwise Jetty's defaults. {@link Switchboard#newServer}
     * uses one; a server you build yourself takes its pool when it is constructed, before
     * {@link Switchboard#install} can see it: {@code new Server(null, null, limits.newByteBufferPool())}.
     *
     * @return a new pool, not started; each call makes another
     */
    public ArrayByteBufferPool newByteBufferPool() {
        return new ArrayByteBufferPool(0, -1, -1, Integer.MAX_VALUE, maxRetainedHeapBytes, maxRetainedDirectBytes);
    }

    /**
     * A copy with another request head deadline.
     *
     * @param timeout the deadline; {@link Duration#ZERO} turns it off
     * @return a copy with {@code requestHeadTimeout} replaced
     */
    public ServerLimits withRequestHeadTimeout(Duration timeout) {
        return new ServerLimits(timeout, maxConnections, maxConnectionsPerAddress, acceptQueueSize, maxRetainedHeapBytes, maxRetainedDirectBytes);
    }

    /**
     * A copy with another overall connection cap.
     *
     * @param max connections open at once over all connectors; 0: none
     * @return a copy with {@code maxConnections} replaced
     */
    public ServerLimits withMaxConnections(int max) {
        return new ServerLimits(requestHeadTimeout, max, maxConnectionsPerAddress, acceptQueueSize, maxRetainedHeapBytes, maxRetainedDirectBytes);
    }

    /**
     * A copy with another cap per remote address.
     *
     * @param max connections open at once from one IP address; 0: none (behind a reverse proxy)
     * @return a copy with {@code maxConnectionsPerAddress} replaced
     */
    public ServerLimits withMaxConnectionsPerAddress(int max) {
        return new ServerLimits(requestHeadTimeout, maxConnections, max, acceptQueueSize, maxRetainedHeapBytes, maxRetainedDirectBytes);
    }

    /**
     * A copy with another listen backlog.
     *
     * @param size the backlog, in connections; 0: the JDK's 50
     * @return a copy with {@code acceptQueueSize} replaced
     */
    public ServerLimits withAcceptQueueSize(int size) {
        return new ServerLimits(requestHeadTimeout, maxConnections, maxConnectionsPerAddress, size, maxRetainedHeapBytes, maxRetainedDirectBytes);
    }

    /**
     * A copy with another bound on the heap buffers the pool keeps.
     *
     * @param bytes the bound, in bytes, at least 1
     * @return a copy with {@code maxRetainedHeapBytes} replaced
     */
    public ServerLimits withMaxRetainedHeapBytes(long bytes) {
        return new ServerLimits(requestHeadTimeout, maxConnections, maxConnectionsPerAddress, acceptQueueSize, bytes, maxRetainedDirectBytes);
    }

    /**
     * A copy with another bound on the direct buffers the pool keeps.
     *
     * @param bytes the bound, in bytes, at least 1
     * @return a copy with {@code maxRetainedDirectBytes} replaced
     */
    public ServerLimits withMaxRetainedDirectBytes(long bytes) {
        return new ServerLimits(requestHeadTimeout, maxConnections, maxConnectionsPerAddress, acceptQueueSize, maxRetainedHeapBytes, bytes);
    }
}
