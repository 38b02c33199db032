package org.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on an ephemeral port of 127.0.0.1, standing where a load balancer stands, for
 * tests of what a client does when its connection breaks: every connection it accepts is joined
 * to the first of its {@linkplain #targets(int...) targets} that accepts a connection (a target
 * that refuses is skipped, as a load balancer skips a dead upstream), and bytes flow both ways
 * untouched. {@link #cut()} breaks every connection at once with a TCP reset, both sides, as a
 * lost network path or a killed peer would; new connections are served as before.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(serverA.port(), serverB.port())) {
 *     RelayClient client = ... connect to proxy.uri("relay", "/chat") ...
 *     proxy.cut();                      // the client's connection breaks
 *     proxy.targets(serverB.port());    // and it comes back on B
 * }
 * }</pre>
 *
 * One thread per direction of each connection, daemon threads; for tests, not for load.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Integer> targets = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private TcpProxy(ServerSocket listener, int... targets) {
        this.listener = listener;
        targets(targets);
    }

    /**
     * Starts a proxy to {@code targets}, ports of 127.0.0.1, tried in this order for each new connection.
     *
     * @param targets the ports to forward to, at least one
     * @return the started proxy
     * @throws IOException              if no port can be opened
     * @throws IllegalArgumentException if {@code targets} is empty
     */
    public static TcpProxy start(int... targets) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TcpProxy proxy = new TcpProxy(listener, targets);
        Thread acceptor = new Thread(proxy::accept, "tcp-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    /**
     * Replaces where new connections go; open connections stay where they are.
     *
     * @param ports ports of 127.0.0.1, tried in this order, at least one
     * @throws IllegalArgumentException if {@code ports} is empty
     */
    public void targets(int... ports) {
        if (ports.length == 0)
            throw new IllegalArgumentException("at least one target port");
        List<Integer> next = Arrays.stream(ports).boxed().toList();
        targets.clear();
        targets.addAll(next);
    }

    /**
     * The port the proxy listens on, on 127.0.0.1.
     *
     * @return the local TCP port
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * {@code scheme://127.0.0.1:<port><path>}.
     *
     * @param scheme e.g. {@code http} or {@code relay}
     * @param path   starting with {@code /}
     * @return the URI of {@code path} through the proxy
     */
    public URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + port() + path);
    }

    /**
     * How many connections the proxy has accepted so far: a client that reconnected once through
     * it has made two.
     *
     * @return the number of connections accepted
     */
    public int accepted() {
        return accepted.get();
    }

    /** Breaks every open connection with a TCP reset on both sides; later connections are served. */
    public void cut() {
        for (Socket socket : open)
            reset(socket);
    }

    /** Stops accepting and breaks every open connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException x) {
            // closing: nothing to do
        }
        cut();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException x) {
                return;
            }
            accepted.incrementAndGet();
            Socket server = connectToATarget();
            if (server == null) {
                reset(client);
                continue;
            }
            open.add(client);
            open.add(server);
            AtomicInteger directions = new AtomicInteger(2);
            pump(client, server, directions);
            pump(server, client, directions);
        }
    }

    private Socket connectToATarget() {
        for (int port : targets) {
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                server.setTcpNoDelay(true);
                return server;
            } catch (IOException x) {
                close(server);
            }
        }
        return null;
    }

    /** Copies {@code from} to {@code to}; the last of a connection's two directions to end closes both sockets. */
    private void pump(Socket from, Socket to, AtomicInteger directions) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
                // An orderly end of stream is passed on as one.
                to.shutdownOutput();
            } catch (IOException x) {
                // One side broke: break the other as well.
                reset(from);
                reset(to);
            } finally {
                if (directions.decrementAndGet() == 0) {
                    close(from);
                    close(to);
                    open.remove(from);
                    open.remove(to);
                }
            }
        }, "tcp-proxy-pump-" + from.getPort() + "-" + to.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    private void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException x) {
            // closed already
        }
        close(socket);
        open.remove(socket);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException x) {
            // closing: nothing to do
        }
    }
}
