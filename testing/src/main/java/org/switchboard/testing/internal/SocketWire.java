package org.switchboard.testing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A {@link Wire} over a connected TCP socket. */
public final class SocketWire implements Wire {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public SocketWire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(ByteBuffer into, long timeoutMillis) throws IOException {
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis)));
        try {
            int n = in.read(into.array(), into.arrayOffset() + into.position(), into.remaining());
            if (n > 0)
                into.position(into.position() + n);
            return n;
        } catch (SocketTimeoutException x) {
            return 0;
        }
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String describe() {
        return "connection to " + socket.getRemoteSocketAddress();
    }
}
