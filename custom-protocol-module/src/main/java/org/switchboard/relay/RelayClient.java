package org.switchboard.relay;

import static org.switchboard.relay.RelayFrames.HEADER_LENGTH;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay client: it opens a socket ({@code relay://}) or a TLS connection ({@code relays://}),
 * performs the HTTP/1.1 upgrade itself (PROTOCOL.md, "Handshake"), and speaks relay/1 or relay/2,
 * whichever the server's 101 names.
 *
 * <pre>{@code
 * try (RelayClient client = RelayClient.connect(URI.create("relay://127.0.0.1:8080/chat"), new RelayListener() {
 *         public void onText(RelaySession session, String text) { System.out.println(text); }
 *     })) {
 *     client.sendText("hello");
 * }
 * }</pre>
 *
 * <ul>
 *   <li>U2, SB4: it offers {@code relay/2, relay/1} (or the versions given, in that order) and
 *       checks that the 101 names one of them (U3, U4).</li>
 *   <li>U4, U10: bytes that follow the 101 in the same read are the first relay bytes, never lost.</li>
 *   <li>It answers PING with PONG and CLOSE with CLOSE, and in relay/2 acknowledges the messages its
 *       listener has handled.</li>
 * </ul>
 * Unlike the server it is blocking: {@link #sendText} writes before it returns, and one thread per
 * client reads and calls the {@link RelayListener}.
 */
public final class RelayClient implements RelaySession, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayClient.class);
    private static final int TIMEOUT_MS = 10_000;
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    private final Socket socket;
    private final OutputStream out;
    private final RelayListener listener;
    private final int version;
    private final int peerMaxMessageSize;
    private final FrameParser parser;
    private final Queue<CompletableFuture<Void>> pings = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicBoolean closeNotified = new AtomicBoolean();
    private final Object writeLock = new Object();
    /** relay/2: our message ids and the server's ACKs under writeLock, our ACKs on the reading thread. */
    private final AckWindow acks = new AckWindow();
    private ByteBuffer readBuffer;
    private Thread reader;

    // Guarded by writeLock.
    private boolean closeSent;

    private volatile boolean closeReceived;
    private volatile int closeCode;
    private volatile String closeReason = "";

    private RelayClient(Socket socket, RelayListener listener, int version, int maxMessageSize, int peerMaxMessageSize, ByteBuffer leftover)
        throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.listener = listener;
        this.version = version;
        this.peerMaxMessageSize = peerMaxMessageSize;
        this.parser = new FrameParser(version, maxMessageSize, new Sink());
        this.readBuffer = leftover;
    }

    /**
     * Connects to {@code uri} offering {@code relay/2, relay/1}: {@code relay://host[:port]/path}
     * (or {@code http://}) over cleartext TCP, {@code relays://host[:port]/path} (or {@code https://})
     * over TLS trusting what the JDK trusts (its {@code cacerts}) for that host name.
     *
     * @param uri      the server's relay endpoint, {@code relay://host[:port]/path[?query]} or one of
     *                 the other schemes above; port 80 (cleartext) or 443 (TLS) if none
     * @param listener told of the session's events, on this client's reading thread
     * @return the open session
     * @throws UpgradeFailedException   if the server answers anything but a valid 101 for relay
     * @throws IOException              if the connection or its TLS handshake fails
     * @throws IllegalArgumentException if the scheme is none of {@code relay}, {@code relays}, {@code http}, {@code https}
     */
    public static RelayClient connect(URI uri, RelayListener listener) throws IOException {
        return connect(uri, listener, 2, 1);
    }

    /**
     * Connects to {@code uri} offering {@code versions} in that order of preference.
     *
     * @param uri      the server's relay endpoint, as {@link #connect(URI, RelayListener)} takes it
     * @param listener told of the session's events, on this client's reading thread
     * @param versions 1 and/or 2, most preferred first
     * @return the open session
     * @throws UpgradeFailedException   if the server answers anything but a valid 101 for one of {@code versions}
     * @throws IOException              if the connection or its TLS handshake fails
     * @throws IllegalArgumentException if {@code versions} is empty or holds anything but 1 and 2, or the
     *                                  scheme is none of {@code relay}, {@code relays}, {@code http}, {@code https}
     */
    public static RelayClient connect(URI uri, RelayListener listener, int... versions) throws IOException {
        return connectWithMaxMessageSize(uri, listener, RelayProtocolHandler.DEFAULT_MAX_MESSAGE_SIZE, versions);
    }

    /**
     * Connects over TLS to a {@code relays://host[:port]/path} (or {@code https://}) {@code uri},
     * default port 443, offering {@code versions} in that order of preference (both when none are
     * given), with {@code tls} deciding which server certificates are trusted:
     * {@link CertificateFingerprint#trustOnly()} pins one certificate (a self-signed server's),
     * {@code new SslContextFactory.Client(true)} trusts any (tests only: anyone in the path can then
     * read and change the session), a configured {@code SslContextFactory.Client} anything else. The
     * client offers ALPN {@code http/1.1}, as the upgrade is an HTTP/1.1 exchange. {@code tls} is
     * started here if it is not yet, and left running for other connections.
     *
     * @param uri      {@code relays://host[:port]/path[?query]} or {@code https://…}
     * @param listener told of the session's messages and its close
     * @param tls      which server certificates are trusted, and the TLS protocols and ciphers allowed
     * @param versions the relay versions to offer (1, 2), most preferred first; none: 2 then 1
     * @return the open session, whose 101 named one of {@code versions}
     * @throws IllegalArgumentException if {@code uri} is not {@code relays://} or {@code https://}
     * @throws UpgradeFailedException   if the server answers anything but a valid 101 for one of {@code versions}
     * @throws IOException              if the connection fails, or the handshake does (an untrusted certificate:
     *                                  {@link javax.net.ssl.SSLHandshakeException})
     */
    public static RelayClient connect(URI uri, RelayListener listener, SslContextFactory.Client tls, int... versions) throws IOException {
        Objects.requireNonNull(tls, "tls");
        if (!isTls(uri))
            throw new IllegalArgumentException("TLS settings are for relays:// (or https://) URIs, not " + uri.getScheme() + "://");
        return open(uri, listener, tls, RelayProtocolHandler.DEFAULT_MAX_MESSAGE_SIZE, versions.length == 0 ? new int[] {2, 1} : versions);
    }

    /**
     * Connects to {@code uri} offering {@code versions} in that order of preference and announcing
     * {@code maxMessageSize} in {@code Relay-Max-Message-Size}: the largest message, in bytes, this
     * client accepts; a bigger one from the server closes the session with {@link CloseCode#TOO_BIG}.
     *
     * @param uri            the server's relay endpoint, {@code http://host[:port]/path[?query]}; port 80 if none
     * @param listener       told of the session's events, on this client's reading thread
     * @param maxMessageSize the largest message this client accepts, in bytes
     * @param versions       1 and/or 2, most preferred first
     * @return the open session
     * @throws IllegalArgumentException if {@code maxMessageSize} is under {@link RelayConfig#MIN_MESSAGE_SIZE},
     *                                  or {@code versions} is empty or holds anything but 1 and 2
     * @throws UpgradeFailedException   if the server answers anything but a valid 101 for one of {@code versions}
     * @throws IOException              if the connection fails
     */
    public static RelayClient connectWithMaxMessageSize(URI uri, RelayListener listener, int maxMessageSize, int... versions)
        throws IOException {
        return open(uri, listener, isTls(uri) ? new SslContextFactory.Client() : null, maxMessageSize, versions);
    }

    private static RelayClient open(URI uri, RelayListener listener, SslContextFactory.Client tls, int maxMessageSize, int... versions)
        throws IOException {
        Objects.requireNonNull(listener, "listener");
        if (maxMessageSize < RelayConfig.MIN_MESSAGE_SIZE)
            throw new IllegalArgumentException("maxMessageSize must be at least " + RelayConfig.MIN_MESSAGE_SIZE + ": " + maxMessageSize);
        if (versions.length == 0 || Arrays.stream(versions).anyMatch(v -> v != 1 && v != 2))
            throw new IllegalArgumentException("versions must be 1 and/or 2: " + Arrays.toString(versions));
        String host = uri.getHost();
        if (host == null)
            throw new IllegalArgumentException("no host in " + uri);
        int port = uri.getPort() >= 0 ? uri.getPort() : tls != null ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null)
            path += "?" + uri.getRawQuery();
        String upgrade = Arrays.stream(versions).mapToObj(v -> RelayProtocolHandler.PROTOCOL + "/" + v).collect(Collectors.joining(", "));

        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MS);
            if (tls != null)
                socket = handshake(socket, host, port, tls);
            String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Connection: Upgrade\r\n"
                + "Upgrade: " + upgrade + "\r\n"
                + RelayProtocolHandler.MAX_MESSAGE_SIZE_HEADER + ": " + maxMessageSize + "\r\n"
                + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();

            ByteBuffer received = ByteBuffer.allocate(MAX_HEAD_BYTES);
            int headEnd = readHead(socket.getInputStream(), received);
            String head = new String(received.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
            int version = checkSwitch(head, versions);
            int peerMax = maxMessageSize(header(head, RelayProtocolHandler.MAX_MESSAGE_SIZE_HEADER));
            // Whatever followed the blank line is already relay (U4, U10).
            ByteBuffer leftover = ByteBuffer.allocate(Math.max(4096, received.position() - headEnd));
            leftover.put(received.array(), headEnd, received.position() - headEnd).flip();
            socket.setSoTimeout(0);

            RelayClient client = new RelayClient(socket, listener, version, maxMessageSize, peerMax, leftover);
            client.start();
            return client;
        } catch (IOException | RuntimeException x) {
            socket.close();
            throw x;
        }
    }

    private static boolean isTls(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "relays", "https" -> true;
            case "relay", "http" -> false;
            default -> throw new IllegalArgumentException("a relay URI is relay://, relays://, http:// or https://, not " + uri);
        };
    }

    /** TLS over the connected {@code plain} socket, handshake done; closing the result closes {@code plain}. */
    private static Socket handshake(Socket plain, String host, int port, SslContextFactory.Client tls) throws IOException {
        try {
            if (!tls.isStarted())
                tls.start();
        } catch (Exception x) {
            throw new IOException("cannot set TLS up: " + x.getMessage(), x);
        }
        SSLSocket socket = (SSLSocket) tls.getSslContext().getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = tls.customize(socket.getSSLParameters());
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private void start() {
        try {
            listener.onOpen(this);
        } catch (Throwable x) {
            LOG.warn("relay listener onOpen failed", x);
            close(CloseCode.INTERNAL_ERROR, "internal error");
        }
        reader = new Thread(this::read, "relay-client-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    /** Reads through the blank line that ends the response head; returns the head's length. */
    private static int readHead(InputStream in, ByteBuffer received) throws IOException {
        while (true) {
            byte[] array = received.array();
            for (int i = 3; i < received.position(); i++) {
                if (array[i - 3] == '\r' && array[i - 2] == '\n' && array[i - 1] == '\r' && array[i] == '\n')
                    return i + 1;
            }
            if (!received.hasRemaining())
                throw new UpgradeFailedException(0, "response head over " + MAX_HEAD_BYTES + " bytes");
            int n = in.read(array, received.position(), received.remaining());
            if (n < 0)
                throw new UpgradeFailedException(0, "connection closed before the response head ended");
            received.position(received.position() + n);
        }
    }

    /** Checks the 101 (U3, U4) and returns the version it switched to. */
    private static int checkSwitch(String head, int[] offered) throws UpgradeFailedException {
        String statusLine = head.substring(0, head.indexOf("\r\n"));
        String[] parts = statusLine.split(" ", 3);
        int status;
        try {
            status = parts.length >= 2 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException x) {
            status = 0;
        }
        if (status != 101)
            throw new UpgradeFailedException(status, "server answered " + statusLine);
        String connection = header(head, "Connection");
        if (connection == null || Arrays.stream(connection.split(",")).noneMatch(t -> t.trim().equalsIgnoreCase("upgrade")))
            throw new UpgradeFailedException(status, "101 without Connection: Upgrade");
        String upgrade = header(head, "Upgrade");
        if (upgrade != null) {
            String[] protocol = upgrade.trim().split("/", 2);
            if (protocol.length == 2 && protocol[0].equalsIgnoreCase(RelayProtocolHandler.PROTOCOL)) {
                for (int version : offered) {
                    if (protocol[1].equals(Integer.toString(version)))
                        return version;
                }
            }
        }
        throw new UpgradeFailedException(status, "101 switched to a protocol that was not offered: " + upgrade);
    }

    private static String header(String head, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        return head.lines()
            .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
            .map(line -> line.substring(prefix.length()).trim())
            .findFirst().orElse(null);
    }

    private static int maxMessageSize(String header) throws UpgradeFailedException {
        try {
            return RelayProtocolHandler.maxMessageSize(header);
        } catch (IllegalArgumentException x) {
            throw new UpgradeFailedException(101, x.getMessage());
        }
    }

    // The reading thread.

    private void read() {
        InputStream in;
        try {
            in = socket.getInputStream();
            int frameNeeds = HEADER_LENGTH;
            while (true) {
                frameNeeds = parser.parse(readBuffer);
                acknowledge();
                if (parser.closeReceived())
                    break;
                readSpace(frameNeeds);
                int n = in.read(readBuffer.array(), readBuffer.limit(), readBuffer.capacity() - readBuffer.limit());
                if (n < 0) {
                    if (readBuffer.hasRemaining())
                        throw new RelayProtocolException(CloseCode.PROTOCOL_ERROR, "truncated frame");
                    break;
                }
                readBuffer.limit(readBuffer.limit() + n);
            }
            // After the CLOSE exchange the server ends the connection; wait for it, within bounds.
            if (parser.closeReceived()) {
                socket.setSoTimeout(TIMEOUT_MS);
                while (in.read(readBuffer.array(), 0, readBuffer.capacity()) >= 0) {
                    // nothing may follow CLOSE; drop it
                }
            }
        } catch (RelayProtocolException x) {
            LOG.debug("relay protocol error from server: {} {}", x.code(), x.getMessage());
            sendClose(x.code(), x.getMessage());
            recordClose(x.code(), x.getMessage());
        } catch (IOException x) {
            LOG.debug("relay client connection ended", x);
        } finally {
            closeSocket();
            notifyClosed();
        }
    }

    private void readSpace(int frameNeeds) {
        if (!readBuffer.hasRemaining())
            readBuffer.clear().limit(0);
        if (frameNeeds > readBuffer.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(frameNeeds);
            bigger.put(readBuffer).flip();
            readBuffer = bigger;
        } else if (readBuffer.position() + frameNeeds > readBuffer.capacity() || readBuffer.limit() == readBuffer.capacity()) {
            readBuffer.compact().flip();
        }
    }

    private void acknowledge() throws IOException {
        int id = parser.lastMessageId();
        if (version == 2 && !closeReceived) {
            synchronized (writeLock) {
                if (!closeSent && acks.acknowledge(id)) {
                    RetainableByteBuffer.Mutable frame = frame(RelayFrames.ACK_FRAME_LENGTH);
                    RelayFrames.putAck(frame, id);
                    write(frame);
                }
            }
        }
    }

    private final class Sink implements FrameParser.Sink {
        @Override
        public void onText(String text) {
            if (!closeSent())
                deliver(() -> listener.onText(RelayClient.this, text));
        }

        @Override
        public void onBinary(ByteBuffer data) {
            if (!closeSent())
                deliver(() -> listener.onBinary(RelayClient.this, data.asReadOnlyBuffer()));
        }

        @Override
        public void onPing(ByteBuffer payload) {
            RetainableByteBuffer.Mutable frame = frame(HEADER_LENGTH + payload.remaining());
            RelayFrames.putControl(frame, RelayFrames.PONG, payload);
            synchronized (writeLock) {
                if (!closeSent)
                    writeQuietly(frame);
            }
        }

        @Override
        public void onPong(ByteBuffer payload) {
            CompletableFuture<Void> ping = pings.poll();
            if (ping != null)
                ping.complete(null);
        }

        @Override
        public void onAck(int id) throws RelayProtocolException {
            long acknowledged;
            synchronized (writeLock) {
                acknowledged = acks.onAck(id);
            }
            if (acknowledged < 0)
                return;
            deliver(() -> listener.onAcknowledged(RelayClient.this, acknowledged));
        }

        @Override
        public void onClose(int code, String reason) {
            closeReceived = true;
            recordClose(code, reason);
            // Echo the code unless ours is already out: the server then ends the connection.
            sendClose(code, "");
            notifyClosed();
        }

        private void deliver(Runnable callback) {
            try {
                callback.run();
            } catch (Throwable x) {
                LOG.warn("relay listener failed", x);
                close(CloseCode.INTERNAL_ERROR, "internal error");
            }
        }
    }

    // RelaySession: any thread.

    @Override
    public int version() {
        return version;
    }

    /** The largest message, in bytes, the server announced in its 101's {@code Relay-Max-Message-Size}. */
    @Override
    public int peerMaxMessageSize() {
        return peerMaxMessageSize;
    }

    /**
     * The protocol in effect, as the 101 named it: {@code relay/1} or {@code relay/2}.
     *
     * @return the 101's {@code Upgrade} value
     */
    public String protocol() {
        return RelayProtocolHandler.PROTOCOL + "/" + version;
    }

    /** Sends a TEXT message; blocks while the socket's send buffer is full. */
    @Override
    public boolean sendText(String text) {
        return send(RelayFrames.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends a BINARY message; blocks while the socket's send buffer is full. */
    @Override
    public boolean sendBinary(ByteBuffer data) {
        return send(RelayFrames.BINARY, data);
    }

    private boolean send(byte type, ByteBuffer data) {
        RetainableByteBuffer.Mutable frame = frame(RelayFrames.messageFrameLength(version, data, peerMaxMessageSize));
        synchronized (writeLock) {
            if (closeSent || closeReceived)
                return false;
            RelayFrames.putMessage(frame, type, version, acks.nextId(), data);
            return writeQuietly(frame);
        }
    }

    /**
     * Sends a PING.
     *
     * @return completes when the matching PONG arrives (PONGs answer PINGs in order)
     */
    public CompletableFuture<Void> ping() {
        CompletableFuture<Void> pong = new CompletableFuture<>();
        RetainableByteBuffer.Mutable frame = frame(HEADER_LENGTH + Long.BYTES);
        RelayFrames.putControl(frame, RelayFrames.PING, ByteBuffer.allocate(Long.BYTES).putLong(0, System.nanoTime()));
        synchronized (writeLock) {
            pings.add(pong);
            if (closeSent || !writeQuietly(frame))
                pong.completeExceptionally(new IOException("relay session closed"));
        }
        return pong;
    }

    @Override
    public void close(int code, String reason) {
        if (!CloseCode.isValid(code))
            throw new IllegalArgumentException("not a close code that may be sent: " + code);
        recordClose(code, reason);
        sendClose(code, reason);
    }

    /** Closes with {@link CloseCode#NORMAL} and waits (up to 10 s) for the server to end the connection. */
    @Override
    public void close() {
        close(CloseCode.NORMAL, "");
        try {
            closed.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception x) {
            LOG.debug("relay server did not end the connection in time", x);
        } finally {
            closeSocket();
        }
    }

    /**
     * Completes with the close code once the session is over (as {@link RelayListener#onClose}
     * reports it).
     *
     * @return a future of the close code; it never completes exceptionally
     */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public boolean isOpen() {
        synchronized (writeLock) {
            return !closeSent && !closeReceived && !socket.isClosed();
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        return socket.getRemoteSocketAddress();
    }

    private boolean closeSent() {
        synchronized (writeLock) {
            return closeSent;
        }
    }

    private void sendClose(int code, String reason) {
        byte[] bytes = RelayFrames.closeReason(reason);
        RetainableByteBuffer.Mutable frame = frame(RelayFrames.closeFrameLength(bytes));
        RelayFrames.putClose(frame, code, bytes);
        synchronized (writeLock) {
            if (closeSent)
                return;
            closeSent = true;
            writeQuietly(frame);
        }
    }

    private void recordClose(int code, String reason) {
        synchronized (writeLock) {
            if (closeCode == 0) {
                closeCode = code;
                closeReason = reason == null ? "" : reason;
            }
        }
    }

    private void notifyClosed() {
        int code;
        synchronized (writeLock) {
            code = closeCode == 0 ? CloseCode.ABNORMAL : closeCode;
        }
        if (!closeNotified.compareAndSet(false, true))
            return;
        pings.forEach(p -> p.completeExceptionally(new IOException("relay session closed")));
        try {
            listener.onClose(this, code, code == CloseCode.ABNORMAL ? "connection lost" : closeReason);
        } catch (Throwable x) {
            LOG.warn("relay listener onClose failed", x);
        } finally {
            // Completed after onClose, so whoever waits on closed() sees what onClose did.
            closed.complete(code);
        }
    }

    /** An empty heap buffer for one frame of {@code length} bytes, for {@link RelayFrames} to encode into. */
    private static RetainableByteBuffer.Mutable frame(int length) {
        return RetainableByteBuffer.wrap(BufferUtil.allocate(length));
    }

    /** Holds writeLock. */
    private void write(RetainableByteBuffer frame) throws IOException {
        ByteBuffer bytes = frame.getByteBuffer();
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        out.flush();
    }

    /** Holds writeLock; a failed write ends the connection, which the reader then reports. */
    private boolean writeQuietly(RetainableByteBuffer frame) {
        try {
            write(frame);
            return true;
        } catch (IOException x) {
            LOG.debug("relay client write failed", x);
            closeSocket();
            return false;
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException x) {
            LOG.debug("closing the relay client socket", x);
        }
    }

    /** The server did not switch to relay: its status (0 if it sent no HTTP response) and why. */
    public static final class UpgradeFailedException extends IOException {

        /** The HTTP status the server answered, or 0 if it sent no complete response head. */
        private final int status;

        UpgradeFailedException(int status, String message) {
            super(message);
            this.status = status;
        }

        /**
         * The HTTP status the server answered, or 0 if it sent no complete response head.
         *
         * @return the status, e.g. 426, or 0
         */
        public int status() {
            return status;
        }
    }
}
