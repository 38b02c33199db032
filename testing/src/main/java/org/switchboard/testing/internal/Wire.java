package org.switchboard.testing.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The client's end of one connection, over a socket or in memory: what {@link WireConnection} reads and writes. */
public interface Wire {

    /**
     * Reads what has arrived into {@code into}, waiting at most {@code timeoutMillis} (at least 1)
     * for the first byte.
     *
     * @return the number of bytes read; 0 if none arrived in time; -1 once the server closed its side
     */
    int read(ByteBuffer into, long timeoutMillis) throws IOException;

    /** Writes all of {@code bytes} to the server. */
    void write(byte[] bytes) throws IOException;

    /** Half-closes: the server reads end of stream, and can still write. */
    void shutdownOutput() throws IOException;

    /** Closes both directions. */
    void close() throws IOException;

    /** What the connection is, for failure messages. */
    String describe();
}
