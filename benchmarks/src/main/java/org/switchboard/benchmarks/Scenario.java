package org.switchboard.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The load scenarios of issue 7, each run the same way against every {@link Target}. The relay
 * scenarios run relay/1 on Switchboard and, as the baseline they must beat, WebSocket on Jetty and
 * Netty (neither speaks relay).
 */
public enum Scenario {
    /** Connect, RFC 6455 upgrade with a random key, check the accept, one masked 64 B echo, close handshake. */
    WS_HANDSHAKE("handshakes/s", true, 64),
    /** Long-lived WebSocket connections, request/response echo of {@code --size} bytes. */
    WS_ECHO("msgs/s", true, 100),
    /** Connect, {@code Upgrade: h2c}, SETTINGS first, stream 1's {@code 200}, close. */
    H2C_UPGRADE("upgrades/s", true, 64),
    /** GET streams over upgraded h2c connections, {@code --streams} in flight on each. */
    H2C_STREAMS("streams/s", true, 4),
    /** As {@link #WS_HANDSHAKE} with relay/1 on Switchboard (WebSocket on the baselines). */
    RELAY_HANDSHAKE("upgrades/s", true, 64),
    /** As {@link #WS_ECHO} with relay/1 on Switchboard (WebSocket on the baselines). */
    RELAY_ECHO("msgs/s", true, 100),
    /** Hold {@code --connections} upgraded WebSocket connections; server heap per connection. */
    IDLE("heap B/conn", false, 64),
    /** As {@link #IDLE} with relay/1 connections on Switchboard (WebSocket on the baselines). */
    IDLE_RELAY("heap B/conn", false, 64);

    private final String unit;
    private final boolean higherIsBetter;
    private final int defaultConcurrency;

    Scenario(String unit, boolean higherIsBetter, int defaultConcurrency) {
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.defaultConcurrency = defaultConcurrency;
    }

    /** The name on the command line: {@code ws-handshake}, {@code idle-relay}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses {@link #label()}.
     *
     * @throws IllegalArgumentException naming every scenario, for a label that is none
     */
    public static Scenario of(String label) {
        String name = label.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Scenario scenario : values())
            if (scenario.name().equals(name))
                return scenario;
        throw new IllegalArgumentException("no scenario " + label + ": one of "
            + Arrays.stream(values()).map(Scenario::label).collect(Collectors.joining(", ")) + ", or all");
    }

    public String unit() {
        return unit;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Concurrent connections when {@code --concurrency} is not given (for idle: handshakes in flight). */
    public int defaultConcurrency() {
        return defaultConcurrency;
    }

    /**
     * How a run is bounded and shaped.
     *
     * @param concurrency     connections at once (idle: handshakes in flight)
     * @param warmup          run before measuring
     * @param duration        the measured window
     * @param maxOperations   stop once this many are measured; 0 for no bound
     * @param messageBytes    echo message size
     * @param streamsInFlight h2c-streams: requests in flight per connection
     * @param connections     idle: connections held
     */
    public record Settings(int concurrency, Duration warmup, Duration duration, long maxOperations,
                           int messageBytes, int streamsInFlight, int connections) {
    }

    Workload workload(Target target, Settings settings) {
        boolean relay = target == Target.SWITCHBOARD;
        return switch (this) {
            case WS_HANDSHAKE -> Workload.webSocket(Mode.ONE_SHOT, 64);
            case WS_ECHO -> Workload.webSocket(Mode.LOOP, settings.messageBytes());
            case H2C_UPGRADE -> Workload.h2c(Mode.ONE_SHOT, 0);
            case H2C_STREAMS -> Workload.h2c(Mode.LOOP, settings.streamsInFlight());
            case RELAY_HANDSHAKE -> relay ? Workload.relay(Mode.ONE_SHOT, 64) : Workload.webSocket(Mode.ONE_SHOT, 64);
            case RELAY_ECHO -> relay ? Workload.relay(Mode.LOOP, settings.messageBytes()) : Workload.webSocket(Mode.LOOP, settings.messageBytes());
            case IDLE -> Workload.webSocket(Mode.IDLE, 64);
            case IDLE_RELAY -> relay ? Workload.relay(Mode.IDLE, 64) : Workload.webSocket(Mode.IDLE, 64);
        };
    }

    /** Runs this scenario once against {@code server}, a {@code target}. */
    Measurement measure(Target target, ServerControl server, Settings settings) throws IOException {
        Workload workload = workload(target, settings);
        if (workload.mode() != Mode.IDLE) {
            LoadResult result = LoadClient.run(workload, server.port(), settings.concurrency(), settings.warmup(),
                settings.duration(), settings.maxOperations(), server::cpuNanos);
            String detail = String.format(Locale.ROOT, "%s: %d ops in %.2f s, %d upgrades, server CPU %.1f us/op", result.workload(),
                result.operations(), result.seconds(), result.upgrades(), result.serverCpuMicrosPerOperation());
            return new Measurement(result.rate(), detail, 0, 0, result.errors(), result.errorSamples(),
                result.serverCpuMicrosPerOperation());
        }
        ServerMain.ServerStats before = server.stats();
        int count = settings.connections();
        Duration timeout = settings.warmup().plus(settings.duration()).plus(Duration.ofSeconds(60));
        try (LoadClient held = LoadClient.hold(workload, server.port(), count, settings.concurrency(), timeout)) {
            if (held.errors() > 0 || held.upgrades() < count)
                return Measurement.failed(workload.description() + ": " + held.upgrades() + " of " + count + " held",
                    held.errors(), held.errorSamples());
            ServerMain.ServerStats after = server.stats();
            double heap = (after.heapBytes() - before.heapBytes()) / (double) count;
            double rss = (after.rssBytes() - before.rssBytes()) / (double) count;
            String detail = String.format(Locale.ROOT, "%s: %d connections, heap %.0f B/conn, RSS %.0f B/conn, threads %d",
                workload.description(), count, heap, rss, after.threads());
            // Heap that shrank while connections were added is noise, not a result: keep it visibly wrong (≤ 0).
            return new Measurement(heap, detail, rss, after.threads(), 0, List.of(), Double.NaN);
        }
    }
}
