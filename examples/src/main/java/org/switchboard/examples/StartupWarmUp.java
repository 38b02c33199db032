package org.switchboard.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.ServerLimits;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelayListener;

/**
 * What the sample does before its port opens when started with {@code --warm-up}: one exchange of
 * each kind its clients make — a plain GET, a POST to the room (its JSON), a {@code /metrics}
 * scrape, a WebSocket echo, an h2c upgrade, a relay message — over loopback to a throwaway copy of
 * the server, assembled as the real one is but with its own in-memory room, meters and feeds, so
 * that nothing of it shows in the real server's room, metrics or negotiations. The first request of
 * each kind otherwise pays for loading and initialising the classes it needs (here, measured with
 * curl on a fresh sample: the first h2c upgrade 142 ms against 15 ms for the second, the first POST
 * 52 ms against 6 ms, the first scrape 55 ms against 14 ms). What it cannot move is the JIT: a few
 * exchanges compile nothing, and under load HotSpot's compiler keeps one core busy for the first
 * 20–30 s whatever was done at start (see benchmarks/BENCHMARKS.md).
 *
 * <p>It is not the default because it is not cheap where it would run most: it delays the port's
 * opening by 1.5–3 s on a 2-core machine (the throwaway server's assembly, and the same class
 * loading the first clients would otherwise share among themselves), where it saves each kind's
 * first client 20–500 ms once. It pays where a server restarts under load behind a balancer that
 * waits for the port.
 *
 * <p>Never fatal: an exchange that fails or takes longer than {@link #TIMEOUT} is logged at debug
 * and skipped, and the sample starts all the same.
 */
final class StartupWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmUp.class);

    /** The longest any one exchange may wait for the throwaway server. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final String HOST = "127.0.0.1";
    /** The longest answer read: every answer here is far smaller. */
    private static final int MAX_ANSWER = 1 << 20;

    private StartupWarmUp() {
    }

    /**
     * Starts a throwaway copy of the sample on a free loopback port, makes one exchange of each kind
     * with it, and stops it.
     *
     * @return how many of the exchanges succeeded
     */
    static int run() {
        long start = System.nanoTime();
        SampleServer defaults = new SampleServer();
        ServerLimits limits = defaults.serverLimits();
        SampleServer.Assembly assembly;
        try {
            assembly = SampleServer.assemble(HOST, 0, limits, List.of(), null, null, RoomOptions.DEFAULT);
        } catch (Exception x) {
            LOG.debug("warm-up skipped: the throwaway server could not be built", x);
            return 0;
        }
        Server server = assembly.server();
        int done = 0;
        try {
            server.start();
            int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
            List<Exchange> exchanges = List.of(
                new Exchange("GET /health", () -> http(port, "GET /health HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n", null)),
                new Exchange("POST /messages", () -> http(port, "POST /messages HTTP/1.1\r\nHost: " + HOST
                    + "\r\nContent-Type: text/plain\r\nContent-Length: 15\r\nConnection: close\r\n\r\nwarm-up: hello\n", null)),
                new Exchange("GET /metrics", () -> http(port, "GET /metrics HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n", null)),
                new Exchange("WebSocket /echo", () -> http(port, "GET /echo HTTP/1.1\r\nHost: " + HOST
                    + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
                    // A masked TEXT "w", then a masked CLOSE 1000 (RFC 6455 §5.2; an all-zero masking key is a valid one).
                    new byte[] {(byte) 0x81, (byte) 0x81, 0, 0, 0, 0, 'w', (byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xE8})),
                new Exchange("h2c /echo", () -> http(port, "GET /echo HTTP/1.1\r\nHost: " + HOST
                    + "\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n", h2cPrefaceThenGoAway())),
                new Exchange("relay /relay", () -> relay(port)));
            for (Exchange exchange : exchanges) {
                long began = System.nanoTime();
                try {
                    exchange.run().call();
                    done++;
                    LOG.debug("warm-up exchange {}: {} ms", exchange.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                } catch (Exception x) {
                    LOG.debug("warm-up exchange {} failed", exchange.name(), x);
                }
            }
        } catch (Exception x) {
            LOG.debug("warm-up: the throwaway server did not start", x);
        } finally {
            LifeCycle.stop(server);
        }
        LOG.info("Warmed up in {} ms: {} exchanges with a throwaway copy of the server (without --warm-up the port opens that much sooner)",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), done);
        return done;
    }

    private record Exchange(String name, java.util.concurrent.Callable<?> run) {
    }

    /**
     * Writes {@code request}, reads the response head, writes {@code then} (the new protocol's
     * bytes) if any, and reads until the server closes the connection.
     *
     * @return the response's status line
     */
    static String http(int port, String request, byte[] then) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = head(in);
            if (then != null) {
                out.write(then);
                out.flush();
            }
            drain(in);
            return statusLine;
        }
    }

    /** Reads a response head, returning its first line; an end of stream before it is an error. */
    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && head.length() < MAX_ANSWER) {
            head.append((char) b);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4)
                return head.substring(0, head.indexOf("\r\n"));
        }
        throw new IOException("no response head: " + head);
    }

    /** Reads until end of stream, at most {@link #MAX_ANSWER} bytes. */
    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        int total = 0;
        try {
            for (int n; total < MAX_ANSWER && (n = in.read(buffer)) >= 0; )
                total += n;
        } catch (SocketTimeoutException x) {
            throw new IOException("the server did not close within " + TIMEOUT.toMillis() + " ms", x);
        }
    }

    /** RFC 9113 §3.4's client preface, an empty SETTINGS frame and a GOAWAY (no error): the server answers stream 1 and closes. */
    private static byte[] h2cPrefaceThenGoAway() {
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] settings = {0, 0, 0, 0x4, 0, 0, 0, 0, 0};
        byte[] goAway = {0, 0, 8, 0x7, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
        byte[] all = new byte[preface.length + settings.length + goAway.length];
        System.arraycopy(preface, 0, all, 0, preface.length);
        System.arraycopy(settings, 0, all, preface.length, settings.length);
        System.arraycopy(goAway, 0, all, preface.length + settings.length, goAway.length);
        return all;
    }

    /** One relay message to the throwaway room, then a clean close. */
    private static Object relay(int port) throws Exception {
        try (RelayClient client = RelayClient.connect(URI.create("relay://" + HOST + ":" + port + "/relay"), new RelayListener() {
        })) {
            client.sendText("warm-up: hello");
            client.close();
            return client.closed().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
