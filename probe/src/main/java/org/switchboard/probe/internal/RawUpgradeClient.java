package org.switchboard.probe.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One raw TCP connection to the target: writes exactly the bytes it is given, each call in one
 * write, and reads response heads and the bytes after them. Every read is bounded by one deadline
 * for the whole connection (the check's timeout) and by {@link #MAX_BYTES_READ}, so no server can
 * make a check hang or buffer without end. Bytes read past a head stay buffered for the next read:
 * after a 101 they are the new protocol's.
 */
public final class RawUpgradeClient implements Closeable {

    /** Most bytes a response head may have. */
    public static final int MAX_HEAD_BYTES = 16 * 1024;
    /** Most bytes read from one connection, whatever the server sends. */
    public static final int MAX_BYTES_READ = 1024 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final long deadline;
    private final Duration timeout;
    private final byte[] chunk = new byte[8192];
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private long bytesRead;

    private RawUpgradeClient(Socket socket, Duration timeout) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    /**
     * Connects to {@code address} (already resolved: no name is looked up here).
     *
     * @throws IOException when the connection is refused or not made within {@code timeout}
     */
    public static RawUpgradeClient connect(InetSocketAddress address, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, (int) Math.max(1, timeout.toMillis()));
            return new RawUpgradeClient(socket, timeout);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Writes {@code text} as ISO-8859-1 bytes in one write. */
    public RawUpgradeClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code bytes} in one write. */
    public RawUpgradeClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Reads one response head (a 1xx interim one included), through its blank line.
     *
     * @throws IOException with a one-line message when the server sends no complete head within the
     *                     deadline, closes first, sends more than {@link #MAX_HEAD_BYTES} or no status line
     */
    public ResponseHead readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0; // how much of CR LF CR LF has been seen; a bare LF ends a line too
        while (state < 4) {
            int b = readByte(head);
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES)
                throw new IOException("response head over " + MAX_HEAD_BYTES + " bytes: " + Bytes.escape(head.toByteArray(), ResponseHead.QUOTE_LIMIT));
            if (b == '\n')
                state = state >= 2 ? 4 : 2;
            else if (b == '\r')
                state = state == 2 ? 3 : 1;
            else
                state = 0;
        }
        ResponseHead parsed = ResponseHead.parse(head.toByteArray());
        if (parsed == null)
            throw new IOException("not an HTTP/1.1 response: " + Bytes.escape(head.toByteArray(), ResponseHead.QUOTE_LIMIT));
        return parsed;
    }

    /** Reads heads until a final (non-1xx) one or a 101, which it returns. */
    public ResponseHead readFinalHead() throws IOException {
        ResponseHead head = readHead();
        while (head.status() >= 100 && head.status() < 200 && head.status() != 101)
            head = readHead();
        return head;
    }

    /**
     * Reads what is available into {@code into} (buffered bytes first), waiting until the deadline.
     *
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws SocketTimeoutException at the deadline
     */
    public int read(ByteBuffer into) throws IOException {
        if (!pending.hasRemaining()) {
            int n = fill();
            if (n < 0)
                return -1;
        }
        int n = Math.min(into.remaining(), pending.remaining());
        ByteBuffer slice = pending.slice();
        slice.limit(n);
        into.put(slice);
        pending.position(pending.position() + n);
        return n;
    }

    /**
     * Whether the connection is still open after {@code quiet} (or at the deadline, if sooner): true
     * if the server sends something (kept for the next read) or nothing, false if it closes or
     * resets the connection.
     */
    public boolean staysOpen(Duration quiet) throws IOException {
        if (pending.hasRemaining())
            return true;
        long left = Math.min(quiet.toNanos(), deadline - System.nanoTime());
        if (left <= 0)
            return true;
        int previous = socket.getSoTimeout();
        try {
            socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
            int n = in.read(chunk);
            if (n < 0)
                return false;
            count(n);
            pending = ByteBuffer.wrap(chunk.clone(), 0, n);
            return true;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (SocketException e) {
            return false;
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    /** The timeout this connection's deadline was set from. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private int readByte(ByteArrayOutputStream sofar) throws IOException {
        if (!pending.hasRemaining() && fill() < 0)
            throw new EOFException(sofar.size() == 0
                ? "connection closed with no response"
                : "connection closed after " + sofar.size() + " bytes of head: " + Bytes.escape(sofar.toByteArray(), ResponseHead.QUOTE_LIMIT));
        return pending.get() & 0xFF;
    }

    private int fill() throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0)
            throw new SocketTimeoutException("no answer within " + seconds(timeout));
        socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
        int n;
        try {
            n = in.read(chunk);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no answer within " + seconds(timeout));
        }
        if (n < 0)
            return -1;
        count(n);
        pending = ByteBuffer.wrap(chunk.clone(), 0, n);
        return n;
    }

    private void count(int n) throws IOException {
        bytesRead += n;
        if (bytesRead > MAX_BYTES_READ)
            throw new IOException("more than " + MAX_BYTES_READ + " bytes from one connection");
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
