package org.switchboard.testing;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The client's end of one HTTP/1.1 connection, for exact-bytes tests of an upgrade: it writes what it
 * is given, byte for byte, and reads the response as the server put it on the wire; after a
 * {@code 101} it reads and writes the new protocol's raw bytes. A {@link RawUpgradeClient} is one over
 * a real socket; {@link InMemoryServer#connect()} gives one over Jetty's in-memory connector.
 *
 * <p>Every read is bounded by the connection's {@link ReadLimits}: it waits at most
 * {@link ReadLimits#timeout()} for all it reads, then throws an {@link InterruptedIOException} that
 * says what it waited for and what had arrived; it never holds more than the size limits. Bytes that
 * arrive with a response but after it (the new protocol's first bytes, a pipelined response) are
 * kept for the next read. Not thread-safe: one thread reads, although another may write.
 */
public interface RawConnection extends Closeable {

    /**
     * The limits every read of this connection is bounded by.
     *
     * @return the limits given when the connection was opened
     */
    ReadLimits limits();

    /**
     * Writes {@code bytes} in one write (one TCP segment when it fits: a request and the bytes pipelined after it).
     *
     * @param bytes the bytes to write
     * @return this connection
     * @throws IOException if the write fails
     */
    RawConnection send(byte[] bytes) throws IOException;

    /**
     * Writes {@code text} encoded as ISO-8859-1 (one byte per character, as HTTP heads are) in one write.
     *
     * @param text the text to write
     * @return this connection
     * @throws IOException if the write fails
     */
    default RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads one whole response: its head, then its body by {@code Content-Length}, chunked encoding
     * or up to the close. A {@code 101} ends at its head; an interim response ({@code 100 Continue})
     * is returned on its own, so read again for the final one.
     *
     * @return the response, body included
     * @throws InterruptedIOException if it is not complete within the timeout
     * @throws EOFException           if the server closes before the response is complete
     * @throws IOException            if the head or body is over the limits or is not HTTP/1.1
     */
    RawResponse readResponse() throws IOException;

    /**
     * Reads one response head and leaves the body unread, for a streamed response (server-sent
     * events) or a body the test reads itself.
     *
     * @return the response head, with an empty body
     * @throws IOException as {@link #readResponse()}
     */
    RawResponse readHead() throws IOException;

    /**
     * Reads exactly {@code n} bytes.
     *
     * @param n how many bytes
     * @return the bytes
     * @throws InterruptedIOException if they do not all arrive within the timeout
     * @throws EOFException           if the server closes first
     */
    byte[] readExactly(int n) throws IOException;

    /**
     * Reads exactly {@code n} bytes as ISO-8859-1 text.
     *
     * @param n how many bytes
     * @return the bytes as text, one character per byte
     * @throws IOException as {@link #readExactly(int)}
     */
    default String readText(int n) throws IOException {
        return new String(readExactly(n), StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads one line, through {@code \n}, and returns it as UTF-8 text without its {@code \r\n} or
     * {@code \n}.
     *
     * @return the line
     * @throws IOException as {@link #readExactly(int)}, or if the line is longer than {@link ReadLimits#maxHeadBytes()}
     */
    String readLine() throws IOException;

    /**
     * Waits for at least one byte, then returns every byte already received (kept ones first).
     *
     * @return at least one byte
     * @throws InterruptedIOException if no byte arrives within the timeout
     * @throws EOFException           if the server closes with no byte left to read
     */
    byte[] readAvailable() throws IOException;

    /**
     * Reads everything up to the server's close.
     *
     * @return every byte before the close
     * @throws InterruptedIOException if the server does not close within the timeout
     * @throws IOException            if more than {@link ReadLimits#maxBodyBytes()} arrive first
     */
    byte[] readUntilClosed() throws IOException;

    /**
     * Whether the server closes the connection within {@code time} with no byte before: false if it
     * stays open, or if a byte arrives first (that byte is kept for the next read).
     *
     * @param time how long to wait, at most
     * @return true if the server closed in time with nothing sent first
     * @throws IOException if reading fails otherwise
     */
    boolean closedWithin(Duration time) throws IOException;

    /**
     * Whether nothing arrives for {@code time}: no byte and no close. A byte that arrives is kept for
     * the next read.
     *
     * @param time how long nothing must arrive
     * @return true if nothing arrived
     * @throws IOException if reading fails otherwise
     */
    boolean quietFor(Duration time) throws IOException;

    /**
     * Half-closes: the server reads end of stream and can still answer.
     *
     * @throws IOException if the shutdown fails
     */
    void shutdownOutput() throws IOException;

    /**
     * What is still to read, as a stream for a decoder of the new protocol (a frame parser): bytes
     * kept from an earlier read come first. Each read waits at most {@link ReadLimits#timeout()} for
     * its first byte, then throws an {@link InterruptedIOException}; -1 once the server closed. Read
     * through this stream, never through a socket's own: those bytes may already be kept here.
     *
     * @return the connection's input, the same stream on every call
     */
    InputStream input();

    /**
     * A stream that writes to the server, each {@code write} as {@link #send(byte[])}.
     *
     * @return the connection's output, for an encoder of the new protocol (a frame writer)
     */
    OutputStream output();
}
