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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
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
 *
 * <p><b>Resume</b> (PROTOCOL.md, "Resume (relay/2, optional extension)"; opt-in with
 * {@link Builder#resume}): when the server gives the relay/2 session a token, the client keeps
 * every message the server has not yet acknowledged, in a bounded buffer ({@link Reconnect#maxUnacknowledgedBytes()};
 * a send over it throws {@link IllegalStateException}). When the connection is lost without a CLOSE,
 * or the server says CLOSE 1001 (going away), it connects again to the same URI (behind a load
 * balancer: maybe another instance) with backoff, up to {@link Reconnect#maxAttempts()} times,
 * presenting the token and how many of the server's messages its listener has handled. Resumed:
 * it resends only what the server does not have, the server replays what the listener has not
 * seen, and the session goes on — the listener sees every server message once, in order, and
 * each message sent is acknowledged once. Not resumed: a fresh session, the unacknowledged
 * messages sent again in it (at-least-once). Either way the listener hears
 * {@link RelayListener#onResumed} first; sends meanwhile are buffered and go out after the
 * reconnection. Only when every attempt failed does the session end ({@link RelayListener#onClose}
 * with {@link CloseCode#ABNORMAL}).
 */
public final class RelayClient implements RelaySession, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayClient.class);
    private static final int TIMEOUT_MS = 10_000;
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    private final Target target;
    private final RelayListener listener;
    private final int version;
    /** How to reconnect; null if this client does not resume. */
    private final Reconnect reconnect;
    private final Queue<CompletableFuture<Void>> pings = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicBoolean closeNotified = new AtomicBoolean();
    private final Sink sink = new Sink();
    /** Guards writing and everything below that a sender touches; waited on between reconnection attempts. */
    private final Object writeLock = new Object();

    // The current connection: replaced by a reconnection, on the reading thread, under writeLock.
    private volatile Socket socket;
    private OutputStream out;
    private volatile int peerMaxMessageSize;
    /** The reading thread's. */
    private FrameParser parser;
    /** The reading thread's. */
    private ByteBuffer readBuffer;
    /** relay/2: our message ids and the server's ACKs under writeLock, our ACKs on the reading thread. */
    private AckWindow acks;
    private Thread reader;
    /** Guarded by writeLock: frames may be written to the current connection (false while reconnecting). */
    private boolean connected = true;
    /** Guarded by writeLock: our CLOSE is out on the current connection. */
    private boolean closeSent;
    /** The server's CLOSE arrived on the current connection. */
    private volatile boolean closeReceived;

    // The session, across connections.
    private volatile String token;
    private volatile boolean resumed;
    private volatile long peerReceivedAtResume;
    /** The server's messages the listener has handled; written by the reading thread. */
    private volatile long received;
    /** Guarded by writeLock: our messages, sent or waiting for a connection. */
    private long sent;
    /** Guarded by writeLock: our messages the server acknowledged. */
    private long peerAcknowledged;
    /** Guarded by writeLock: resume only, our messages not yet acknowledged, oldest first. */
    private final Deque<Unacknowledged> unacknowledged = new ArrayDeque<>();
    /** Guarded by writeLock: their frames' bytes, bounded by {@link Reconnect#maxUnacknowledgedBytes()}. */
    private long unacknowledgedBytes;
    /** Guarded by writeLock: the session is ending (the application closed it, or it failed): no reconnection. */
    private boolean ending;

    private volatile int closeCode;
    private volatile String closeReason = "";

    private RelayClient(Target target, RelayListener listener, Reconnect reconnect, Handshake handshake) {
        this.target = target;
        this.listener = listener;
        this.version = handshake.version();
        this.reconnect = reconnect;
        use(handshake, 0, 0);
        this.token = handshake.token();
    }

    /** A message of ours the server has not acknowledged: resent after a reconnection. */
    private record Unacknowledged(long count, byte type, byte[] data) {
        int frameLength() {
            return RelayFrames.messageFrameLength(2, data.length);
        }
    }

    /** Where and how every connection of this client is opened. */
    private record Target(String host, int port, String path, SslContextFactory.Client tls, int maxMessageSize) {
    }

    /** A connection that switched to relay: its socket, the 101's terms, and the bytes that followed the 101. */
    private record Handshake(Socket socket, int version, int peerMaxMessageSize, ByteBuffer leftover, String token,
                             ResumeFields.Answer answer) {
    }

    /**
     * How a resuming client reconnects (PROTOCOL.md, "Resume"): {@link #DEFAULT} or a record of its own.
     * Attempt {@code k} waits a random time between half of and all of
     * {@code min(maxDelay, firstDelay × 2^(k-1))} before connecting, so that the clients of a server
     * that went away do not all come back at once; connecting and the upgrade each take at most 10 s.
     *
     * @param maxAttempts            connections tried after a loss before the session ends, at least 1
     * @param firstDelay             the wait before the first attempt, at its longest; 0 or more
     * @param maxDelay               the longest wait between attempts, at least {@code firstDelay}
     * @param maxUnacknowledgedBytes how many bytes of frames sent and not yet acknowledged are kept to
     *                               be resent, at least one frame of 64 KiB; a send that would go over
     *                               it throws {@link IllegalStateException}
     */
    public record Reconnect(int maxAttempts, Duration firstDelay, Duration maxDelay, int maxUnacknowledgedBytes) {

        /** 10 attempts, 100 ms then doubling up to 5 s (at most about 25 s in all), 4 MiB unacknowledged. */
        public static final Reconnect DEFAULT = new Reconnect(10, Duration.ofMillis(100), Duration.ofSeconds(5), 4 * 1024 * 1024);

        /**
         * Checks the values.
         *
         * @param maxAttempts            at least 1
         * @param firstDelay             0 or more
         * @param maxDelay               at least {@code firstDelay}
         * @param maxUnacknowledgedBytes at least one relay/2 frame of 64 KiB
         * @throws NullPointerException     if a duration is null
         * @throws IllegalArgumentException if a value is out of range
         */
        public Reconnect {
            Objects.requireNonNull(firstDelay, "firstDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
            if (maxAttempts < 1)
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0)
                throw new IllegalArgumentException("delays must be 0 <= firstDelay <= maxDelay: " + firstDelay + ", " + maxDelay);
            if (maxUnacknowledgedBytes < RelayFrames.messageFrameLength(2, RelayProtocolHandler.DEFAULT_MAX_MESSAGE_SIZE))
                throw new IllegalArgumentException("maxUnacknowledgedBytes must hold one frame of 64 KiB: " + maxUnacknowledgedBytes);
        }

        /** The wait before attempt {@code attempt} (from 1), jittered. */
        long delayNanos(int attempt) {
            long longest = firstDelay.toNanos() << Math.min(attempt - 1, 30);
            if (longest < 0 || longest > maxDelay.toNanos())
                longest = maxDelay.toNanos();
            return longest / 2 + ThreadLocalRandom.current().nextLong(longest / 2 + 1);
        }
    }

    /**
     * Starts building a client for {@code uri}: {@code relay://host[:port]/path[?query]} (or
     * {@code http://}) over cleartext TCP, {@code relays://…} (or {@code https://}) over TLS.
     *
     * @param uri the server's relay endpoint; port 80 (cleartext) or 443 (TLS) if none
     * @return a builder offering {@code relay/2, relay/1}, 64 KiB messages, the JDK's trust, no resume
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** Options of a {@link RelayClient} before it connects; {@link #connect} opens it. Not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private int[] versions = {2, 1};
        private int maxMessageSize = RelayProtocolHandler.DEFAULT_MAX_MESSAGE_SIZE;
        private SslContextFactory.Client tls;
        private Reconnect reconnect;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * The versions to offer, most preferred first (U2, SB4).
         *
         * @param versions 1 and/or 2; by default 2 then 1
         * @return this builder
         * @throws IllegalArgumentException if {@code versions} is empty or holds anything but 1 and 2
         */
        public Builder versions(int... versions) {
            if (versions.length == 0 || Arrays.stream(versions).anyMatch(v -> v != 1 && v != 2))
                throw new IllegalArgumentException("versions must be 1 and/or 2: " + Arrays.toString(versions));
            this.versions = versions.clone();
            return this;
        }

        /**
         * The largest message this client accepts, announced in {@code Relay-Max-Message-Size}; a
         * bigger one from the server closes the session with {@link CloseCode#TOO_BIG}.
         *
         * @param maxMessageSize in bytes, at least {@link RelayConfig#MIN_MESSAGE_SIZE}; 65,536 by default
         * @return this builder
         * @throws IllegalArgumentException if {@code maxMessageSize} is under {@link RelayConfig#MIN_MESSAGE_SIZE}
         */
        public Builder maxMessageSize(int maxMessageSize) {
            if (maxMessageSize < RelayConfig.MIN_MESSAGE_SIZE)
                throw new IllegalArgumentException("maxMessageSize must be at least " + RelayConfig.MIN_MESSAGE_SIZE + ": " + maxMessageSize);
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /**
         * Which server certificates a {@code relays://} connection trusts (see
         * {@link RelayClient#connect(URI, RelayListener, SslContextFactory.Client, int...)}); started
         * here if it is not yet. By default what the JDK trusts, for the URI's host name.
         *
         * @param tls the TLS client configuration
         * @return this builder
         */
        public Builder tls(SslContextFactory.Client tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Reconnects and resumes relay/2 sessions by itself (PROTOCOL.md, "Resume"; the class
         * comment says how). Off by default. It takes effect when the server gives the session a
         * token ({@code Relay-Session}); a relay/1 session, or one from a server without resume,
         * ends at the first loss as without this option.
         *
         * @param reconnect attempts, delays and the bound of unacknowledged messages, e.g. {@link Reconnect#DEFAULT}
         * @return this builder
         */
        public Builder resume(Reconnect reconnect) {
            this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
            return this;
        }

        /**
         * Connects and upgrades.
         *
         * @param listener told of the session's events, on this client's reading thread
         * @return the open session
         * @throws UpgradeFailedException   if the server answers anything but a valid 101 for one of the versions offered
         * @throws IOException              if the connection or its TLS handshake fails (an untrusted
         *                                  certificate: {@link javax.net.ssl.SSLHandshakeException})
         * @throws IllegalArgumentException if the URI's scheme is none of {@code relay}, {@code relays}, {@code http},
         *                                  {@code https}, it has no host, or TLS settings were given for a cleartext URI
         */
        public RelayClient connect(RelayListener listener) throws IOException {
            Objects.requireNonNull(listener, "listener");
            boolean secure = isTls(uri);
            if (tls != null && !secure)
                throw new IllegalArgumentException("TLS settings are for relays:// (or https://) URIs, not " + uri.getScheme() + "://");
            String host = uri.getHost();
            if (host == null)
                throw new IllegalArgumentException("no host in " + uri);
            int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null)
                path += "?" + uri.getRawQuery();
            Target target = new Target(host, port, path, secure ? tls == null ? new SslContextFactory.Client() : tls : null, maxMessageSize);
            RelayClient client = new RelayClient(target, listener, reconnect, handshake(target, versions, null));
            client.start();
            return client;
        }
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
        return builder(uri).connect(listener);
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
        return builder(uri).versions(versions).connect(listener);
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
        Builder builder = builder(uri).tls(tls);
        if (versions.length > 0)
            builder.versions(versions);
        return builder.connect(listener);
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
        return builder(uri).versions(versions).maxMessageSize(maxMessageSize).connect(listener);
    }

    /**
     * Opens a connection and upgrades it, presenting {@code resume} if not null.
     *
     * @throws UpgradeFailedException if the answer is not a valid 101 for one of {@code versions}
     * @throws IOException            if the connection fails
     */
    private static Handshake handshake(Target target, int[] versions, ResumeFields.Request resume) throws IOException {
        String upgrade = Arrays.stream(versions).mapToObj(v -> RelayProtocolHandler.PROTOCOL + "/" + v).collect(Collectors.joining(", "));
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(target.host(), target.port()), TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MS);
            if (target.tls() != null)
                socket = handshake(socket, target.host(), target.port(), target.tls());
            String request = "GET " + target.path() + " HTTP/1.1\r\n"
                + "Host: " + target.host() + ":" + target.port() + "\r\n"
                + "Connection: Upgrade\r\n"
                + "Upgrade: " + upgrade + "\r\n"
                + RelayProtocolHandler.MAX_MESSAGE_SIZE_HEADER + ": " + target.maxMessageSize() + "\r\n"
                + (resume == null ? "" : ResumeFields.RESUME + ": " + resume + "\r\n")
                + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();

            ByteBuffer received = ByteBuffer.allocate(MAX_HEAD_BYTES);
            int headEnd = readHead(socket.getInputStream(), received);
            String head = new String(received.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
            int version = checkSwitch(head, versions);
            int peerMax = maxMessageSize(header(head, RelayProtocolHandler.MAX_MESSAGE_SIZE_HEADER));
            // Resume is relay/2's: a token on a relay/1 101 means nothing.
            String token = version == 2 ? header(head, ResumeFields.SESSION) : null;
            if (token != null && !ResumeFields.isToken(token))
                throw new UpgradeFailedException(101, "101 with a malformed " + ResumeFields.SESSION);
            ResumeFields.Answer answer = null;
            String resumed = header(head, ResumeFields.RESUMED);
            if (resume != null && resumed != null) {
                try {
                    answer = ResumeFields.parseAnswer(resumed);
                } catch (IllegalArgumentException x) {
                    throw new UpgradeFailedException(101, x.getMessage());
                }
            }
            // Whatever followed the blank line is already relay (U4, U10).
            ByteBuffer leftover = ByteBuffer.allocate(Math.max(4096, received.position() - headEnd));
            leftover.put(received.array(), headEnd, received.position() - headEnd).flip();
            socket.setSoTimeout(0);
            return new Handshake(socket, version, peerMax, leftover, token, answer);
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


    /** Takes {@code handshake}'s connection as the current one, our ids going on from {@code sent}, the server's from {@code received}. */
    private void use(Handshake handshake, long sent, long received) {
        socket = handshake.socket();
        try {
            out = handshake.socket().getOutputStream();
        } catch (IOException x) {
            // A connected socket has its stream; a closed one fails the first write, which the reader reports.
            LOG.debug("relay client socket closed already", x);
        }
        peerMaxMessageSize = handshake.peerMaxMessageSize();
        readBuffer = handshake.leftover();
        acks = new AckWindow(sent, received);
        parser = new FrameParser(version, target.maxMessageSize(), sink, (int) received);
        closeSent = false;
        closeReceived = false;
    }

    private void start() {
        try {
            listener.onOpen(this);
        } catch (Throwable x) {
            LOG.warn("relay listener onOpen failed", x);
            close(CloseCode.INTERNAL_ERROR, "internal error");
        }
        reader = new Thread(this::run, "relay-client-" + socket.getLocalPort());
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

    /** Reads connection after connection, for as long as the session can be resumed. */
    private void run() {
        String lost;
        while ((lost = read()) != null && reconnect(lost)) {
            // the new connection is read on the next turn
        }
        notifyClosed();
    }

    /** Whether a lost connection is reconnected: a relay/2 session with a token, resume on, not ending. */
    private boolean resumable() {
        return reconnect != null && version == 2 && token != null;
    }

    /**
     * Reads the current connection until it ends.
     *
     * @return why it was lost, if the session goes on over a new connection; null if the session is over
     */
    private String read() {
        String lost = null;
        try {
            InputStream in = socket.getInputStream();
            int frameNeeds = HEADER_LENGTH;
            while (true) {
                frameNeeds = parser.parse(readBuffer);
                acknowledge();
                if (parser.closeReceived())
                    break;
                readSpace(frameNeeds);
                int n = in.read(readBuffer.array(), readBuffer.limit(), readBuffer.capacity() - readBuffer.limit());
                if (n < 0) {
                    if (reconnects())
                        lost = "the server ended the connection without CLOSE";
                    else if (readBuffer.hasRemaining())
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
                if (closeCode == 0 && reconnects())
                    lost = "the server is going away (CLOSE 1001)";
            }
        } catch (RelayProtocolException x) {
            LOG.debug("relay protocol error from server: {} {}", x.code(), x.getMessage());
            end(x.code(), x.getMessage());
            sendClose(x.code(), x.getMessage());
            lost = null;
        } catch (IOException x) {
            LOG.debug("relay client connection ended", x);
            if (closeCode == 0 && reconnects())
                lost = "connection lost: " + x.getMessage();
        } finally {
            closeSocket();
        }
        return lost;
    }

    /** Whether a connection that ends now is followed by a reconnection. */
    private boolean reconnects() {
        synchronized (writeLock) {
            return resumable() && !ending;
        }
    }

    /**
     * Connects again and resumes, with backoff, until a connection is up or the attempts run out.
     *
     * @return whether a new connection is up, to be read; false if the session is over
     */
    private boolean reconnect(String lost) {
        synchronized (writeLock) {
            connected = false;
        }
        LOG.debug("relay session {}: {}; reconnecting", this, lost);
        String failure = lost;
        for (int attempt = 1; attempt <= reconnect.maxAttempts(); attempt++) {
            if (!waitBeforeAttempt(attempt))
                return false;
            Handshake handshake;
            try {
                handshake = handshake(target, new int[] {2}, new ResumeFields.Request(token, received));
            } catch (UpgradeFailedException x) {
                failure = x.getMessage();
                // 5xx (a proxy without an upstream, a store that did not answer), 408 and 429 are
                // passing; anything else will be answered again the same way.
                if (x.status() < 500 && x.status() != 408 && x.status() != 429) {
                    end(CloseCode.ABNORMAL, "reconnection refused: " + failure);
                    return false;
                }
                continue;
            } catch (IOException x) {
                failure = x.toString();
                continue;
            }
            return resume(handshake);
        }
        end(CloseCode.ABNORMAL, "connection lost, not resumed after " + reconnect.maxAttempts() + " attempts: " + failure);
        return false;
    }

    /** Waits before reconnection attempt {@code attempt}; false if the session ended meanwhile. */
    private boolean waitBeforeAttempt(int attempt) {
        long deadline = System.nanoTime() + reconnect.delayNanos(attempt);
        synchronized (writeLock) {
            try {
                for (long left = deadline - System.nanoTime(); left > 0 && !ending; left = deadline - System.nanoTime())
                    TimeUnit.NANOSECONDS.timedWait(writeLock, left);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                ending = true;
            }
            return !ending;
        }
    }

    /**
     * Takes the new connection: the session resumed as the 101 says (our ids from its {@code m},
     * the server's from what the listener handled) or starts afresh; the listener hears which; then
     * what the server lacks is resent and sending is open again.
     *
     * @return whether the connection is to be read; false if the session ended
     */
    private boolean resume(Handshake handshake) {
        ResumeFields.Answer answer = handshake.answer();
        boolean resumed = handshake.token() != null && answer != null && answer.resumed();
        String reason;
        synchronized (writeLock) {
            if (resumed) {
                long m = answer.received();
                if (m < peerAcknowledged || m > sent) {
                    closeQuietly(handshake.socket());
                    end(CloseCode.PROTOCOL_ERROR, "the server resumed after message " + m + " of ours, but " + peerAcknowledged
                        + " were acknowledged and " + sent + " sent");
                    return false;
                }
                dropAcknowledged(m);
                peerAcknowledged = m;
                use(handshake, m, received);
                reason = "";
            } else {
                // A fresh session: ids from 1, nothing replayed; what the old server did not
                // acknowledge is sent again, renumbered (at-least-once).
                reason = answer != null ? answer.reason() : handshake.token() == null ? "the server offers no resume" : "not resumed";
                received = 0;
                peerAcknowledged = 0;
                sent = 0;
                Deque<Unacknowledged> renumbered = new ArrayDeque<>();
                for (Unacknowledged message : unacknowledged)
                    renumbered.add(new Unacknowledged(++sent, message.type(), message.data()));
                unacknowledged.clear();
                unacknowledged.addAll(renumbered);
                use(handshake, 0, 0);
            }
            this.token = handshake.token();
            this.resumed = resumed;
            this.peerReceivedAtResume = resumed ? answer.received() : 0;
        }
        try {
            listener.onResumed(this, resumed, reason);
        } catch (Throwable x) {
            LOG.warn("relay listener onResumed failed", x);
            close(CloseCode.INTERNAL_ERROR, "internal error");
        }
        synchronized (writeLock) {
            for (Unacknowledged message : unacknowledged) {
                if (message.data().length > peerMaxMessageSize) {
                    end(CloseCode.TOO_BIG, "a message to resend is over the server's maximum " + peerMaxMessageSize);
                    closeSocket();
                    return false;
                }
                RetainableByteBuffer.Mutable frame = frame(message.frameLength());
                RelayFrames.putMessage(frame, message.type(), 2, acks.nextId(), ByteBuffer.wrap(message.data()));
                if (!writeQuietly(frame))
                    break;
            }
            connected = true;
            if (ending)
                // Closed while reconnecting: the CLOSE goes on the new connection.
                writeClose(closeCode, closeReason);
            writeLock.notifyAll();
        }
        return true;
    }

    /** Holds writeLock: forgets our messages up to {@code count}, which the server has. */
    private void dropAcknowledged(long count) {
        while (!unacknowledged.isEmpty() && unacknowledged.peekFirst().count() <= count)
            unacknowledgedBytes -= unacknowledged.removeFirst().frameLength();
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
            if (closeSent())
                return;
            received++;
            deliver(() -> listener.onText(RelayClient.this, text));
        }

        @Override
        public void onBinary(ByteBuffer data) {
            if (closeSent())
                return;
            received++;
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
                if (acknowledged >= 0) {
                    peerAcknowledged = acknowledged;
                    dropAcknowledged(acknowledged);
                }
            }
            if (acknowledged < 0)
                return;
            deliver(() -> listener.onAcknowledged(RelayClient.this, acknowledged));
        }

        @Override
        public void onClose(int code, String reason) {
            closeReceived = true;
            if (code == CloseCode.GOING_AWAY && reconnects()) {
                // The server is going away: answer, then resume elsewhere (run() reconnects).
                synchronized (writeLock) {
                    connected = false;
                    writeClose(code, "");
                }
                return;
            }
            end(code, reason);
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

    /** The largest message, in bytes, the server announced in its (last) 101's {@code Relay-Max-Message-Size}. */
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

    @Override
    public String sessionToken() {
        return token;
    }

    @Override
    public boolean resumed() {
        return resumed;
    }

    @Override
    public long peerReceivedAtResume() {
        return peerReceivedAtResume;
    }

    @Override
    public long received() {
        return received;
    }

    @Override
    public long sent() {
        synchronized (writeLock) {
            return sent;
        }
    }

    /**
     * The client acknowledges what its listener has handled, as it returns: there is no
     * deferred-acknowledge mode on this side.
     *
     * @throws IllegalStateException always
     */
    @Override
    public void acknowledge(long count) {
        throw new IllegalStateException("RelayClient acknowledges each message once its listener has returned");
    }

    /**
     * How many of the messages sent are kept, unacknowledged, to be resent after a reconnection
     * (0 without {@link Builder#resume}).
     *
     * @return the number of messages sent that the server has not acknowledged yet
     */
    public int unacknowledged() {
        synchronized (writeLock) {
            return unacknowledged.size();
        }
    }

    /**
     * Sends a TEXT message; blocks while the socket's send buffer is full. With resume, while
     * reconnecting the message waits in the buffer and is sent once the session goes on.
     *
     * @throws IllegalStateException if resume is on and the unacknowledged messages would go over
     *                               {@link Reconnect#maxUnacknowledgedBytes()}: wait for ACKs
     *                               ({@link RelayListener#onAcknowledged}) and send again
     */
    @Override
    public boolean sendText(String text) {
        return send(RelayFrames.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Sends a BINARY message; blocks while the socket's send buffer is full. With resume, as {@link #sendText}.
     *
     * @throws IllegalStateException if resume is on and the unacknowledged messages would go over
     *                               {@link Reconnect#maxUnacknowledgedBytes()}
     */
    @Override
    public boolean sendBinary(ByteBuffer data) {
        return send(RelayFrames.BINARY, data);
    }

    private boolean send(byte type, ByteBuffer data) {
        int frameLength = RelayFrames.messageFrameLength(version, data, peerMaxMessageSize);
        synchronized (writeLock) {
            if (ending)
                return false;
            boolean keep = resumable();
            if (!keep && (!connected || closeSent || closeReceived))
                return false;
            if (keep) {
                if (unacknowledgedBytes + frameLength > reconnect.maxUnacknowledgedBytes())
                    throw new IllegalStateException("refused: " + unacknowledged.size() + " messages (" + unacknowledgedBytes
                        + " bytes) wait for the server's ACK, and the bound is " + reconnect.maxUnacknowledgedBytes() + " bytes");
                byte[] copy = new byte[data.remaining()];
                data.duplicate().get(copy);
                unacknowledged.addLast(new Unacknowledged(sent + 1, type, copy));
                unacknowledgedBytes += frameLength;
            }
            sent++;
            if (!connected || closeSent)
                return true;  // sent once the session resumes
            RetainableByteBuffer.Mutable frame = frame(frameLength);
            RelayFrames.putMessage(frame, type, version, acks.nextId(), data);
            // With resume a failed write is resent on the next connection.
            return writeQuietly(frame) || keep;
        }
    }

    /**
     * Sends a PING.
     *
     * @return completes when the matching PONG arrives (PONGs answer PINGs in order); fails if the
     *         session is closed or reconnecting
     */
    public CompletableFuture<Void> ping() {
        CompletableFuture<Void> pong = new CompletableFuture<>();
        RetainableByteBuffer.Mutable frame = frame(HEADER_LENGTH + Long.BYTES);
        RelayFrames.putControl(frame, RelayFrames.PING, ByteBuffer.allocate(Long.BYTES).putLong(0, System.nanoTime()));
        synchronized (writeLock) {
            pings.add(pong);
            if (!connected || closeSent || !writeQuietly(frame))
                pong.completeExceptionally(new IOException("relay session closed"));
        }
        return pong;
    }

    @Override
    public void close(int code, String reason) {
        if (!CloseCode.isValid(code))
            throw new IllegalArgumentException("not a close code that may be sent: " + code);
        end(code, reason);
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
            if (ending)
                return false;
            return resumable() || connected && !closeSent && !closeReceived && !socket.isClosed();
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

    /** Sends our CLOSE on the current connection, unless one is out already or there is no connection (it then goes on the next). */
    private void sendClose(int code, String reason) {
        synchronized (writeLock) {
            if (connected)
                writeClose(code, reason);
            writeLock.notifyAll();
        }
    }

    /** Holds writeLock. */
    private void writeClose(int code, String reason) {
        if (closeSent)
            return;
        closeSent = true;
        byte[] bytes = RelayFrames.closeReason(reason);
        RetainableByteBuffer.Mutable frame = frame(RelayFrames.closeFrameLength(bytes));
        RelayFrames.putClose(frame, code, bytes);
        writeQuietly(frame);
    }

    /** The session ends with {@code code} (the first recorded wins): no reconnection from now on. */
    private void end(int code, String reason) {
        synchronized (writeLock) {
            ending = true;
            if (closeCode == 0) {
                closeCode = code;
                closeReason = reason == null ? "" : reason;
            }
            writeLock.notifyAll();
        }
    }

    private void notifyClosed() {
        int code;
        String reason;
        synchronized (writeLock) {
            ending = true;
            code = closeCode == 0 ? CloseCode.ABNORMAL : closeCode;
            reason = closeCode == 0 ? "connection lost" : closeReason;
        }
        if (!closeNotified.compareAndSet(false, true))
            return;
        pings.forEach(p -> p.completeExceptionally(new IOException("relay session closed")));
        try {
            listener.onClose(this, code, reason);
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
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException x) {
            LOG.debug("closing the relay client socket", x);
        }
    }

    @Override
    public String toString() {
        return "RelayClient[" + protocol() + " " + target.host() + ":" + target.port() + target.path() + "]";
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
