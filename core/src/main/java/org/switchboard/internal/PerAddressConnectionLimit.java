package org.switchboard.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SelectorManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code max} open connections per remote IP address on the connectors it is added to
 * ({@code connector.addEventListener(limit)}). Jetty 12.1 limits connections
 * overall ({@code NetworkConnectionLimit}) and accepts per second ({@code AcceptRateLimit}), not
 * per address. Sockets are counted as Jetty accepts them and until Jetty closes their endpoint
 * ({@link SelectorManager.AcceptListener}), so a connection that switches protocols still counts
 * once; one over the limit is closed as soon as its first {@link Connection} opens, before it is
 * read, with no response (a plain TCP close).
 */
public final class PerAddressConnectionLimit implements SelectorManager.AcceptListener, Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(PerAddressConnectionLimit.class);

    private final int max;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final Map<SelectableChannel, InetAddress> counted = new ConcurrentHashMap<>();
    private final Set<SelectableChannel> excess = ConcurrentHashMap.newKeySet();

    public PerAddressConnectionLimit(int max) {
        if (max < 1)
            throw new IllegalArgumentException("max must be positive: " + max);
        this.max = max;
    }

    public int getMaxConnectionsPerAddress() {
        return max;
    }

    /** Connections open now from {@code address}, those being refused included. */
    public int getConnections(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    @Override
    public void onAccepting(SelectableChannel channel) {
        InetAddress address = remoteAddress(channel);
        if (address == null || counted.putIfAbsent(channel, address) != null)
            return;
        int now = open.merge(address, 1, Integer::sum);
        if (now > max) {
            excess.add(channel);
            if (LOG.isDebugEnabled())
                LOG.debug("{} has {} connections open, more than {}: closing the new one", address.getHostAddress(), now, max);
        }
    }

    @Override
    public void onOpened(Connection connection) {
        if (excess.contains(connection.getEndPoint().getTransport()))
            connection.getEndPoint().close();
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        release(channel);
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        release(channel);
    }

    private void release(SelectableChannel channel) {
        excess.remove(channel);
        InetAddress address = counted.remove(channel);
        if (address != null)
            open.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
    }

    private static InetAddress remoteAddress(SelectableChannel channel) {
        try {
            if (channel instanceof SocketChannel socket && socket.getRemoteAddress() instanceof InetSocketAddress inet)
                return inet.getAddress();
        } catch (IOException x) {
            LOG.debug("no remote address for {}", channel, x);
        }
        return null;
    }

    @Override
    public String toString() {
        return String.format("%s@%x[max=%d,addresses=%d]", getClass().getSimpleName(), hashCode(), max, open.size());
    }
}
