package org.switchboard.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.switchboard.relay.RelayClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.switchboard.testing.SwitchResets;
import org.switchboard.relay.RelaySession;
import org.switchboard.relay.RelayListener;

/**
 * {@code benchmarks/reliability.sh SCENARIO}: puts the sample server, started as operators start
 * it (its own JVM, {@link SampleProcess}), under the load and hostile input of RELIABILITY.md, on
 * 127.0.0.1 only, and prints the figures with a verdict line ({@code PASS}/{@code FAIL}); exits 1 on
 * a FAIL. Every loop is bounded in count and time.
 */
@Command(name = "reliability.sh", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs a reliability scenario against the sample server in its own JVM and prints its figures.")
public final class ReliabilityCommand extends ScenarioCommand {

    static final List<String> SCENARIOS = List.of("concurrent-upgrades", "idle", "hostile-heads", "slowloris",
        "chunked-flood", "reset-storm", "sigterm", "soak");

    private static final String WS_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String H2C_SETTINGS = "AAMAAABkAAQAoAAAAAIAAAAA";

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "one of: ${COMPLETION-CANDIDATES}", completionCandidates = Scenarios.class)
    String scenario;

    @Option(names = "--connections", defaultValue = "10000", description = "concurrent-upgrades, idle: connections held; slowloris: slow connections; reset-storm: resets per protocol (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--threads", defaultValue = "200", description = "client threads opening connections (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--clients", defaultValue = "3", description = "chunked-flood: flooding clients; sigterm: clients per protocol (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--messages", defaultValue = "150", description = "sigterm: messages posted before the stop (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--megabytes", defaultValue = "256", description = "chunked-flood: most each client sends (default ${DEFAULT-VALUE})")
    int megabytes;

    @Option(names = "--seconds", defaultValue = "30", description = "slowloris: how long the slow clients keep trying (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--minutes", defaultValue = "10", description = "soak: minutes of mixed traffic (default ${DEFAULT-VALUE})")
    double minutes;

    public ReliabilityCommand() {
        this(System.out);
    }

    ReliabilityCommand(PrintStream out) {
        super(out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReliabilityCommand()).execute(args));
    }

    static final class Scenarios extends ArrayList<String> {
        Scenarios() {
            super(SCENARIOS);
        }
    }

    @Override
    List<String> scenarios() {
        return SCENARIOS;
    }

    @Override
    String scenario() {
        return scenario;
    }

    @Override
    void run(String scenario) throws Exception {
        try (SampleProcess sample = launch.start(List.of())) {
            out.printf("== %s against the sample (pid %d, port %d); at start: %s%n", scenario, sample.pid(), sample.port(), sample.stats());
            switch (scenario) {
                case "concurrent-upgrades" -> concurrentUpgrades(sample);
                case "idle" -> idle(sample);
                case "hostile-heads" -> hostileHeads(sample);
                case "slowloris" -> slowloris(sample);
                case "chunked-flood" -> chunkedFlood(sample);
                case "reset-storm" -> resetStorm(sample);
                case "sigterm" -> sigterm(sample);
                default -> soak(sample);
            }
        }
    }

    // ---- scenarios --------------------------------------------------------------------------

    /** {@code connections} WebSocket upgrades at once, all held open together, then closed. */
    private void concurrentUpgrades(SampleProcess sample) throws Exception {
        Held held = openWebSockets(sample.port(), connections);
        out.printf("  %,d upgrades held at once, %d errors; handshake ms p50 %d, p99 %d, max %d; in %,d ms%n", held.sockets.size(),
            held.errors.get(), held.percentile(50), held.percentile(99), held.percentile(100), held.millis);
        out.println("  while held: " + sample.stats());
        held.close();
        check(held.errors.get() == 0, held.errors.get() + " failed upgrades of " + connections);
        check(awaitOpen(sample.port(), "websocket", 0, 30), "every WebSocket closed in /health after the clients left");
    }

    /** {@code connections} idle WebSocket connections: what each costs, and that it all comes back when they close. */
    private void idle(SampleProcess sample) throws Exception {
        SampleProcess.Stats before = sample.stats();
        Held held = openWebSockets(sample.port(), connections);
        SampleProcess.Stats during = sample.stats();
        held.close();
        awaitOpen(sample.port(), "websocket", 0, 30);
        Thread.sleep(2_000);
        SampleProcess.Stats after = sample.stats();
        out.printf("  before %s%n  with %,d idle: %s (%.1f KB heap, %.1f KB RSS per connection)%n  after  %s%n", before, held.sockets.size(), during,
            (during.heapBytes() - before.heapBytes()) / 1024.0 / Math.max(1, held.sockets.size()),
            (during.rssBytes() - before.rssBytes()) / 1024.0 / Math.max(1, held.sockets.size()), after);
        check(held.errors.get() == 0, held.errors.get() + " failed upgrades");
        check(after.heapBytes() < before.heapBytes() + 16_000_000, "heap back within 16 MB of its start");
        check(after.descriptors() <= before.descriptors() + 16, "descriptors back to their start");
    }

    /** Oversized and malformed heads: each answered with its status, quickly, and the server goes on. */
    private void hostileHeads(SampleProcess sample) throws Exception {
        String[][] cases = {
            {"a 64 KiB request target", "GET /" + "a".repeat(65_536) + " HTTP/1.1\r\nHost: h\r\n\r\n", "414"},
            {"a 64 KiB header", "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(65_536) + "\r\n\r\n", "431"},
            {"10,000 headers", "GET / HTTP/1.1\r\nHost: h\r\n" + "X-H: v\r\n".repeat(10_000) + "\r\n", "431"},
            {"an Upgrade of 5,000 offers (SB5; over 8 KiB Jetty's 431 comes first)", "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: " + "p,".repeat(5_000) + "\r\n\r\n", "400 or 431"},
            {"a bare-LF head (RFC 9112 2.2 lets a server accept it)", "GET / HTTP/1.1\nHost: h\n\n", "200"},
            {"Upgrade without Connection: upgrade", "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n", "400"},
            {"a malformed Sec-WebSocket-Version (W3, W4)", wsRequest("/chat", "Sec-WebSocket-Version: \"13\r\n"), "W3/W4"},
            {"a cross-site Origin", wsRequest("/chat", "Sec-WebSocket-Version: 13\r\nOrigin: http://evil.example\r\n"), "403"},
            {"a null Origin", wsRequest("/chat", "Sec-WebSocket-Version: 13\r\nOrigin: null\r\n"), "403"},
        };
        for (String[] c : cases) {
            long start = System.nanoTime();
            String head = exchangeHead(sample.port(), c[1]);
            long ms = (System.nanoTime() - start) / 1_000_000;
            int status = status(head);
            boolean expected = switch (c[2]) {
                // the handler's own answer: 400, or 426 naming the version it speaks — not the route's 426 fallback
                case "W3/W4" -> status == 400 || (status == 426 && head.contains("Sec-WebSocket-Version: 13"));
                case "400 or 431" -> status == 400 || status == 431;
                default -> String.valueOf(status).equals(c[2]);
            };
            check(expected, String.format("%s: %d in %d ms (expected %s)", c[0], status, ms, c[2]));
        }
        check(exchangeStatus(sample.port(), "GET /health HTTP/1.1\r\nHost: h\r\n\r\n") == 200, "/health still answers");
    }

    /** Slow heads, one byte at a time: each is cut off at the head deadline, and fresh clients are served meanwhile. */
    private void slowloris(SampleProcess sample) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);   // every slow client at once
        AtomicLong longest = new AtomicLong();
        AtomicInteger cut = new AtomicInteger();
        AtomicInteger answered408 = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<?>> slow = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            slow.add(pool.submit(() -> {
                long start = System.nanoTime();
                try (Socket socket = connect(sample.port())) {
                    socket.setSoTimeout(200);
                    OutputStream o = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    o.write("GET / HTTP/1.1\r\nHost: h\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    while (System.nanoTime() < deadline) {
                        o.write('X');
                        o.flush();
                        try {
                            byte[] head = in.readNBytes(12);
                            if (new String(head, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 408"))
                                answered408.incrementAndGet();
                            break;
                        } catch (SocketTimeoutException stillOpen) {
                            Thread.sleep(1_800);
                        }
                    }
                } catch (IOException closed) {
                    // cut off: the server closed the connection
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
                long lived = (System.nanoTime() - start) / 1_000_000;
                longest.accumulateAndGet(lived, Math::max);
                if (System.nanoTime() < deadline)
                    cut.incrementAndGet();
                return null;
            }));
        }
        // The attack comes from 127.0.0.1; an honest client from another address must be served meanwhile.
        List<Long> fresh = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            int status = exchangeStatus(sample.port(), 2, "GET /health HTTP/1.1\r\nHost: h\r\n\r\n");
            fresh.add(status == 200 ? (System.nanoTime() - start) / 1_000_000 : -1);
            Thread.sleep(500);
        }
        for (Future<?> f : slow)
            f.get(seconds + 30L, TimeUnit.SECONDS);
        pool.shutdownNow();
        long failedFresh = fresh.stream().filter(ms -> ms < 0).count();
        out.printf("  %d slow connections: %d cut off before %d s (%d with a 408), the longest lived %,d ms; %d fresh /health requests meanwhile, %d failed, max %d ms%n",
            connections, cut.get(), seconds, answered408.get(), longest.get(), fresh.size(), failedFresh, fresh.stream().mapToLong(Long::longValue).max().orElse(0));
        check(cut.get() == connections, "every slow connection was cut off before " + seconds + " s");
        check(failedFresh == 0, "clients from another address were served throughout");
    }

    /** Clients streaming chunked bodies that never end into POST /messages: each gets 413, and the server keeps answering. */
    private void chunkedFlood(SampleProcess sample) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<String>> floods = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            floods.add(pool.submit(() -> {
                byte[] chunk = new byte[65_536];
                Arrays.fill(chunk, (byte) 'x');
                byte[] chunkHead = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                long sent = 0;
                try (Socket socket = connect(sample.port())) {
                    OutputStream o = socket.getOutputStream();
                    o.write("POST /messages HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                    try {
                        while (sent < megabytes * 1_048_576L) {
                            o.write(chunkHead);
                            o.write(chunk);
                            o.write('\r');
                            o.write('\n');
                            sent += chunk.length;
                        }
                    } catch (IOException stopped) {
                        // the server closed its side: read what it answered
                    }
                    socket.setSoTimeout(10_000);
                    byte[] status = socket.getInputStream().readNBytes(12);
                    return new String(status, StandardCharsets.ISO_8859_1).trim() + " after " + sent / 1024 + " KiB sent";
                } catch (IOException x) {
                    return "no answer after " + sent / 1024 + " KiB sent (" + x + ")";
                }
            }));
        }
        List<Long> health = new ArrayList<>();
        while (floods.stream().anyMatch(f -> !f.isDone())) {
            long start = System.nanoTime();
            int status = exchangeStatus(sample.port(), "GET /health HTTP/1.1\r\nHost: h\r\n\r\n");
            health.add(status == 200 ? (System.nanoTime() - start) / 1_000_000 : -1);
            Thread.sleep(200);
        }
        pool.shutdown();
        for (Future<String> flood : floods) {
            String result = flood.get();
            check(result.startsWith("HTTP/1.1 413"), "a flooding client got " + result);
        }
        out.printf("  /health during the flood: %d requests, max %d ms; after: %s%n", health.size(),
            health.stream().mapToLong(Long::longValue).max().orElse(0), sample.stats());
        check(health.stream().noneMatch(ms -> ms < 0), "/health answered throughout");
    }

    /** Clients that reset the connection at random points of the switch, for every protocol: nothing stays counted open. */
    private void resetStorm(SampleProcess sample) throws Exception {
        SampleProcess.Stats before = sample.stats();
        int port = sample.port();
        String relay = "GET /relay HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: relay/1\r\n\r\n";
        String h2c = "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: " + H2C_SETTINGS + "\r\n\r\n";
        long start = System.nanoTime();
        SwitchResets.run(port, relay, connections, 32, 1);
        SwitchResets.run(port, h2c, connections, 32, 2);
        SwitchResets.run(port, wsRequest("/echo", "Sec-WebSocket-Version: 13\r\n"), connections, 32, 3);
        out.printf("  %,d resets per protocol in %,d ms%n", connections, (System.nanoTime() - start) / 1_000_000);
        for (String protocol : List.of("relay", "h2c", "websocket"))
            check(awaitOpen(port, protocol, 0, 30), protocol + ": open back to 0 in /health");
        Thread.sleep(1_000);
        SampleProcess.Stats after = sample.stats();
        out.println("  before " + before + "\n  after  " + after);
        check(after.descriptors() <= before.descriptors() + 16, "descriptors back to their start");
    }

    /** SIGTERM with clients of every protocol in the room: every message accepted before it arrives, every client gets its goodbye. */
    private void sigterm(SampleProcess sample) throws Exception {
        int port = sample.port();
        String tag = "m" + ThreadLocalRandom.current().nextInt(1_000_000) + "-";
        List<Counter> counters = new ArrayList<>();
        List<CompletableFuture<String>> goodbyes = new ArrayList<>();
        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < clients; i++) {
            Counter ws = new Counter("websocket");
            CompletableFuture<String> wsBye = new CompletableFuture<>();
            http11.newWebSocketBuilder().subprotocols("chat").buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat"), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    ws.see(data.toString(), tag);
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    wsBye.complete("close " + statusCode);
                    return null;
                }

                @Override
                public void onError(WebSocket webSocket, Throwable error) {
                    wsBye.complete("error " + error);
                }
            }).get(10, TimeUnit.SECONDS);
            counters.add(ws);
            goodbyes.add(wsBye.thenApply(s -> "websocket " + s));

            Counter relay = new Counter("relay");
            RelayClient client = RelayClient.connect(URI.create("http://127.0.0.1:" + port + "/relay"), new RelayListener() {
                @Override
                public void onText(RelaySession session, String text) {
                    relay.see(text, tag);
                }
            });
            counters.add(relay);
            goodbyes.add(client.closed().thenApply(code -> "relay close " + code));

            for (HttpClient sse : List.of(http11, h2c)) {
                Counter events = new Counter(sse == http11 ? "sse-http/1.1" : "sse-h2c");
                HttpResponse<java.util.stream.Stream<String>> stream = sse.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events")).build(), HttpResponse.BodyHandlers.ofLines());
                counters.add(events);
                goodbyes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        stream.body().forEach(line -> events.see(line, tag));
                        return events.name + " ended";
                    } catch (RuntimeException x) {
                        return events.name + " failed: " + x;
                    }
                }));
            }
        }
        Thread.sleep(1_000);   // every member has joined the room
        int accepted = 0;
        for (int i = 0; i < messages; i++) {
            HttpResponse<String> posted = http11.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("ops: " + tag + i)).build(), HttpResponse.BodyHandlers.ofString());
            if (posted.statusCode() == 201)
                accepted++;
        }
        long start = System.nanoTime();
        int exit = sample.terminate(30);
        out.printf("  %d messages accepted (201); SIGTERM; the sample exited with %d after %,d ms%n", accepted, exit, (System.nanoTime() - start) / 1_000_000);
        for (CompletableFuture<String> goodbye : goodbyes) {
            String said;
            try {
                said = goodbye.get(10, TimeUnit.SECONDS);
            } catch (Exception x) {
                said = "no goodbye: " + x;
            }
            check(said.endsWith("close 1001") || said.endsWith("ended"), said);
        }
        for (Counter counter : counters)
            check(counter.seen.size() == accepted, counter.name + " received " + counter.seen.size() + " of " + accepted);
    }

    /** Minutes of mixed traffic over every protocol; the sample's heap, RSS, threads and descriptors are sampled as it goes. */
    private void soak(SampleProcess sample) throws Exception {
        int port = sample.port();
        long end = System.nanoTime() + (long) (minutes * 60e9);
        AtomicLong operations = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        List<Callable<Void>> loads = List.of(
            () -> { try (Socket s = webSocket(port, "/echo")) { echoOnce(s); } return null; },
            () -> { try (RelayClient c = RelayClient.connect(URI.create("http://127.0.0.1:" + port + "/relay"), new RelayListener() { })) { c.sendText("soak: hi"); c.close(); c.closed().get(10, TimeUnit.SECONDS); } return null; },
            () -> { http11.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages")).POST(HttpRequest.BodyPublishers.ofString("soak: posted")).build(), HttpResponse.BodyHandlers.discarding()); return null; },
            () -> { h2c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.discarding()); return null; },
            () -> { exchangeStatus(port, "GET /health HTTP/1.1\r\nHost: h\r\n\r\n"); return null; });
        for (int t = 0; t < 8; t++) {
            int first = t;
            pool.submit(() -> {
                for (int i = first; System.nanoTime() < end; i++) {
                    try {
                        loads.get(i % loads.size()).call();
                        operations.incrementAndGet();
                    } catch (Exception x) {
                        errors.incrementAndGet();
                    }
                }
            });
        }
        List<SampleProcess.Stats> samples = new ArrayList<>();
        long started = System.nanoTime();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(30_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            SampleProcess.Stats now = sample.stats();
            samples.add(now);
            out.printf("  %5.1f min  %,10d operations  %,6d errors  %s%n", (System.nanoTime() - started) / 60e9, operations.get(), errors.get(), now);
        }
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        Thread.sleep(2_000);
        SampleProcess.Stats last = sample.stats();
        SampleProcess.Stats early = samples.get(Math.min(1, samples.size() - 1));
        out.println("  after the load: " + last);
        check(errors.get() <= operations.get() / 1000, errors.get() + " errors in " + operations.get() + " operations (at most 0.1 %)");
        check(last.heapBytes() < early.heapBytes() * 1.5 + 16_000_000, "heap flat (after the load vs early sample)");
        check(last.threads() <= early.threads() + 16, "threads flat");
        check(last.descriptors() <= early.descriptors() + 16, "descriptors flat");
    }

    // ---- clients ----------------------------------------------------------------------------

    private static final class Counter {
        final String name;
        final Set<String> seen = ConcurrentHashMap.newKeySet();

        Counter(String name) {
            this.name = name;
        }

        void see(String text, String tag) {
            int at = text.indexOf(tag);
            if (at >= 0) {
                Matcher m = Pattern.compile(Pattern.quote(tag) + "(\\d+)").matcher(text);
                if (m.find())
                    seen.add(m.group(1));
            }
        }
    }

    private final class Held {
        final List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Long> handshakeMillis = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger errors = new AtomicInteger();
        long millis;

        long percentile(int p) {
            List<Long> sorted = new ArrayList<>(handshakeMillis);
            if (sorted.isEmpty())
                return -1;
            sorted.sort(null);
            int index = Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
            return sorted.get(Math.min(sorted.size() - 1, index));
        }

        void close() {
            synchronized (sockets) {
                for (Socket socket : sockets) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }
        }
    }

    private Held openWebSockets(int port, int count) throws Exception {
        Held held = new Held();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> opens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int from = 2 + i % 200;   // 10,000 clients from 200 addresses: 50 each, under the sample's per-address cap
            opens.add(pool.submit(() -> {
                long begin = System.nanoTime();
                try {
                    held.sockets.add(webSocket(port, "/echo", from));
                    held.handshakeMillis.add((System.nanoTime() - begin) / 1_000_000);
                } catch (IOException x) {
                    held.errors.incrementAndGet();
                }
            }));
        }
        for (Future<?> open : opens)
            open.get(120, TimeUnit.SECONDS);
        held.millis = (System.nanoTime() - start) / 1_000_000;
        pool.shutdown();
        return held;
    }

    private static Socket connect(int port) throws IOException {
        return connect(port, 1);
    }

    /**
     * A connection from {@code 127.0.0.<from>}: every 127.x address is this machine, so clients
     * spread over several of them look like several hosts to the server's per-address cap.
     */
    private static Socket connect(int port, int from) throws IOException {
        Socket socket = new Socket();
        if (from != 1)
            socket.bind(new InetSocketAddress("127.0.0." + from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static String wsRequest(String path, String versionAndMore) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: " + WS_KEY
            + "\r\n" + versionAndMore + "\r\n";
    }

    /** A WebSocket opened by hand: the socket after a 101. */
    private static Socket webSocket(int port, String path) throws IOException {
        return webSocket(port, path, 1);
    }

    private static Socket webSocket(int port, String path, int from) throws IOException {
        Socket socket = connect(port, from);
        try {
            socket.getOutputStream().write(wsRequest(path, "Sec-WebSocket-Version: 13\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int status = readStatus(socket.getInputStream());
            if (status != 101)
                throw new IOException("status " + status);
            return socket;
        } catch (IOException x) {
            socket.close();
            throw x;
        }
    }

    /** One masked text frame to an echo, its echo read back, then a close frame. */
    private static void echoOnce(Socket socket) throws IOException {
        byte[] text = "soak".getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        byte[] frame = new byte[6 + text.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | text.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < text.length; i++)
            frame[6 + i] = (byte) (text[i] ^ mask[i % 4]);
        socket.getOutputStream().write(frame);
        byte[] echo = socket.getInputStream().readNBytes(2 + text.length);
        if (echo.length != 2 + text.length || (echo[0] & 0x0f) != 1)
            throw new IOException("no echo");
        socket.getOutputStream().write(new byte[] {(byte) 0x88, (byte) 0x82, 1, 2, 3, 4, (byte) (0x03 ^ 1), (byte) (0xe8 ^ 2)});
        socket.getInputStream().readNBytes(4);
    }

    /** Sends {@code request} on a new connection and returns the status of the answer, or -1 if none came. */
    private static int exchangeStatus(int port, String request) {
        return exchangeStatus(port, 1, request);
    }

    private static int exchangeStatus(int port, int from, String request) {
        return status(exchangeHead(port, from, request));
    }

    private static String exchangeHead(int port, String request) {
        return exchangeHead(port, 1, request);
    }

    /** Sends {@code request} on a new connection from {@code 127.0.0.<from>} and returns the head of the answer, or "" if none came. */
    private static String exchangeHead(int port, int from, String request) {
        try (Socket socket = connect(port, from)) {
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException closedWhileSending) {
                // the server may answer and close before it has read an oversized request
            }
            return readHead(socket.getInputStream());
        } catch (IOException x) {
            return "";
        }
    }

    private static int status(String head) {
        return head.isEmpty() ? -1 : Integer.parseInt(head.substring(0, head.indexOf("\r\n")).split(" ")[1]);
    }

    /** Reads a response head and returns its status. */
    private static int readStatus(InputStream in) throws IOException {
        return status(readHead(in));
    }

    /** Reads a response head, through its blank line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0)
                throw new IOException("EOF in the head: " + head);
            head.append((char) b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return head.toString();
    }

    private static boolean awaitOpen(int port, String protocol, long expected, int seconds) throws InterruptedException {
        Pattern open = Pattern.compile("\"" + Pattern.quote(protocol) + "\":\\{\"open\":(-?\\d+)");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = open.matcher(body);
                if (!m.find() || Long.parseLong(m.group(1)) == expected)
                    return true;
            } catch (IOException x) {
                // try again
            }
            Thread.sleep(250);
        }
        return false;
    }
}
