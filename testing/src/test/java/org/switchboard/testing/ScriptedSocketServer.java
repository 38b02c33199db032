package org.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * A misbehaving server for the client's tests, on a real socket of 127.0.0.1: it accepts one
 * connection, writes the bytes it was given (in one write, or {@code repeat} times), and closes or
 * keeps the connection open; what it read is in {@link #received()}. No HTTP server sends these.
 */
final class ScriptedSocketServer implements AutoCloseable {

    private final ServerSocket listener;
    private final CompletableFuture<Long> received = new CompletableFuture<>();

    private ScriptedSocketServer(byte[] bytes, int repeat, boolean closeAfter, long readAtMost) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        Thread thread = new Thread(() -> serve(bytes, repeat, closeAfter, readAtMost), "scripted-server");
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes {@code bytes} once, then closes. */
    static ScriptedSocketServer writingThenClosing(byte[] bytes) throws IOException {
        return new ScriptedSocketServer(bytes, 1, true, 0);
    }

    /** Writes {@code bytes} {@code repeat} times, then holds the connection open. */
    static ScriptedSocketServer writingRepeatedly(byte[] bytes, int repeat) throws IOException {
        return new ScriptedSocketServer(bytes, repeat, false, 0);
    }

    /** Writes nothing, reads {@code bytes} at most, then closes. */
    static ScriptedSocketServer readingThenClosing(long bytes) throws IOException {
        return new ScriptedSocketServer(new byte[0], 0, true, bytes);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The bytes it read before it closed. */
    CompletableFuture<Long> received() {
        return received;
    }

    private void serve(byte[] bytes, int repeat, boolean closeAfter, long readAtMost) {
        try (Socket socket = listener.accept()) {
            for (int i = 0; i < repeat; i++)
                socket.getOutputStream().write(bytes);
            long read = 0;
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (read < readAtMost) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, readAtMost - read));
                if (n < 0)
                    break;
                read += n;
            }
            received.complete(read);
            if (!closeAfter)
                in.readAllBytes(); // until the client closes
        } catch (IOException x) {
            received.completeExceptionally(x);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
