package org.switchboard.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;
import org.switchboard.testing.ExternalServer;
import org.switchboard.testing.Nginx;
import org.switchboard.testing.RedisServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code benchmarks/cluster.sh SCENARIO}: the sample scaled out — instances in JVMs of their own
 * ({@link SampleProcess}) on one real {@code redis-server} ({@link RedisServer}), behind a real nginx
 * running {@code examples/deploy/nginx-cluster.conf} — measured on 127.0.0.1:
 * <ul>
 * <li>{@code room-throughput}: messages posted ({@code POST /messages}) on one instance and delivered
 *     to {@code --clients} relay/2 members, for three layouts: one instance with the in-memory room,
 *     one instance on Redis, and the posts on A with the members on B (both on Redis) — messages/s
 *     posted as fast as they go until the last member has the last one, and, posted at a steady
 *     {@code --rate}, the latency from a POST's start to each delivery;</li>
 * <li>{@code sigkill-resume}: {@code --clients} resuming relay/2 clients through nginx, half on each
 *     instance; SIGKILL one; the time until each of its clients has resumed on the other.</li>
 * </ul>
 * Figures are printed with the load average before and after (the machine may be shared); a round
 * with a failure is reported and makes the command exit 1. Every wait is bounded.
 */
@Command(name = "cluster.sh", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measures the sample scaled out: instances on one redis-server behind nginx.")
public final class ClusterCommand extends ScenarioCommand {

    static final List<String> SCENARIOS = List.of("room-throughput", "sigkill-resume");

    private static final Duration BOUND = Duration.ofSeconds(300);

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "room-throughput or sigkill-resume")
    String scenario;

    @Option(names = "--clients", defaultValue = "100", description = "relay/2 members (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--messages", defaultValue = "1000", description = "room-throughput: messages posted as fast as they go, after as many to warm up (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--latency-messages", defaultValue = "500", description = "room-throughput: messages posted at --rate for the latency (default ${DEFAULT-VALUE})")
    int latencyMessages;

    @Option(names = "--rate", defaultValue = "50", description = "room-throughput: messages a second in the latency phase, below what every layout delivers (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--posters", defaultValue = "8", description = "room-throughput: POSTs in flight at once (default ${DEFAULT-VALUE})")
    int posters;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds, each with fresh processes (default ${DEFAULT-VALUE})")
    int rounds;

    public ClusterCommand() {
        this(System.out);
    }

    ClusterCommand(PrintStream out) {
        super(out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClusterCommand()).execute(args));
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
        out.printf("# cluster %s, %s, %d rounds, %d clients%n# machine: %s%n# load average at start: %s%n", scenario, Instant.now(), rounds,
            clients, Machine.describe(), loadAverage());
        if (scenario.equals("room-throughput"))
            roomThroughput();
        else
            sigkillResume();
        out.printf("# load average at end: %s%n", loadAverage());
    }

    // ---- room-throughput -------------------------------------------------------------------

    /** Where the room is and which instance gets the POSTs and which the members. */
    enum Layout {
        IN_MEMORY("one instance, in-memory room"),
        REDIS_ONE("one instance, room on Redis"),
        REDIS_TWO("POST on A, members on B, room on Redis");

        final String description;

        Layout(String description) {
            this.description = description;
        }
    }

    /**
     * One layout's figures.
     *
     * @param messagesPerSecond the throughput phase: messages posted as fast as {@code --posters} allow,
     *                          until the last member had the last one, per second
     * @param p50Millis         the latency phase (posts paced at {@code --rate}): median of a POST's
     *                          start to a member having it, over every message and member
     * @param p99Millis         99th percentile of the same
     * @param maxMillis         the longest of the same
     * @param postP99Millis     99th percentile of a paced POST's start to its 201
     */
    record RoomFigures(double messagesPerSecond, double p50Millis, double p99Millis, double maxMillis, double postP99Millis) {
    }

    private void roomThroughput() throws Exception {
        Map<Layout, List<RoomFigures>> all = new java.util.EnumMap<>(Layout.class);
        for (int round = 1; round <= rounds; round++) {
            for (Layout layout : Layout.values()) {
                try {
                    RoomFigures figures = roomRound(layout);
                    all.computeIfAbsent(layout, l -> new ArrayList<>()).add(figures);
                    out.printf("round %d  %-40s %,8.0f msgs/s  at %d msgs/s: latency p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (201 p99 %5.1f ms)  load %s%n",
                        round, layout.description, figures.messagesPerSecond(), rate, figures.p50Millis(), figures.p99Millis(), figures.maxMillis(),
                        figures.postP99Millis(), loadAverage());
                } catch (Exception x) {
                    failures.add(layout.description + ", round " + round + ": " + x);
                    out.printf("round %d  %-40s INVALID: %s%n", round, layout.description, x);
                }
            }
        }
        out.printf("%n| layout | msgs/s to %d members (median of %d) | latency p50 at %d msgs/s | p99 |%n|---|---|---|---|%n", clients, rounds, rate);
        for (Map.Entry<Layout, List<RoomFigures>> entry : all.entrySet()) {
            List<RoomFigures> runs = entry.getValue();
            out.printf("| %s | %,.0f | %.1f ms | %.1f ms |%n", entry.getKey().description,
                median(runs.stream().mapToDouble(RoomFigures::messagesPerSecond).toArray()),
                median(runs.stream().mapToDouble(RoomFigures::p50Millis).toArray()),
                median(runs.stream().mapToDouble(RoomFigures::p99Millis).toArray()));
        }
    }

    /**
     * One layout: {@code --messages} to warm up, {@code --messages} as fast as they go (throughput),
     * then {@code --latency-messages} at {@code --rate} (latency below saturation: posted faster
     * than the room delivers, messages would queue, and the latency would be the queue's).
     */
    private RoomFigures roomRound(Layout layout) throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            RedisServer redis = layout == Layout.IN_MEMORY ? null : RedisServer.start();
            if (redis != null)
                started.add(redis);
            List<String> args = redis == null ? List.of() : List.of("--redis", redis.uri());
            SampleProcess poster = sample(args, started);
            SampleProcess delivery = layout == Layout.REDIS_TWO ? sample(args, started) : poster;

            int measuredFrom = messages;
            int pacedFrom = 2 * messages;
            int total = pacedFrom + latencyMessages;
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Member member = new Member(total);
                members.add(member);
                started.add(RelayClient.connect(URI.create("http://127.0.0.1:" + delivery.port() + "/relay"), member, 2));
            }
            await(() -> delivery.open("relay") == clients, clients + " members in the room");

            long[] postStarted = new long[total];
            ConcurrentLinkedQueue<Long> postMillis = new ConcurrentLinkedQueue<>();
            post(poster.port(), 0, measuredFrom, 0, postStarted, postMillis);
            awaitDelivered(members, measuredFrom, "the warm-up");
            long measuredStart = System.nanoTime();
            post(poster.port(), measuredFrom, pacedFrom, 0, postStarted, postMillis);
            awaitDelivered(members, pacedFrom, "the throughput phase");
            long last = 0;
            for (Member member : members)
                for (int seq = measuredFrom; seq < pacedFrom; seq++)
                    last = Math.max(last, member.arrived[seq]);
            double perSecond = messages / ((last - measuredStart) / 1e9);

            postMillis.clear();
            post(poster.port(), pacedFrom, total, rate, postStarted, postMillis);
            awaitDelivered(members, total, "the latency phase");
            double[] latencies = new double[latencyMessages * clients];
            int k = 0;
            for (Member member : members)
                for (int seq = pacedFrom; seq < total; seq++)
                    latencies[k++] = (member.arrived[seq] - postStarted[seq]) / 1e6;
            Arrays.sort(latencies);
            double[] posts = postMillis.stream().mapToDouble(Long::doubleValue).sorted().toArray();
            return new RoomFigures(perSecond, percentile(latencies, 50), percentile(latencies, 99), latencies[latencies.length - 1],
                percentile(posts, 99));
        } finally {
            closeAll(started);
        }
    }

    /** Waits until every member has heard {@code count} messages; then none may have heard more, or one twice. */
    private static void awaitDelivered(List<Member> members, int count, String what) throws InterruptedException {
        await(() -> members.stream().allMatch(m -> m.count() >= count), what + " delivered to every member");
        for (Member member : members)
            if (member.count() != count || member.duplicates.get() > 0)
                throw new IllegalStateException("a member heard " + member.count() + " messages of " + count + ", " + member.duplicates.get() + " twice");
    }

    /**
     * POSTs {@code "bench: SEQ"} for SEQ in [from, to), at most {@code --posters} in flight, and
     * {@code perSecond} a second at most (0: as fast as they go); each must be answered 201.
     */
    private void post(int port, int from, int to, int perSecond, long[] started, ConcurrentLinkedQueue<Long> millis) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore inFlight = new Semaphore(posters);
        ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
        URI uri = URI.create("http://127.0.0.1:" + port + "/messages");
        long begin = System.nanoTime();
        for (int seq = from; seq < to; seq++) {
            if (perSecond > 0) {
                long due = begin + (seq - from) * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0)
                    TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.acquire();
            int s = seq;
            started[s] = System.nanoTime();
            http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("bench: " + s)).build(),
                HttpResponse.BodyHandlers.ofString()).whenComplete((response, x) -> {
                    if (x != null || response.statusCode() != 201)
                        failed.add("bench: " + s + " got " + (x != null ? x.toString() : response.statusCode() + " " + response.body()));
                    millis.add((System.nanoTime() - started[s]) / 1_000_000);
                    inFlight.release();
                });
        }
        inFlight.acquire(posters);
        inFlight.release(posters);
        if (!failed.isEmpty())
            throw new IllegalStateException(failed.size() + " POSTs not answered 201, the first: " + failed.peek());
    }

    /** A member that notes when each {@code "bench: SEQ"} arrives, and whether any came twice. */
    private static final class Member implements RelayListener {
        final long[] arrived;
        final AtomicInteger duplicates = new AtomicInteger();
        private final AtomicInteger count = new AtomicInteger();

        Member(int total) {
            arrived = new long[total];
        }

        @Override
        public void onText(RelaySession session, String text) {
            long now = System.nanoTime();
            if (!text.startsWith("bench: "))
                return;
            int seq = Integer.parseInt(text.substring("bench: ".length()));
            if (seq < 0 || seq >= arrived.length || arrived[seq] != 0)
                duplicates.incrementAndGet();
            else
                arrived[seq] = now;
            count.incrementAndGet();
        }

        int count() {
            return count.get();
        }
    }

    // ---- sigkill-resume ---------------------------------------------------------------------

    private void sigkillResume() throws Exception {
        List<Double> lastMillis = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            try {
                double last = sigkillRound(round);
                lastMillis.add(last);
            } catch (Exception x) {
                failures.add("round " + round + ": " + x);
                out.printf("round %d  INVALID: %s%n", round, x);
            }
        }
        out.printf("%nSIGKILL to the last of its clients resumed on the other instance: median %.0f ms over %d rounds%n",
            median(lastMillis.stream().mapToDouble(Double::doubleValue).toArray()), lastMillis.size());
    }

    private double sigkillRound(int round) throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        Path dir = Files.createTempDirectory("cluster-nginx-");
        try {
            RedisServer redis = RedisServer.start();
            started.add(redis);
            List<String> args = List.of("--redis", redis.uri(), "--max-connections-per-address", "0");
            SampleProcess a = sample(args, started);
            SampleProcess b = sample(args, started);
            ExternalServer nginx = Nginx.cluster(launch.examples.resolve("deploy"), a.port(), b.port(), dir);
            started.add(nginx);

            // A room with a past, as a live one has: a session joins at the last message its instance
            // heard, so it has a position to resume from from the start (in an empty room it has one
            // only once its first ACK is recorded).
            List<Resuming> witnesses = new ArrayList<>();
            for (SampleProcess instance : List.of(a, b)) {
                Resuming witness = new Resuming();
                witnesses.add(witness);
                started.add(RelayClient.connect(URI.create("http://127.0.0.1:" + instance.port() + "/relay"), witness, 2));
            }
            post(a.port(), 0, 1, 0, new long[1], new ConcurrentLinkedQueue<>());
            await(() -> witnesses.stream().allMatch(w -> w.heard.get() > 0), "the first message heard on both instances");

            List<Resuming> resuming = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Resuming client = new Resuming();
                resuming.add(client);
                started.add(RelayClient.builder(URI.create("relay://127.0.0.1:" + nginx.port() + "/relay"))
                    .resume(RelayClient.Reconnect.DEFAULT).connect(client));
            }
            await(() -> a.open("relay") + b.open("relay") == clients + 2, clients + " clients in the room");
            int onA = a.open("relay") - 1;

            long killed = System.nanoTime();
            a.close();   // SIGKILL
            await(() -> resuming.stream().filter(c -> c.reconnectedAt > 0 || c.closed != null).count() >= onA, "the killed instance's clients back");
            List<String> ended = resuming.stream().filter(c -> c.closed != null).map(c -> c.closed).toList();
            if (!ended.isEmpty())
                throw new IllegalStateException(ended.size() + " sessions ended instead of resuming, e.g. " + ended.get(0));
            long notResumed = resuming.stream().filter(c -> c.reconnectedAt > 0 && !c.resumed).count();
            double[] millis = resuming.stream().filter(c -> c.reconnectedAt > 0).mapToDouble(c -> (c.reconnectedAt - killed) / 1e6).sorted().toArray();
            out.printf("round %d  %d of %d clients on the killed instance; resumed on the other: %d, not resumed: %d; after SIGKILL: first %.0f ms, median %.0f ms, last %.0f ms%n",
                round, onA, clients, millis.length - notResumed, notResumed, millis[0], percentile(millis, 50), millis[millis.length - 1]);
            if (notResumed > 0)
                throw new IllegalStateException(notResumed + " clients were not resumed: " + resuming.stream()
                    .filter(c -> c.reconnectedAt > 0 && !c.resumed).map(c -> c.reason).distinct().toList());
            return millis[millis.length - 1];
        } finally {
            closeAll(started);
        }
    }

    /** A resuming client that notes when it came back, and whether resumed — or that its session ended instead. */
    private static final class Resuming implements RelayListener {
        volatile long reconnectedAt;
        volatile boolean resumed;
        volatile String reason;
        volatile String closed;
        final AtomicInteger heard = new AtomicInteger();

        @Override
        public void onText(RelaySession session, String text) {
            heard.incrementAndGet();
        }

        @Override
        public void onClose(RelaySession session, int code, String reason) {
            closed = code + " " + reason;
        }

        @Override
        public void onResumed(RelaySession session, boolean resumed, String reason) {
            this.resumed = resumed;
            this.reason = reason;
            reconnectedAt = System.nanoTime();
        }
    }

    // ---- common ---------------------------------------------------------------------------

    private SampleProcess sample(List<String> args, List<AutoCloseable> started) throws IOException {
        SampleProcess sample = launch.start(args);
        started.add(sample);
        return sample;
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception x) {
                // stopping what is left: go on with the rest
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("not within " + BOUND.toSeconds() + " s: " + what);
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0)
            return Double.NaN;
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return percentile(sorted, 50);
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), as printed with the figures. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException x) {
            return "unknown";
        }
    }
}
