package org.switchboard.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The one command of the benchmarks ({@code benchmarks/run.sh SCENARIO}): first checks that the
 * targets' configurations differ only where intended ({@link ConfigurationCheck}), then runs a
 * scenario against the targets alternately — each round starts a fresh server JVM per target, with
 * identical flags, the order rotating from round to round, or with {@code --jvm-warmup} runs every
 * round against one warmed JVM per target — and prints every run, then the medians and the ratios
 * of the sample and Switchboard over the baselines, of the medians and round by round, for the
 * rate and for the server's CPU per operation, as Markdown tables. {@code --warm-up-curve} prints
 * fresh JVMs' first seconds instead. A run with errors is reported and left out of the medians,
 * and makes the command exit with 1.
 */
@Command(name = "run.sh", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs a load scenario against Switchboard, bare Jetty and Netty alternately; prints medians and ratios.")
public final class BenchmarkCommand implements Callable<Integer> {

    /** Identical for every server JVM: fixed, pre-touched heap, so heap and RSS deltas are comparable. */
    static final String SERVER_JVM = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC -Djava.net.preferIPv4Stack=true";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The command line this runs in (its error stream is where usage errors go), or a new one when called directly. */
    private CommandLine commandLine() {
        return spec != null ? spec.commandLine() : new CommandLine(this);
    }

    @Parameters(index = "0", paramLabel = "SCENARIO",
        description = "ws-handshake, ws-echo, h2c-upgrade, h2c-streams, relay-handshake, relay-echo, idle, idle-relay, or all (every one, echoes at 64 B and 16 KiB)")
    String scenario;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds of alternating runs (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", defaultValue = "3", description = "seconds of load before measuring (default ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(names = "--duration", defaultValue = "5", description = "measured seconds per run (default ${DEFAULT-VALUE})")
    double durationSeconds;

    @Option(names = "--concurrency", description = "connections at once (default: 64 for handshakes, 100 for echoes, 4 for h2c-streams; idle: handshakes in flight)")
    Integer concurrency;

    @Option(names = "--size", defaultValue = "64", description = "echo message bytes (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--streams", defaultValue = "32", description = "h2c-streams: streams in flight per connection (default ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--connections", defaultValue = "10000", description = "idle: connections held (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--max-ops", defaultValue = "0", description = "stop a run after this many measured operations (0: time only)")
    long maxOperations;

    @Option(names = "--targets", split = ",", defaultValue = "switchboard,jetty,netty",
        description = "targets, in the order of round 1; each later round starts with the next one (default ${DEFAULT-VALUE})")
    List<String> targets;

    @Option(names = "--jvm-warmup", defaultValue = "0", paramLabel = "SECONDS",
        description = "rate scenarios: start each target's server JVM once per scenario, give it SECONDS of load, then run every"
            + " round against it (short rounds interleave the targets finely, so that all see the machine alike); 0 (default):"
            + " a fresh server JVM for every run")
    double jvmWarmupSeconds;

    @Option(names = "--warm-up-curve", defaultValue = "0", paramLabel = "SECONDS",
        description = "instead of rates after a warm-up: each round starts a fresh server JVM per target and prints its operations"
            + " and CPU per operation in each of its first SECONDS seconds under load (what a restart under load looks like)")
    int warmUpCurveSeconds;

    @Option(names = "--server-jvm", defaultValue = SERVER_JVM, description = "flags of every server JVM (default: ${DEFAULT-VALUE})")
    String serverJvm;

    @Option(names = "--jetty-inline-selector-tasks",
        description = "experiment, both Jetty targets: run Jetty's per-connection accept and close tasks on the submitting thread"
            + " instead of a pool thread (InlineSelectorTasks; BENCHMARKS.md tells what it measured)")
    boolean inlineSelectorTasks;

    @Option(names = "--jfr", paramLabel = "DIR", description = "record a JFR profile (settings=profile) of every server run into DIR")
    Path jfr;

    @Option(names = "--logs", defaultValue = "target/bench-logs", description = "where the servers' standard error goes (default ${DEFAULT-VALUE})")
    Path logs;

    private final PrintStream out;

    BenchmarkCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchmarkCommand(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Target> order;
        try {
            order = targets.stream().map(Target::of).toList();
            if (!scenario.equals("all"))
                Scenario.of(scenario);
        } catch (IllegalArgumentException x) {
            // Before any server JVM starts: a typo is a usage error, with the names that would do.
            throw new CommandLine.ParameterException(commandLine(), x.getMessage());
        }
        out.println("# machine: " + Machine.describe());
        out.println("# server JVM flags: " + serverJvm + (inlineSelectorTasks ? " " + inlineSelectorTasksFlag() : "")
            + (jfr == null ? "" : " + JFR"));
        if (!checkConfigurations(order))
            return 1;
        if (warmUpCurveSeconds > 0)
            return warmUpCurves(Scenario.of(scenario), order) ? 0 : 1;
        List<Job> jobs = scenario.equals("all") ? allJobs() : List.of(new Job(Scenario.of(scenario), size));
        List<String> table = new ArrayList<>();
        List<String> cpuTable = new ArrayList<>();
        boolean allValid = true;
        for (Job job : jobs)
            allValid &= run(job, order, table, cpuTable);
        out.println();
        printTable(order, table);
        if (!cpuTable.isEmpty()) {
            out.println();
            out.println("Server CPU per operation (us/op, lower is better; ratios below 1 mean Switchboard spends less):");
            out.println();
            printTable(order, cpuTable);
        }
        if (!allValid)
            out.println("\nSome runs had errors: they are not results (see above) and are left out of the medians.");
        return allValid ? 0 : 1;
    }

    private void printTable(List<Target> order, List<String> rows) {
        List<Pair> pairs = pairs(order);
        boolean oneSubject = pairs.stream().map(Pair::subject).distinct().count() == 1;
        out.println("| scenario | unit | " + String.join(" | ", order.stream().map(t -> t.label() + " median").toList())
            + " | " + String.join(" | ", pairs.stream().map(Pair::label).toList())
            + " | " + String.join(" | ", pairs.stream()
                .map(p -> "round by round " + (oneSubject ? "" : p.subject().label() + " ") + "/ " + p.baseline().label()).toList()) + " |");
        out.println("|---|---|" + "---:|".repeat(order.size() + 2 * pairs.size()));
        rows.forEach(out::println);
    }

    /**
     * A ratio the command prints: {@code subject}'s value over {@code baseline}'s.
     *
     * @param subject  the sample or the library target
     * @param baseline a target declared after it in {@link Target}
     */
    record Pair(Target subject, Target baseline) {
        String label() {
            return subject.label() + " / " + baseline.label();
        }
    }

    /** Each subject among {@code order} over every target declared after it: sample / switchboard, sample / jetty, switchboard / jetty, … */
    static List<Pair> pairs(List<Target> order) {
        List<Pair> pairs = new ArrayList<>();
        for (Target subject : Target.values()) {
            if (!subject.subject() || !order.contains(subject))
                continue;
            for (Target baseline : order)
                if (baseline.ordinal() > subject.ordinal())
                    pairs.add(new Pair(subject, baseline));
        }
        return pairs;
    }

    /**
     * Asks every target's server JVM (and bare Jetty's, the reference) for its configuration and
     * prints where they differ; false, after saying so, when a difference is not declared intended
     * ({@link ConfigurationCheck}).
     */
    private boolean checkConfigurations(List<Target> order) {
        Map<Target, TargetConfiguration> configurations = new EnumMap<>(Target.class);
        List<Target> asked = new ArrayList<>(order);
        if (!asked.contains(ConfigurationCheck.REFERENCE))
            asked.add(ConfigurationCheck.REFERENCE);
        for (Target target : asked) {
            try (ForkedServer server = startServer(target, target.label() + "-configuration", false)) {
                configurations.put(target, server.configuration());
            } catch (IOException | RuntimeException x) {
                // The runs will say why it cannot start: measuring it is not possible either way.
                out.println("# configuration of " + target.label() + " unknown: " + x);
                return true;
            }
        }
        List<ConfigurationCheck.Finding> findings = ConfigurationCheck.check(configurations);
        out.println("# configuration differences from " + ConfigurationCheck.REFERENCE.label() + " (JVM, threads, connector, HTTP, buffers, limits): "
            + (findings.isEmpty() ? "none" : findings.size()));
        findings.forEach(finding -> out.println("#   " + finding));
        if (findings.stream().allMatch(finding -> finding.intended().isPresent()))
            return true;
        out.println("The targets' configurations differ where it is not intended (NOT INTENDED above): fix the target, or declare the"
            + " difference in ConfigurationCheck.INTENDED with its reason. Nothing was measured.");
        return false;
    }

    private List<Job> allJobs() {
        return List.of(new Job(Scenario.WS_HANDSHAKE, 64), new Job(Scenario.WS_ECHO, 64), new Job(Scenario.WS_ECHO, 16384),
            new Job(Scenario.H2C_UPGRADE, 64), new Job(Scenario.H2C_STREAMS, 64), new Job(Scenario.RELAY_HANDSHAKE, 64),
            new Job(Scenario.RELAY_ECHO, 64), new Job(Scenario.RELAY_ECHO, 16384), new Job(Scenario.IDLE, 64),
            new Job(Scenario.IDLE_RELAY, 64));
    }

    private boolean run(Job job, List<Target> order, List<String> table, List<String> cpuTable) throws IOException {
        Scenario.Settings settings = new Scenario.Settings(
            concurrency != null ? concurrency : job.scenario().defaultConcurrency(),
            Duration.ofMillis((long) (warmupSeconds * 1000)), Duration.ofMillis((long) (durationSeconds * 1000)),
            maxOperations, job.size(), streams, connections);
        String name = job.name();
        out.println();
        out.println("## " + name + " (" + job.scenario().unit() + ", " + (job.scenario().higherIsBetter() ? "higher" : "lower")
            + " is better), concurrency " + settings.concurrency() + ", " + rounds + " rounds");
        Map<Target, List<Measurement>> runs = new EnumMap<>(Target.class);
        boolean allValid;
        List<Target> serving = order.stream().filter(t -> t.serves(job.scenario())).toList();
        order.stream().filter(t -> !serving.contains(t)).forEach(t -> out.println(t.label() + " is not a target of " + name
            + " (see Target." + t.name() + ")"));
        Map<Target, ServerControl> shared = new EnumMap<>(Target.class);
        if (jvmWarmupSeconds > 0 && job.scenario().higherIsBetter())
            startShared(job, serving, settings, shared);
        Map<Target, CpuTimes> before = cpuAndJit(shared);
        try {
            allValid = rounds(job, serving, settings, shared, runs);
            printJit(before, cpuAndJit(shared));
        } finally {
            shared.values().forEach(ServerControl::close);
        }
        Map<Target, Double> medians = new EnumMap<>(Target.class);
        for (Target target : serving)
            medians.put(target, median(runs.get(target).stream().filter(Measurement::valid).mapToDouble(Measurement::value).toArray()));
        out.println("medians: " + String.join(", ", serving.stream().map(t -> t.label() + " " + format(medians.get(t))).toList()));
        if (job.scenario().higherIsBetter() == false) {
            for (Target target : serving) {
                double rss = median(runs.get(target).stream().filter(Measurement::valid).mapToDouble(Measurement::rssPerConnection).toArray());
                double threads = median(runs.get(target).stream().filter(Measurement::valid).mapToDouble(Measurement::threads).toArray());
                out.printf(Locale.ROOT, "  %-11s RSS %s B/conn, %s threads%n", target.label(), format(rss), format(threads));
            }
        }
        table.add(row(name, job.scenario().unit(), order, medians, pairedRatios(order, runs, Measurement::value, "")));
        if (job.scenario().higherIsBetter()) {
            Map<Target, Double> cpu = new EnumMap<>(Target.class);
            for (Target target : serving)
                cpu.put(target, median(runs.get(target).stream().filter(Measurement::valid)
                    .mapToDouble(Measurement::serverCpuMicrosPerOperation).filter(v -> !Double.isNaN(v)).toArray()));
            out.println("server CPU per operation, medians: "
                + String.join(", ", serving.stream().map(t -> t.label() + " " + format(cpu.get(t)) + " us").toList()));
            cpuTable.add(row(name, "server us/op", order, cpu, pairedRatios(order, runs, Measurement::serverCpuMicrosPerOperation, ", server CPU per op")));
        }
        return allValid;
    }

    /**
     * For each pair, the median over rounds of the subject's value divided by the baseline's in the
     * same round. The machine's speed drifts over a long set (a shared VM: ±15 % and more), and a
     * ratio of runs made seconds apart cancels most of that drift, which a ratio of the two medians
     * does not. The printed line says which metric it is with {@code of} (empty for the scenario's
     * own), so that the rate's and the CPU's lines can be told apart.
     */
    private Map<Pair, Double> pairedRatios(List<Target> order, Map<Target, List<Measurement>> runs,
                                           ToDoubleFunction<Measurement> metric, String of) {
        Map<Pair, Double> paired = new java.util.LinkedHashMap<>();
        for (Pair pair : pairs(order)) {
            List<Measurement> mine = runs.get(pair.subject());
            List<Measurement> theirs = runs.get(pair.baseline());
            if (mine == null || theirs == null)
                continue;
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < Math.min(mine.size(), theirs.size()); round++) {
                Measurement a = mine.get(round);
                Measurement b = theirs.get(round);
                double ratio = metric.applyAsDouble(a) / metric.applyAsDouble(b);
                if (a.valid() && b.valid() && Double.isFinite(ratio))
                    ratios.add(ratio);
            }
            double median = median(ratios.stream().mapToDouble(Double::doubleValue).toArray());
            paired.put(pair, median);
            out.printf(Locale.ROOT, "%s round by round%s: %s; median %s%n", pair.label(), of,
                String.join(" ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.3f", r)).toList()),
                Double.isNaN(median) ? "n/a" : String.format(Locale.ROOT, "%.3f", median));
        }
        return paired;
    }

    /** A table row: each target's median, then each pair's ratio, of the medians and round by round. */
    private static String row(String name, String unit, List<Target> order, Map<Target, Double> medians,
                              Map<Pair, Double> paired) {
        StringBuilder row = new StringBuilder("| " + name + " | " + unit + " | ");
        for (Target target : order)
            row.append(format(medians.getOrDefault(target, Double.NaN))).append(" | ");
        for (Pair pair : pairs(order)) {
            double mine = medians.getOrDefault(pair.subject(), Double.NaN);
            double theirs = medians.getOrDefault(pair.baseline(), Double.NaN);
            row.append(Double.isNaN(mine) || Double.isNaN(theirs) || theirs == 0
                ? "n/a" : String.format(Locale.ROOT, "%.3f", mine / theirs)).append(" | ");
        }
        for (Pair pair : pairs(order)) {
            Double ratio = paired.get(pair);
            row.append(ratio == null || Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.3f", ratio)).append(" | ");
        }
        return row.toString().trim();
    }

    /**
     * {@code --warm-up-curve}: each round, a fresh server JVM per target (order rotating as for
     * rates) under the scenario's load from its first second, operations and server CPU recorded
     * second by second; then the medians over rounds, per second, as a table.
     */
    private boolean warmUpCurves(Scenario scenario, List<Target> order) throws IOException {
        if (!scenario.higherIsBetter())
            throw new CommandLine.ParameterException(commandLine(), "--warm-up-curve needs a rate scenario, not " + scenario.label());
        List<Target> serving = order.stream().filter(t -> t.serves(scenario)).toList();
        int connections = concurrency != null ? concurrency : scenario.defaultConcurrency();
        Scenario.Settings settings = new Scenario.Settings(connections, Duration.ZERO, Duration.ofSeconds(warmUpCurveSeconds), 0, size,
            streams, this.connections);
        out.println();
        out.println("## warm-up curve: " + scenario.label() + " (" + scenario.unit() + " in each of the first " + warmUpCurveSeconds
            + " s of a fresh server JVM, the load on from its first second), concurrency " + connections + ", " + rounds + " rounds");
        Map<Target, List<WarmUpCurve>> curves = new EnumMap<>(Target.class);
        boolean allValid = true;
        for (int round = 1; round <= rounds; round++) {
            List<Target> thisRound = new ArrayList<>(serving);
            java.util.Collections.rotate(thisRound, -(round - 1));
            for (Target target : thisRound) {
                WarmUpCurve curve;
                try (ForkedServer server = startServer(target, target.label() + "-" + scenario.label() + "-curve-r" + round)) {
                    curve = LoadClient.curve(scenario.workload(target, settings), server.port(), connections, warmUpCurveSeconds,
                        server::cpuNanos);
                } catch (IOException | RuntimeException x) {
                    curve = new WarmUpCurve("run failed: " + x, new long[warmUpCurveSeconds], new long[warmUpCurveSeconds], 1,
                        List.of(x.toString()));
                }
                curves.computeIfAbsent(target, t -> new ArrayList<>()).add(curve);
                allValid &= curve.valid();
                out.printf(Locale.ROOT, "round %d  %-11s per second: %s%s%n", round, target.label(),
                    String.join(" ", Arrays.stream(curve.operations()).mapToObj(Long::toString).toList()),
                    curve.valid() ? "" : "  INVALID: " + curve.errors() + " errors " + curve.errorSamples());
                out.flush();
            }
        }
        out.println();
        out.println("| second | " + String.join(" | ", serving.stream().map(t -> t.label() + " " + scenario.unit()).toList()) + " | "
            + String.join(" | ", serving.stream().map(t -> t.label() + " us/op").toList()) + " |");
        out.println("|---:|" + "---:|".repeat(2 * serving.size()));
        for (int second = 0; second < warmUpCurveSeconds; second++) {
            int s = second;
            StringBuilder line = new StringBuilder("| " + (second + 1) + " | ");
            for (Target target : serving)
                line.append(format(median(valid(curves.get(target)).mapToDouble(c -> c.operations()[s]).toArray()))).append(" | ");
            for (Target target : serving)
                line.append(format(median(valid(curves.get(target)).mapToDouble(c -> c.serverCpuMicrosPerOperation(s))
                    .filter(v -> !Double.isNaN(v)).toArray()))).append(" | ");
            out.println(line.toString().trim());
        }
        out.println();
        for (int within : java.util.stream.IntStream.of(5, 10, warmUpCurveSeconds).distinct().toArray()) {
            if (within > warmUpCurveSeconds)
                continue;
            Map<Target, Double> sums = new EnumMap<>(Target.class);
            for (Target target : serving)
                sums.put(target, median(valid(curves.get(target)).mapToDouble(c -> c.operationsWithin(within)).toArray()));
            out.println("operations in the first " + within + " s, medians: "
                + String.join(", ", serving.stream().map(t -> t.label() + " " + format(sums.get(t))).toList())
                + String.join("", pairs(serving).stream().map(p -> String.format(Locale.ROOT, "; %s %.3f", p.label(),
                    sums.get(p.subject()) / sums.get(p.baseline()))).toList()));
        }
        if (!allValid)
            out.println("\nSome curves had errors: they are not results (see above) and are left out of the medians.");
        return allValid;
    }

    private static java.util.stream.Stream<WarmUpCurve> valid(List<WarmUpCurve> curves) {
        return curves.stream().filter(WarmUpCurve::valid);
    }

    /** Runs every round of {@code job}; returns whether all runs were valid. */
    private boolean rounds(Job job, List<Target> order, Scenario.Settings settings, Map<Target, ServerControl> shared,
                           Map<Target, List<Measurement>> runs) {
        boolean allValid = true;
        for (int round = 1; round <= rounds; round++) {
            // Each round starts with the next target, so that no target always runs first (or last)
            // after a server JVM of another has just released the CPU and its ports.
            List<Target> thisRound = new ArrayList<>(order);
            java.util.Collections.rotate(thisRound, -(round - 1));
            for (Target target : thisRound) {
                ServerControl server = shared.get(target);
                Measurement measurement = server == null ? once(job, target, round, settings) : measure(job, target, server, settings);
                runs.computeIfAbsent(target, t -> new ArrayList<>()).add(measurement);
                allValid &= measurement.valid();
                out.printf(Locale.ROOT, "round %d  %-11s %12.1f %s  %s%s%n", round, target.label(), measurement.value(),
                    job.scenario().unit(), measurement.detail(),
                    measurement.valid() ? "" : "  INVALID: " + measurement.errors() + " errors " + measurement.errorSamples());
                out.flush();
            }
        }
        return allValid;
    }

    /** A server's CPU time so far and, of it, its JIT compiler threads', in nanoseconds; -1 where unknown. */
    private record CpuTimes(long total, long jit) {
        boolean known() {
            return total >= 0 && jit >= 0;
        }
    }

    /** Each shared server's CPU times now. */
    private static Map<Target, CpuTimes> cpuAndJit(Map<Target, ServerControl> shared) {
        Map<Target, CpuTimes> now = new EnumMap<>(Target.class);
        shared.forEach((target, server) -> now.put(target, new CpuTimes(server.cpuNanos(), server.jitCpuNanos())));
        return now;
    }

    /**
     * How much of each warm server's CPU during the rounds went to its JIT compiler: more than a few
     * per cent means the server was still compiling, so its rounds measured warm-up, not steady state
     * (a longer {@code --jvm-warmup} is needed).
     */
    private void printJit(Map<Target, CpuTimes> before, Map<Target, CpuTimes> after) {
        if (before.isEmpty())
            return;
        List<String> parts = new ArrayList<>();
        before.forEach((target, start) -> {
            CpuTimes end = after.get(target);
            if (end == null || !start.known() || !end.known())
                return;
            long cpu = end.total() - start.total();
            long jit = end.jit() - start.jit();
            parts.add(String.format(Locale.ROOT, "%s %d ms of %d ms (%.1f %%)", target.label(), jit / 1_000_000, cpu / 1_000_000,
                cpu == 0 ? 0 : 100.0 * jit / cpu));
        });
        if (!parts.isEmpty())
            out.println("JIT compiler threads' CPU during the rounds, of the server's: " + String.join(", ", parts));
    }

    /** Starts one server JVM per target for all rounds of {@code job}, each warmed up with {@code --jvm-warmup} seconds of load. */
    private void startShared(Job job, List<Target> order, Scenario.Settings settings, Map<Target, ServerControl> shared) {
        Scenario.Settings warmup = new Scenario.Settings(settings.concurrency(), Duration.ofMillis((long) (jvmWarmupSeconds * 1000)),
            Duration.ofMillis(200), 0, settings.messageBytes(), settings.streamsInFlight(), settings.connections());
        for (Target target : order) {
            try {
                ForkedServer server = startServer(target, target.label() + "-" + job.name().replace(' ', '-') + "-shared");
                shared.put(target, server);
                Measurement warm = measure(job, target, server, warmup);
                out.printf(Locale.ROOT, "warm-up  %-11s %12.1f %s%s%n", target.label(), warm.value(), job.scenario().unit(),
                    warm.valid() ? "" : "  INVALID: " + warm.errorSamples());
            } catch (IOException | RuntimeException x) {
                out.println("warm-up  " + target.label() + " failed: " + x + "; its rounds run in fresh JVMs");
            }
        }
    }

    private static Measurement measure(Job job, Target target, ServerControl server, Scenario.Settings settings) {
        try {
            return job.scenario().measure(target, server, settings);
        } catch (IOException | RuntimeException x) {
            return Measurement.failed("run failed: " + x, 1, List.of(x.toString()));
        }
    }

    private Measurement once(Job job, Target target, int round, Scenario.Settings settings) {
        try (ForkedServer server = startServer(target, target.label() + "-" + job.name().replace(' ', '-') + "-r" + round)) {
            return job.scenario().measure(target, server, settings);
        } catch (IOException | RuntimeException x) {
            return Measurement.failed("run failed: " + x, 1, List.of(x.toString()));
        }
    }

    /** A server JVM with the flags of every run (and a JFR recording, if asked), its log and recording named {@code tag}. */
    private ForkedServer startServer(Target target, String tag) throws IOException {
        return startServer(target, tag, jfr != null);
    }

    private ForkedServer startServer(Target target, String tag, boolean record) throws IOException {
        List<String> flags = new ArrayList<>(Arrays.asList(serverJvm.trim().split("\\s+")));
        if (inlineSelectorTasks)
            flags.add(inlineSelectorTasksFlag());
        if (record) {
            Files.createDirectories(jfr);
            flags.add("-XX:StartFlightRecording=settings=profile,jdk.ExecutionSample#period=1ms,jdk.Compilation#threshold=0ms,filename=" + jfr.resolve(tag + ".jfr").toAbsolutePath());
        }
        return ForkedServer.start(target, flags, logs.resolve(tag + ".log"));
    }

    private static String inlineSelectorTasksFlag() {
        return "-D" + InlineSelectorTasks.PROPERTY + "=true";
    }

    static double median(double[] values) {
        if (values.length == 0)
            return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String format(double value) {
        if (Double.isNaN(value))
            return "n/a";
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }

    /** One scenario at one message size. */
    private record Job(Scenario scenario, int size) {
        String name() {
            boolean sized = scenario == Scenario.WS_ECHO || scenario == Scenario.RELAY_ECHO;
            return scenario.label() + (sized ? " " + (size % 1024 == 0 ? size / 1024 + "KiB" : size + "B") : "");
        }
    }
}
