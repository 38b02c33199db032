package org.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.switchboard.testing.internal.SocketWire;
import org.switchboard.testing.internal.WireConnection;

/**
 * A raw HTTP/1.1 client over a real TCP socket, for exact-bytes tests of an upgrade and for tools
 * that probe a server: it writes the request bytes it is given (and whatever the test pipelines after
 * them), parses the response — a {@code 101}'s head, or any response with its body — and then reads
 * and writes the new protocol's raw bytes. It does not depend on JUnit.
 *
 * <pre>{@code
 * try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
 *     client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: shout\r\n\r\nhello");
 *     RawResponse response = client.readResponse();        // 101, its head only
 *     String shouted = client.readText(5);                 // "HELLO": the pipelined bytes reached shout/1
 * }
 * }</pre>
 *
 * <p>Reads are bounded as {@link RawConnection} says, by the {@link ReadLimits} given to
 * {@link #connect(InetSocketAddress, ReadLimits)} ({@link ReadLimits#DEFAULT} otherwise); connecting
 * waits at most the same timeout. Nagle's algorithm is off, so each {@link #send} leaves at once.
 */
public final class RawUpgradeClient implements RawConnection {

    private final Socket socket;
    private final RawConnection connection;

    private RawUpgradeClient(Socket socket, ReadLimits limits) throws IOException {
        this.socket = socket;
        this.connection = new WireConnection(new SocketWire(socket), limits);
    }

    /**
     * Connects to {@code 127.0.0.1:port} with {@link ReadLimits#DEFAULT}.
     *
     * @param port the server's TCP port
     * @return the connected client
     * @throws IOException if the connection is refused or not made in time
     */
    public static RawUpgradeClient connect(int port) throws IOException {
        return connect(new InetSocketAddress("127.0.0.1", port), ReadLimits.DEFAULT);
    }

    /**
     * Sends {@code request} on a new connection to {@code 127.0.0.1:port}, reads the response head
     * and closes: for tests that only need a status.
     *
     * @param port    the server's TCP port
     * @param request the exact request bytes, ISO-8859-1
     * @return the response's status code
     * @throws IOException if the connection fails or no head comes within {@link ReadLimits#DEFAULT}
     */
    public static int status(int port, String request) throws IOException {
        try (RawUpgradeClient client = connect(port)) {
            return client.send(request).readHead().status();
        }
    }

    /**
     * Connects to the host and port of an {@code http} or {@code ws} URI (port 80 when it has none)
     * with {@link ReadLimits#DEFAULT}; the path is not used.
     *
     * @param uri the server, {@code http://host[:port]/…} or {@code ws://…}
     * @return the connected client
     * @throws IllegalArgumentException if the URI has no host
     * @throws IOException              if the connection is refused or not made in time
     */
    public static RawUpgradeClient connect(URI uri) throws IOException {
        if (uri.getHost() == null)
            throw new IllegalArgumentException("no host in " + uri);
        return connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort()), ReadLimits.DEFAULT);
    }

    /**
     * Connects to {@code address}, waiting at most {@code limits.timeout()}.
     *
     * @param address the server's address and port
     * @param limits  what the connection's reads wait for and hold
     * @return the connected client
     * @throws IOException if the connection is refused or not made in time
     */
    public static RawUpgradeClient connect(InetSocketAddress address, ReadLimits limits) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) Math.min(Integer.MAX_VALUE, limits.timeout().toMillis()));
            socket.setTcpNoDelay(true);
            return new RawUpgradeClient(socket, limits);
        } catch (IOException x) {
            socket.close();
            throw x;
        }
    }

    /**
     * A client over a socket the caller connected: a TLS one ({@code SSLSocket}), or one with
     * options that must be set before connecting (a small receive buffer). Reads wait at most
     * {@code limits.timeout()}; closing the client closes the socket.
     *
     * @param socket a connected socket, plain or TLS; the client owns it from now on
     * @param limits the limits every read is bounded by
     * @return the client over {@code socket}
     * @throws IllegalArgumentException if the socket is not connected
     * @throws IOException              if Nagle's algorithm cannot be turned off or the socket's streams cannot be had
     */
    public static RawUpgradeClient over(Socket socket, ReadLimits limits) throws IOException {
        if (!socket.isConnected())
            throw new IllegalArgumentException("the socket is not connected: " + socket);
        socket.setTcpNoDelay(true);
        return new RawUpgradeClient(socket, limits);
    }

    /**
     * The socket, for what this class does not do: a reset with {@code setSoLinger(true, 0)}, its
     * addresses. Read with {@link #input()}, not with the socket's own stream, which misses bytes
     * already kept here.
     *
     * @return the client's socket
     */
    public Socket socket() {
        return socket;
    }

    /**
     * Writes {@code head}, then a chunked body that never ends — 64 KiB chunks, on another thread —
     * until the server stops taking them (the write fails once it closes) or {@code bound} bytes are
     * sent. A server that bounds what it reads completes the future under {@code bound}.
     *
     * @param head  a request head announcing {@code Transfer-Encoding: chunked}, through its blank line
     * @param bound the most bytes of body to send
     * @return the bytes of body sent
     * @throws IOException if the head cannot be written
     */
    public CompletableFuture<Long> sendEndlessChunks(String head, long bound) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        byte[] chunk = ("10000\r\n" + "a".repeat(64 * 1024) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return CompletableFuture.supplyAsync(() -> {
            long total = 0;
            try {
                while (total < bound) {
                    out.write(chunk);
                    total += chunk.length;
                }
            } catch (IOException x) {
                // the server closed the connection: it stopped reading
            }
            return total;
        });
    }

    @Override
    public ReadLimits limits() {
        return connection.limits();
    }

    @Override
    public RawUpgradeClient send(byte[] bytes) throws IOException {
        connection.send(bytes);
        return this;
    }

    @Override
    public RawUpgradeClient send(String text) throws IOException {
        connection.send(text);
        return this;
    }

    @Override
    public RawResponse readResponse() throws IOException {
        return connection.readResponse();
    }

    @Override
    public RawResponse readHead() throws IOException {
        return connection.readHead();
    }

    @Override
    public byte[] readExactly(int n) throws IOException {
        return connection.readExactly(n);
    }

    @Override
    public String readLine() throws IOException {
        return connection.readLine();
    }

    @Override
    public byte[] readAvailable() throws IOException {
        return connection.readAvailable();
    }

    @Override
    public byte[] readUntilClosed() throws IOException {
        return connection.readUntilClosed();
    }

    @Override
    public boolean closedWithin(Duration time) throws IOException {
        return connection.closedWithin(time);
    }

    @Override
    public boolean quietFor(Duration time) throws IOException {
        return connection.quietFor(time);
    }

    @Override
    public void shutdownOutput() throws IOException {
        connection.shutdownOutput();
    }

    @Override
    public InputStream input() {
        return connection.input();
    }

    @Override
    public OutputStream output() {
        return connection.output();
    }

    /** Closes the socket (a FIN; for a reset, {@code socket().setSoLinger(true, 0)} first). */
    @Override
    public void close() throws IOException {
        connection.close();
    }
}
