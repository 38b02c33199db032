package org.switchboard.testing.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.RuntimeIOException;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.util.BufferUtil;

/**
 * A {@link Wire} over one of Jetty's in-memory {@link LocalConnector.LocalEndPoint}s: what the test
 * writes is the endpoint's input, what the server flushes is its output. No socket.
 */
public final class LocalWire implements Wire {

    private final LocalConnector.LocalEndPoint endPoint;
    private ByteBuffer output = BufferUtil.EMPTY_BUFFER;

    public LocalWire(LocalConnector.LocalEndPoint endPoint) {
        this.endPoint = endPoint;
    }

    @Override
    public int read(ByteBuffer into, long timeoutMillis) throws IOException {
        if (!output.hasRemaining()) {
            ByteBuffer taken;
            try {
                taken = endPoint.waitForOutput(Math.max(1, timeoutMillis), TimeUnit.MILLISECONDS);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading from " + describe());
            }
            if (taken == null)
                return 0;
            if (!taken.hasRemaining())
                // waitForOutput returns an empty buffer only once the server shut its output down.
                return endPoint.isOutputShutdown() || !endPoint.isOpen() ? -1 : 0;
            output = taken;
        }
        int n = Math.min(into.remaining(), output.remaining());
        ByteBuffer slice = output.slice();
        slice.limit(n);
        into.put(slice);
        output.position(output.position() + n);
        return n;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        if (!endPoint.isOpen())
            throw new IOException(describe() + " is closed");
        try {
            // On Jetty's executor, never on the test's thread: a handler that blocks must not block the test.
            endPoint.addInputAndExecute(ByteBuffer.wrap(bytes.clone()));
        } catch (RuntimeIOException x) {
            throw new IOException("cannot write to " + describe() + ": its input is already shut down", x);
        }
    }

    @Override
    public void shutdownOutput() {
        if (endPoint.isOpen())
            endPoint.addInputEOF();
    }

    @Override
    public void close() {
        endPoint.close();
    }

    @Override
    public String describe() {
        return "in-memory connection";
    }
}
