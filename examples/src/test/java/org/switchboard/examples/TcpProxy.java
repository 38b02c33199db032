package org.switchboard.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 for tests that cut one client off from a server while others keep it:
 * {@link #cut()} closes every proxied connection and closes new ones at once, {@link #restore()}
 * lets them through again; {@link #pause()} holds every byte (a server that stopped answering) until
 * the connections are cut. Bytes are copied as they come, both ways.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean paused;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Closes every connection through the proxy, and each new one as soon as it is accepted. */
    void cut() {
        cut = true;
        for (Socket socket : open)
            closeQuietly(socket);
    }

    /** Lets new connections through again, and bytes flow again. */
    void restore() {
        cut = false;
        paused = false;
    }

    /** Holds every byte read from now on, both ways, and forwards none: the connections stay open, silent. */
    void pause() {
        paused = true;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException x) {
                // The listener closed, or the target refused: the client sees its connection closed.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    while (paused && !from.isClosed())
                        Thread.sleep(10);
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException x) {
                // Either side closed.
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException x) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
