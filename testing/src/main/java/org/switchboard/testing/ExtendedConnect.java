package org.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
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
    private final Map<Integer, Integer> serverSettings;
    private final long waitNanos;

    private ExtendedConnect(HTTP2Client client, Session session, Stream stream, CompletableFuture<MetaData.Response> response,
                            CompletableFuture<Integer> reset, Reader reader, Map<Integer, Integer> serverSettings, long waitNanos) {
        this.client = client;
        this.session = session;
        this.stream = stream;
        this.response = response;
        this.reset = reset;
        this.reader = reader;
        this.serverSettings = serverSettings;
        this.waitNanos = waitNanos;
    }

    /**
     * {@code CONNECT :protocol protocol} on {@code path}, no extra headers, nothing sent with it.
     *
     * @param port     the server's cleartext port on 127.0.0.1 (HTTP/2 prior knowledge)
     * @param path     the request's {@code :path}
     * @param protocol the {@code :protocol} value, e.g. {@code websocket} or {@code relay/1}
     * @return the open stream
     * @throws Exception if the server's SETTINGS do not enable extended CONNECT, or a wait of {@value #WAIT_SECONDS} s runs out
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
     * @param port            the server's cleartext port on 127.0.0.1 (HTTP/2 prior knowledge)
     * @param path            the request's {@code :path}
     * @param protocol        the {@code :protocol} value
     * @param headers         further request fields
     * @param sentWithRequest bytes for a DATA frame right behind the HEADERS, or {@code null}
     * @param streamWindow the client's stream receive window in bytes, 0 for Jetty's default; a small
     *                     one makes the server's writes wait for this reader sooner
     * @return the open stream
     * @throws Exception if the server's SETTINGS do not enable extended CONNECT, or a wait of {@value #WAIT_SECONDS} s runs out
     */
    public static ExtendedConnect open(int port, String path, String protocol, HttpFields headers, byte[] sentWithRequest,
                                       int streamWindow) throws Exception {
        return open(null, port, path, protocol, headers, sentWithRequest, streamWindow);
    }

    /**
     * As {@link #open(int, String, String)}, over TLS with {@code h2} negotiated by ALPN, trusting {@code tls}'s trust store.
     *
     * @param tls      the client's TLS configuration (its trust store), started and stopped with the client
     * @param port     the server's TLS port on 127.0.0.1
     * @param path     the request's {@code :path}
     * @param protocol the {@code :protocol} value
     * @return the open stream
     * @throws Exception if the server's SETTINGS do not enable extended CONNECT, or a wait of {@value #WAIT_SECONDS} s runs out
     */
    public static ExtendedConnect openTls(SslContextFactory.Client tls, int port, String path, String protocol) throws Exception {
        return open(tls, port, path, protocol, HttpFields.EMPTY, null, 0);
    }

    /**
     * As {@link #openTls(SslContextFactory.Client, int, String, String)}, with {@code headers} on the CONNECT request.
     *
     * @param tls      the client's TLS configuration (its trust store), started and stopped with the client
     * @param port     the server's TLS port on 127.0.0.1
     * @param path     the request's {@code :path}
     * @param protocol the {@code :protocol} value
     * @param headers  further request headers ({@code Sec-WebSocket-Version: 13} for WebSocket)
     * @return the open stream
     * @throws Exception if the server's SETTINGS do not enable extended CONNECT, or a wait of {@value #WAIT_SECONDS} s runs out
     */
    public static ExtendedConnect openTls(SslContextFactory.Client tls, int port, String path, String protocol, HttpFields headers)
        throws Exception {
        return open(tls, port, path, protocol, headers, null, 0);
    }

    /**
     * Sends any {@code request} — an extended CONNECT, or a request a checker of other servers wants
     * to see refused — on a new prior-knowledge HTTP/2 connection to {@code address}, without
     * requiring the server's SETTINGS to enable extended CONNECT: {@link #serverSettings()} says
     * what they were. Every wait of the returned stream, here and later, lasts at most {@code wait}.
     *
     * @param address         where to connect (cleartext, HTTP/2 prior knowledge, RFC 9113 §3.3)
     * @param request         the request's metadata: a {@link MetaData.ConnectRequest} for
     *                        {@code :protocol}, any {@link MetaData.Request} otherwise; fields are sent
     *                        as HPACK encodes them (it drops known connection-specific ones, but not a
     *                        field built with a {@code null} {@code HttpHeader})
     * @param sentWithRequest if not {@code null}, sent in a DATA frame right behind the HEADERS
     * @param wait            the bound on each wait: connecting, the SETTINGS, the answer, a read
     * @return the open stream
     * @throws Exception if the connection, the SETTINGS or the stream is not had within {@code wait}
     */
    public static ExtendedConnect send(InetSocketAddress address, MetaData.Request request, byte[] sentWithRequest, Duration wait)
        throws Exception {
        return open(null, address, request, sentWithRequest, 0, wait.toNanos(), false);
    }

    private static ExtendedConnect open(SslContextFactory.Client tls, int port, String path, String protocol, HttpFields headers,
                                        byte[] sentWithRequest, int streamWindow) throws Exception {
        MetaData.ConnectRequest request = new MetaData.ConnectRequest(tls == null ? HttpScheme.HTTP : HttpScheme.HTTPS,
            new HostPortHttpField("127.0.0.1:" + port), path, headers, protocol);
        return open(tls, new InetSocketAddress("127.0.0.1", port), request, sentWithRequest, streamWindow,
            TimeUnit.SECONDS.toNanos(WAIT_SECONDS), true);
    }

    private static ExtendedConnect open(SslContextFactory.Client tls, InetSocketAddress address, MetaData.Request request,
                                        byte[] sentWithRequest, int streamWindow, long waitNanos, boolean requireConnectProtocol)
        throws Exception {
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
            Session session = (tls == null ? client.connect(address, listener) : client.connect(tls, address, listener))
                .get(waitNanos, TimeUnit.NANOSECONDS);
            Map<Integer, Integer> serverSettings = Map.copyOf(settings.get(waitNanos, TimeUnit.NANOSECONDS).getSettings());
            Integer enabled = serverSettings.get(SettingsFrame.ENABLE_CONNECT_PROTOCOL);
            if (requireConnectProtocol && (enabled == null || enabled != 1))
                throw new IllegalStateException("the server's SETTINGS do not enable extended CONNECT (RFC 8441 3)");

            CompletableFuture<MetaData.Response> response = new CompletableFuture<>();
            CompletableFuture<Integer> reset = new CompletableFuture<>();
            Reader reader = new Reader(response, reset, waitNanos);
            boolean endStream = !(request instanceof MetaData.ConnectRequest) && sentWithRequest == null;
            Stream stream = session.newStream(new HeadersFrame(request, null, endStream), reader).get(waitNanos, TimeUnit.NANOSECONDS);
            if (sentWithRequest != null)
                stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(sentWithRequest), false)).get(waitNanos, TimeUnit.NANOSECONDS);
            return new ExtendedConnect(client, session, stream, response, reset, reader, serverSettings, waitNanos);
        } catch (Exception | Error x) {
            client.stop();
            throw x;
        }
    }

    /**
     * The answer's status.
     *
     * @return the response's status code
     * @throws Exception if the wait of {@value #WAIT_SECONDS} s (or {@link #send(InetSocketAddress, MetaData.Request, byte[], Duration) send}'s) runs out, or the stream was reset before any answer
     */
    public int status() throws Exception {
        return response.get(waitNanos, TimeUnit.NANOSECONDS).getStatus();
    }

    /**
     * The answer's headers.
     *
     * @return the response's fields
     * @throws Exception if the wait of {@value #WAIT_SECONDS} s (or {@link #send(InetSocketAddress, MetaData.Request, byte[], Duration) send}'s) runs out, or the stream fails
     */
    public HttpFields headers() throws Exception {
        return response.get(waitNanos, TimeUnit.NANOSECONDS).getHttpFields();
    }

    /**
     * The server's first SETTINGS frame, as received before the request went out.
     *
     * @return setting identifier (RFC 9113 §6.5.2, e.g. {@link SettingsFrame#ENABLE_CONNECT_PROTOCOL}) to value
     */
    public Map<Integer, Integer> serverSettings() {
        return serverSettings;
    }

    /**
     * Whatever bytes of the stream have arrived and were not read yet, waiting for at least one.
     *
     * @return at least one byte; none when the server ended or reset the stream first
     * @throws Exception a {@link TimeoutException} if nothing arrives within the wait
     */
    public byte[] readAvailable() throws Exception {
        return reader.readAvailable();
    }

    /**
     * The body of a refusal: every byte until the server ends the stream. After a complete
     * response to a request it did not read, a server may reset the stream with {@code NO_ERROR}
     * (RFC 9113 §8.1); that ends the body too. Any other reset fails.
     *
     * @return the body as UTF-8
     * @throws Exception if the wait of {@value #WAIT_SECONDS} s (or {@link #send(InetSocketAddress, MetaData.Request, byte[], Duration) send}'s) runs out, or the stream is reset with an error
     */
    public String body() throws Exception {
        int code = reader.awaitEnd();
        if (code != ErrorCode.NO_ERROR.code && code != Reader.ENDED)
            throw new IllegalStateException("stream reset with error " + ErrorCode.toString(code, "?"));
        return new String(reader.drain(), StandardCharsets.UTF_8);
    }

    /**
     * Whether the stream was reset, and with which error code.
     *
     * @return the RST_STREAM's error code (RFC 9113 §7), {@code null} if not reset (yet)
     */
    public Integer resetCode() {
        return reset.getNow(null);
    }

    /**
     * Sends {@code bytes} in one DATA frame.
     *
     * @param bytes the frame's payload
     * @return completes once HTTP/2 flow control let it go out
     */
    public CompletableFuture<Stream> send(byte[] bytes) {
        return stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(bytes), false));
    }

    /**
     * Sends {@code text} as UTF-8 and waits until it is written.
     *
     * @param text the text
     * @throws Exception if the wait of {@value #WAIT_SECONDS} s (or {@link #send(InetSocketAddress, MetaData.Request, byte[], Duration) send}'s) runs out, or the stream fails
     */
    public void sendText(String text) throws Exception {
        send(text.getBytes(StandardCharsets.UTF_8)).get(waitNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Ends the client's side of the stream (END_STREAM): the protocol reads end of stream.
     *
     * @throws Exception if the wait of {@value #WAIT_SECONDS} s (or {@link #send(InetSocketAddress, MetaData.Request, byte[], Duration) send}'s) runs out, or the stream fails
     */
    public void endOutput() throws Exception {
        stream.data(new DataFrame(stream.getId(), ByteBuffer.allocate(0), true)).get(waitNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Resets the stream with {@code CANCEL}, as a client that gives up does.
     *
     * @throws Exception if the wait of {@value #WAIT_SECONDS} s (or {@link #send(InetSocketAddress, MetaData.Request, byte[], Duration) send}'s) runs out, or the stream fails
     */
    public void cancel() throws Exception {
        stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code)).get(waitNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Exactly {@code n} bytes of the stream, waiting for them.
     *
     * @param n how many bytes
     * @return the bytes
     * @throws Exception if the wait of {@value #WAIT_SECONDS} s (or {@link #send(InetSocketAddress, MetaData.Request, byte[], Duration) send}'s) runs out, or the stream ends before them
     */
    public byte[] read(int n) throws Exception {
        return reader.read(n);
    }

    /**
     * The stream's next bytes up to and without a {@code \n}, as UTF-8.
     *
     * @return the line
     * @throws Exception if the wait of {@value #WAIT_SECONDS} s (or {@link #send(InetSocketAddress, MetaData.Request, byte[], Duration) send}'s) runs out, or the stream ends before a line
     */
    public String readLine() throws Exception {
        return reader.readLine();
    }

    /**
     * Waits until the server ends the stream or resets it.
     *
     * @return true for an end, false for a reset
     * @throws Exception if the wait of {@value #WAIT_SECONDS} s (or {@link #send(InetSocketAddress, MetaData.Request, byte[], Duration) send}'s) runs out
     */
    public boolean awaitEnd() throws Exception {
        return reader.awaitEnd() == Reader.ENDED;
    }

    /**
     * Whether the server ends or resets the stream within {@code within} (or the stream's wait, if
     * shorter).
     *
     * @param within how long to watch the stream
     * @return true if it ended or was reset meanwhile, false if it stayed open that long
     * @throws Exception if the wait is interrupted
     */
    public boolean endsWithin(Duration within) throws Exception {
        return reader.endsWithin(Math.min(within.toNanos(), waitNanos));
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
     * @return the window, in bytes
     */
    public int receiveWindow() {
        return ((org.eclipse.jetty.http2.HTTP2Stream) stream).getRecvWindow();
    }

    /**
     * The stream itself, for what this class does not wrap.
     *
     * @return Jetty's HTTP/2 stream
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
        private final long waitNanos;
        private Integer end;

        Reader(CompletableFuture<MetaData.Response> response, CompletableFuture<Integer> reset, long waitNanos) {
            this.response = response;
            this.reset = reset;
            this.waitNanos = waitNanos;
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
            long deadline = System.nanoTime() + waitNanos;
            while (end == null)
                waitUntil(deadline, "the end of the stream");
            return end;
        }

        synchronized boolean endsWithin(long nanos) throws Exception {
            long deadline = System.nanoTime() + nanos;
            for (long left = nanos; end == null && left > 0; left = deadline - System.nanoTime())
                TimeUnit.NANOSECONDS.timedWait(this, left);
            return end != null;
        }

        synchronized byte[] readAvailable() throws Exception {
            long deadline = System.nanoTime() + waitNanos;
            while (received.size() == readFrom && end == null)
                waitUntil(deadline, "bytes");
            return drain();
        }

        synchronized byte[] drain() {
            byte[] all = received.toByteArray();
            byte[] rest = Arrays.copyOfRange(all, readFrom, all.length);
            received.reset();
            readFrom = 0;
            return rest;
        }

        synchronized byte[] read(int n) throws Exception {
            long deadline = System.nanoTime() + waitNanos;
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
            long deadline = System.nanoTime() + waitNanos;
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
                throw new TimeoutException("no " + what + " within " + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms");
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
