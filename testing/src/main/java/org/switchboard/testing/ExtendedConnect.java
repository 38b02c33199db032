package org.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * One RFC 8441 extended CONNECT, sent by Jetty's real {@link HTTP2Client} over a prior-knowledge
 * HTTP/2 connection to 127.0.0.1: {@code :method CONNECT}, {@code :protocol}, then the stream's DATA
 * both ways. Reading is explicit: the stream's DATA is demanded only while {@link #resume() reading},
 * so a test can be the slow reader whose HTTP/2 flow control stalls the server's writer. Every wait
 * has a generous upper bound and none is a speed assertion.
 */
public final class ExtendedConnect implements AutoCloseable {

    /** The longest any wait here lasts before the test fails: an upper bound, never an expectation. */
    public static final long WAIT_SECONDS = 20;

    private final HTTP2Client client;
    private final Session session;
    private final Stream stream;
    private final CompletableFuture<MetaData.Response> response;
    private final CompletableFuture<Integer> reset;
    private final Reader reader;

    private ExtendedConnect(HTTP2Client client, Session session, Stream stream, CompletableFuture<MetaData.Response> response,
                            CompletableFuture<Integer> reset, Reader reader) {
        this.client = client;
        this.session = session;
        this.stream = stream;
        this.response = response;
        this.reset = reset;
        this.reader = reader;
    }

    /**
     * {@code CONNECT :protocol protocol} on {@code path}, no extra headers, nothing sent with it.
     *
     * @param port     the server's cleartext HTTP/2 (h2c, prior knowledge) port on 127.0.0.1
     * @param path     the request's {@code :path}
     * @param protocol the {@code :protocol} token, such as {@code websocket}
     * @return the open stream, its answer pending
     * @throws Exception if the connection or the server's SETTINGS do not come within {@link #WAIT_SECONDS}
     *                   seconds, the SETTINGS do not enable extended CONNECT, or the stream cannot be opened
     */
    public static ExtendedConnect open(int port, String path, String protocol) throws Exception {
        return open(port, path, protocol, HttpFields.EMPTY, null, 0);
    }

    /**
     * Opens a connection, waits for the server's SETTINGS (which must enable extended CONNECT,
     * RFC 8441 §3), and sends the CONNECT with {@code headers}; {@code sentWithRequest}, if not
     * {@code null}, goes out in a DATA frame right behind the HEADERS, before any answer (the U10
     * analogue).
     *
     * @param port            the server's cleartext HTTP/2 (h2c, prior knowledge) port on 127.0.0.1
     * @param path            the request's {@code :path}
     * @param protocol        the {@code :protocol} token, such as {@code websocket}
     * @param headers         further request headers, {@link HttpFields#EMPTY} for none
     * @param sentWithRequest bytes sent in one DATA frame (without END_STREAM) right after the HEADERS,
     *                        or {@code null} to send nothing
     * @param streamWindow the client's stream receive window in bytes, 0 for Jetty's default; a small
     *                     one makes the server's writes wait for this reader sooner
     * @return the open stream, its answer pending
     * @throws Exception if the connection or the server's SETTINGS do not come within {@link #WAIT_SECONDS}
     *                   seconds, the SETTINGS do not enable extended CONNECT, or the stream cannot be opened
     *                   or {@code sentWithRequest} written
     */
    public static ExtendedConnect open(int port, String path, String protocol, HttpFields headers, byte[] sentWithRequest,
                                       int streamWindow) throws Exception {
        return open(null, port, path, protocol, headers, sentWithRequest, streamWindow);
    }

    /**
     * As {@link #open(int, String, String)}, over TLS with {@code h2} negotiated by ALPN, trusting {@code tls}'s trust store.
     *
     * @param tls      the client's TLS configuration (its trust), not started: the client starts and stops it
     * @param port     the server's TLS port on 127.0.0.1
     * @param path     the request's {@code :path}
     * @param protocol the {@code :protocol} token
     * @return the open stream, its answer pending
     * @throws Exception if the connection, its TLS handshake or its SETTINGS fail, or they do not enable extended CONNECT
     */
    public static ExtendedConnect openTls(SslContextFactory.Client tls, int port, String path, String protocol) throws Exception {
        return open(tls, port, path, protocol, HttpFields.EMPTY, null, 0);
    }

