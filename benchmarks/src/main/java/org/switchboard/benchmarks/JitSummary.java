package org.switchboard.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a server's JIT compiled, and when, from a JFR recording made with {@code run.sh ... --jfr DIR}:
 * the {@code jdk.Compilation} events (every one at the {@code profile} settings' 100 ms threshold or
 * above is recorded; {@code --jfr} lowers it to 0), counted and timed per second of the recording and per
 * code origin (Switchboard, Jetty, Guice, Micrometer, Jackson, the JDK, other), C1 (tiers 1–3) apart
 * from C2 (tier 4). It answers "what does a fresh JVM spend its first seconds compiling", which an
 * execution profile cannot: the compiler threads run no Java code.
 *
 * <p>Usage: {@code benchmarks/run.sh jit FILE.jfr [SECONDS]}: the first {@code SECONDS} (default 60)
 * from the first compilation.
 */
public final class JitSummary {

    /** Code origins by package prefix, checked in order; the first that matches names the origin. */
    private static final List<Map.Entry<String, String>> ORIGINS = List.of(
        Map.entry("org.switchboard.examples", "sample"),
        Map.entry("org.switchboard.benchmarks", "benchmark target"),
        Map.entry("org.switchboard", "switchboard"),
        Map.entry("org.eclipse.jetty.websocket", "jetty websocket"),
        Map.entry("org.eclipse.jetty.http2", "jetty http2"),
        Map.entry("org.eclipse.jetty", "jetty"),
        Map.entry("com.google.inject", "guice"),
        Map.entry("io.micrometer", "micrometer"),
        Map.entry("com.fasterxml.jackson", "jackson"),
        Map.entry("io.netty", "netty"),
        Map.entry("ch.qos.logback", "logging"),
        Map.entry("org.slf4j", "logging"),
        Map.entry("java.", "jdk"),
        Map.entry("javax.", "jdk"),
        Map.entry("jdk.", "jdk"),
        Map.entry("sun.", "jdk"));

    private JitSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args.length > 2) {
            System.err.println("usage: benchmarks/run.sh jit FILE.jfr [SECONDS]   (a recording made with run.sh ... --jfr DIR; SECONDS: 60)");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 60;
        List<RecordedEvent> compilations = RecordingFile.readAllEvents(file).stream()
            .filter(e -> e.getEventType().getName().equals("jdk.Compilation"))
            .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime()))
            .toList();
        if (compilations.isEmpty()) {
            System.out.println(file.getFileName() + ": no jdk.Compilation events (record with run.sh --jfr)");
            return;
        }
        Instant start = compilations.get(0).getStartTime();
        Map<String, long[]> byOrigin = new TreeMap<>();     // origin -> {C1 count, C1 µs, C2 count, C2 µs, C2 bytes}
        long[][] bySecond = new long[(int) seconds][4];     // second -> {C1 count, C1 µs, C2 count, C2 µs}
        for (RecordedEvent event : compilations) {
            long second = Duration.between(start, event.getStartTime()).toSeconds();
            if (second >= seconds)
                break;
            int tier = event.getInt("compileLevel");
            long micros = event.getDuration().toNanos() / 1_000;
            int c = tier == 4 ? 2 : 0;
            RecordedMethod method = event.getValue("method");
            long[] origin = byOrigin.computeIfAbsent(origin(method.getType().getName()), k -> new long[5]);
            origin[c]++;
            origin[c + 1] += micros;
            if (tier == 4)
                origin[4] += event.getLong("codeSize");
            bySecond[(int) second][c]++;
            bySecond[(int) second][c + 1] += micros;
        }
        System.out.printf(Locale.ROOT, "%s: compilations in the first %d s%n", file.getFileName(), seconds);
        System.out.println("| origin | C1 compilations | C1 ms | C2 compilations | C2 ms | C2 code KiB |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        long[] sum = new long[5];
        byOrigin.entrySet().stream()
            .sorted((a, b) -> Long.compare(b.getValue()[1] + b.getValue()[3], a.getValue()[1] + a.getValue()[3]))
            .forEach(e -> {
                long[] v = e.getValue();
                for (int i = 0; i < 5; i++)
                    sum[i] += v[i];
                row(e.getKey(), v);
            });
        row("**all**", sum);
        System.out.println();
        System.out.println("| second | C1 compilations | C1 ms | C2 compilations | C2 ms |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int s = 0; s < seconds; s++) {
            long[] v = bySecond[s];
            System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %d | %.0f |%n", s + 1, v[0], v[1] / 1000.0, v[2], v[3] / 1000.0);
        }
    }

    private static void row(String name, long[] v) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %d | %.0f | %.0f |%n", name, v[0], v[1] / 1000.0, v[2], v[3] / 1000.0, v[4] / 1024.0);
    }

    private static String origin(String type) {
        for (Map.Entry<String, String> origin : ORIGINS)
            if (type.startsWith(origin.getKey()))
                return origin.getValue();
        return "other";
    }
}