    /**
     * As {@link #openTls(SslContextFactory.Client, int, String, String)}, with {@code headers} on the CONNECT request.
     *
     * @param tls      the client's TLS configuration (its trust), not started: the client starts and stops it
     * @param port     the server's TLS port on 127.0.0.1
     * @param path     the request's {@code :path}
     * @param protocol the {@code :protocol} token
     * @param headers  further request headers ({@code Sec-WebSocket-Version: 13} for WebSocket)
     * @return the stream, its answer pending
     * @throws Exception if the connection, its TLS handshake or its SETTINGS fail, or they do not enable extended CONNECT
     */
    public static ExtendedConnect openTls(SslContextFactory.Client tls, int port, String path, String protocol, HttpFields headers)
        throws Exception {
        return open(tls, port, path, protocol, headers, null, 0);
    }

    private static ExtendedConnect open(SslContextFactory.Client tls, int port, String path, String protocol, HttpFields headers,
                                        byte[] sentWithRequest, int streamWindow) throws Exception {
        HTTP2Client client = new HTTP2Client();
        if (streamWindow > 0)
            client.setInitialStreamRecvWindow(streamWindow);
        if (tls != null)
            client.addBean(tls);  // started and stopped with the client
        client.start();
        try {
            CompletableFuture<SettingsFrame> settings = new CompletableFuture<>();
            Session.Listener listener = new Session.Listener() {
                @Override
                public void onSettings(Session session, SettingsFrame frame) {
                    settings.complete(frame);
                }
            };
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            Session session = (tls == null ? client.connect(address, listener) : client.connect(tls, address, listener))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
            Integer enabled = settings.get(WAIT_SECONDS, TimeUnit.SECONDS).getSettings().get(SettingsFrame.ENABLE_CONNECT_PROTOCOL);
            if (enabled == null || enabled != 1)
                throw new IllegalStateException("the server's SETTINGS do not enable extended CONNECT (RFC 8441 3)");

            CompletableFuture<MetaData.Response> response = new CompletableFuture<>();
            CompletableFuture<Integer> reset = new CompletableFuture<>();
            Reader reader = new Reader(response, reset);
            MetaData.ConnectRequest request = new MetaData.ConnectRequest(tls == null ? HttpScheme.HTTP : HttpScheme.HTTPS,
                new HostPortHttpField("127.0.0.1:" + port), path, headers, protocol);
            Stream stream = session.newStream(new HeadersFrame(request, null, false), reader).get(WAIT_SECONDS, TimeUnit.SECONDS);
            if (sentWithRequest != null)
                stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(sentWithRequest), false)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            return new ExtendedConnect(client, session, stream, response, reset, reader);
        } catch (Exception | Error x) {
            client.stop();
            throw x;
        }
    }

    /**
     * The answer's status; fails if the stream was reset before any answer.
     *
     * @return the {@code :status} of the server's response HEADERS, such as 200 for an accepted extended CONNECT
     * @throws Exception if no answer comes within {@link #WAIT_SECONDS} seconds, or the stream was reset or
     *                   failed before one
     */
    public int status() throws Exception {
        return response.get(WAIT_SECONDS, TimeUnit.SECONDS).getStatus();
    }

    /**
     * The answer's headers.
     *
     * @return the header fields of the server's response HEADERS, pseudo-headers excluded
     * @throws Exception if no answer comes within {@link #WAIT_SECONDS} seconds, or the stream was reset or
     *                   failed before one
     */
    public HttpFields headers() throws Exception {
        return response.get(WAIT_SECONDS, TimeUnit.SECONDS).getHttpFields();
    }

    /**
     * The body of a refusal: every byte until the server ends the stream. After a complete
     * response to a request it did not read, a server may reset the stream with {@code NO_ERROR}
     * (RFC 9113 §8.1); that ends the body too. Any other reset fails.
     *
     * @return the DATA received and not yet read, decoded as UTF-8; empty if there is none
     * @throws Exception if the stream does not end within {@link #WAIT_SECONDS} seconds, or it is reset or
     *                   fails with an error other than {@code NO_ERROR}
     */
    public String body() throws Exception {
        int code = reader.awaitEnd();
        if (code != ErrorCode.NO_ERROR.code && code != Reader.ENDED)
            throw new IllegalStateException("stream reset with error " + ErrorCode.toString(code, "?"));
        return new String(reader.drain(), StandardCharsets.UTF_8);
    }

    /**
     * Whether the stream was reset, and with which error code: {@code null} if not (yet).
     *
     * @return the HTTP/2 error code of the server's RST_STREAM, or {@code null} if none was received so far
     */
    public Integer resetCode() {
        return reset.getNow(null);
    }

    /**
     * Sends {@code bytes} in one DATA frame; completes once HTTP/2 flow control let it go out.
     *
     * @param bytes the frame's payload, sent without END_STREAM
     * @return a future that completes with the stream once the frame is written, or exceptionally if the write fails
     */
    public CompletableFuture<Stream> send(byte[] bytes) {
        return stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(bytes), false));
    }

    /**
     * Sends {@code text} as UTF-8 and waits until it is written.
     *
     * @param text the text, sent in one DATA frame without END_STREAM
     * @throws Exception if the frame is not written within {@link #WAIT_SECONDS} seconds, or the write fails
     */
    public void sendText(String text) throws Exception {
        send(text.getBytes(StandardCharsets.UTF_8)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Ends the client's side of the stream (END_STREAM): the protocol reads end of stream.
     *
     * @throws Exception if the empty END_STREAM DATA frame is not written within {@link #WAIT_SECONDS} seconds,
     *                   or the write fails
     */
    public void endOutput() throws Exception {
        stream.data(new DataFrame(stream.getId(), ByteBuffer.allocate(0), true)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Resets the stream with {@code CANCEL}, as a client that gives up does.
     *
     * @throws Exception if the RST_STREAM is not written within {@link #WAIT_SECONDS} seconds, or the write fails
     */
    public void cancel() throws Exception {
        stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Exactly {@code n} bytes of the stream, waiting for them.
     *
     * @param n how many bytes to read
     * @return the stream's next {@code n} bytes of DATA
     * @throws Exception a {@link TimeoutException} if they have not all arrived within {@link #WAIT_SECONDS}
     *                   seconds, an {@link IllegalStateException} if the stream ends or is reset before them
     */
    public byte[] read(int n) throws Exception {
        return reader.read(n);
    }

    /**
     * The stream's next bytes up to and without a {@code \n}, as UTF-8.
     *
     * @return the line, without its {@code \n} (a {@code \r} before it is kept); empty for an empty line
     * @throws Exception a {@link TimeoutException} if no {@code \n} arrives within {@link #WAIT_SECONDS}
     *                   seconds, an {@link IllegalStateException} if the stream ends or is reset before one
     */
    public String readLine() throws Exception {
        return reader.readLine();
    }

    /**
     * Waits until the server ends the stream or resets it; true for an end, false for a reset.
     *
     * @return {@code true} if the stream ended with END_STREAM, {@code false} if it was reset or failed
     * @throws Exception a {@link TimeoutException} if it neither ends nor is reset within {@link #WAIT_SECONDS} seconds
     */
    public boolean awaitEnd() throws Exception {
        return reader.awaitEnd() == Reader.ENDED;
    }

    /** Stops demanding DATA: frames stay in the stream, unread and unacknowledged, as a slow reader's. */
    public void pause() {
        reader.pause();
    }

    /** Demands DATA again. */
    public void resume() {
        reader.resume(stream);
    }

    /**
     * What is left of this stream's receive window, in bytes: what the server may still send before
     * HTTP/2 flow control stops it. Data received but not read while {@link #pause() paused} is not
     * given back, so a server writing to a paused reader brings it to 0 and waits there.
     *
     * @return the stream's remaining receive window, in bytes
     */
    public int receiveWindow() {
        return ((org.eclipse.jetty.http2.HTTP2Stream) stream).getRecvWindow();
    }

    /**
     * The extended CONNECT's Jetty HTTP/2 stream, for what this class does not do (its id, frames of one's own).
     *
     * @return the client's stream
     */
    public Stream stream() {
        return stream;
    }

    @Override
    public void close() throws Exception {
        session.close(ErrorCode.NO_ERROR.code, "done", Callback.NOOP);
        client.stop();
    }

    /** The stream's listener: the answer, then DATA into a buffer the test reads from. */
    private static final class Reader implements Stream.Listener {

        static final int ENDED = -1;

        private final CompletableFuture<MetaData.Response> response;
        private final CompletableFuture<Integer> reset;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private int readFrom;
        private boolean paused;
        private boolean demandOnResume;
        private Integer end;

        Reader(CompletableFuture<MetaData.Response> response, CompletableFuture<Integer> reset) {
            this.response = response;
            this.reset = reset;
        }

        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response answer)
                response.complete(answer);
            if (frame.isEndStream())
                ended(ENDED);
            else
                stream.demand();
        }

        @Override
        public void onDataAvailable(Stream stream) {
            synchronized (this) {
                if (paused) {
                    demandOnResume = true;
                    return;
                }
            }
            Stream.Data data = stream.readData();
            if (data == null) {
                stream.demand();
                return;
            }
            ByteBuffer bytes = data.frame().getByteBuffer();
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            boolean last = data.frame().isEndStream();
            data.release();
            synchronized (this) {
                received.write(copy, 0, copy.length);
                notifyAll();
            }
            if (last)
                ended(ENDED);
            else
                stream.demand();
        }

        @Override
        public void onReset(Stream stream, ResetFrame frame, Callback callback) {
            reset.complete(frame.getError());
            response.completeExceptionally(new IllegalStateException("stream reset before an answer: "
                + ErrorCode.toString(frame.getError(), "?")));
            ended(frame.getError());
            callback.succeeded();
        }

        @Override
        public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
            response.completeExceptionally(failure);
            ended(error);
            callback.succeeded();
        }

        private synchronized void ended(int code) {
            if (end == null)
                end = code;
            notifyAll();
        }

        synchronized void pause() {
            paused = true;
        }

        void resume(Stream stream) {
            boolean demand;
            synchronized (this) {
                paused = false;
                demand = demandOnResume;
                demandOnResume = false;
            }
            if (demand)
                onDataAvailable(stream);
        }

        synchronized int awaitEnd() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (end == null)
                waitUntil(deadline, "the end of the stream");
            return end;
        }

        synchronized byte[] drain() {
            byte[] all = received.toByteArray();
            byte[] rest = Arrays.copyOfRange(all, readFrom, all.length);
            readFrom = all.length;
            return rest;
        }

        synchronized byte[] read(int n) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (received.size() - readFrom < n) {
                if (end != null)
                    throw new IllegalStateException("stream ended after " + (received.size() - readFrom) + " of " + n + " bytes");
                waitUntil(deadline, n + " bytes");
            }
            byte[] all = received.toByteArray();
            byte[] bytes = Arrays.copyOfRange(all, readFrom, readFrom + n);
            readFrom += n;
            // Keep only what is still unread, so that reading megabytes in small pieces stays linear.
            received.reset();
            received.write(all, readFrom, all.length - readFrom);
            readFrom = 0;
            return bytes;
        }

        synchronized String readLine() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (true) {
                byte[] all = received.toByteArray();
                for (int i = readFrom; i < all.length; i++) {
                    if (all[i] == '\n') {
                        String line = new String(all, readFrom, i - readFrom, StandardCharsets.UTF_8);
                        readFrom = i + 1;
                        return line;
                    }
                }
                if (end != null)
                    throw new IllegalStateException("stream ended before a line: " + new String(all, readFrom, all.length - readFrom,
                        StandardCharsets.UTF_8));
                waitUntil(deadline, "a line");
            }
        }

        private void waitUntil(long deadline, String what) throws Exception {
            long left = deadline - System.nanoTime();
            if (left <= 0)
                throw new TimeoutException("no " + what + " within " + WAIT_SECONDS + " s");
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
