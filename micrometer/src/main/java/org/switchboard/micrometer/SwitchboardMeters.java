package org.switchboard.micrometer;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.switchboard.Negotiation;
import org.switchboard.NegotiationListener;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeCounters;
import org.switchboard.UpgradeMetrics;

/**
 * Switchboard's upgrade metrics (SB6) as Micrometer meters in a {@link MeterRegistry}. One object
 * is both the server's {@link UpgradeMetrics} and a {@link NegotiationListener} (for the
 * negotiation time); install it with one call:
 *
 * <pre>{@code
 * Switchboard switchboard = SwitchboardMeters.bind(registry)
 *     .installOn(Switchboard.builder())      // metrics(meters).listener(meters)
 *     .handler(...)
 *     .build();
 * }</pre>
 *
 * <p>The meters (names in Micrometer's dotted form, then as the Prometheus registry writes them):
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type, unit</th><th>tags</th><th>Prometheus</th></tr>
 *   <tr><td>{@value #REQUESTS}</td><td>counter, requests</td><td>{@code protocol}, {@code outcome}, {@code status}</td>
 *       <td>{@code switchboard_upgrade_requests_total}</td></tr>
 *   <tr><td>{@value #OPEN_CONNECTIONS}</td><td>gauge, connections</td><td>{@code protocol}</td>
 *       <td>{@code switchboard_upgrade_open_connections}</td></tr>
 *   <tr><td>{@value #HANDLER_FAULTS}</td><td>counter, offers</td><td>{@code protocol}</td>
 *       <td>{@code switchboard_upgrade_handler_faults_total}</td></tr>
 *   <tr><td>{@value #NEGOTIATION}</td><td>timer, seconds (recorded in nanoseconds)</td><td>{@code protocol}, {@code outcome}</td>
 *       <td>{@code switchboard_upgrade_negotiation_seconds_count}, {@code _sum}, {@code _max}</td></tr>
 * </table>
 *
 * <p>Tag values, each bounded so that no client can grow the registry:
 * <ul>
 *   <li>{@code protocol}: a registered handler's protocol, {@code none} or {@code other}
 *       ({@link UpgradeMetrics#NONE}, {@link UpgradeMetrics#OTHER}) — never a name a client sent;</li>
 *   <li>{@code outcome}: {@code upgraded}, {@code rejected}, {@code fallback}, {@code upgrade_required},
 *       {@code bad_request} (the {@link UpgradeMetrics.Outcome}s, lower-cased);</li>
 *   <li>{@code status}: the status Switchboard answered ({@code 101}, {@code 426}, a rejection's or a bad
 *       request's 4xx/5xx), {@code 0} for a fallback, whose status the application chooses. Never a reason.</li>
 * </ul>
 * A series appears when its first request (or, for the gauge, its first upgraded connection) is
 * counted, and stays. The timer measures from the moment the request head was parsed to the decision,
 * a request body read before the switch included ({@link Negotiation#durationNanos()}); to publish
 * histogram buckets or percentiles for it, configure a {@code MeterFilter} on the registry as for any
 * Micrometer timer.
 *
 * <p>{@link #snapshot()} keeps working as with the default metrics — {@code /health} pages that read
 * it need no change — because every count also goes to an {@link UpgradeCounters} this object
 * decorates. Meters are looked up once per key and kept: counting a request allocates nothing once
 * its series exists. Thread-safe.
 *
 * <p>Several servers binding the same registry share the counters and timers of equal tags; give each
 * its own tags ({@link #bind(MeterRegistry, Iterable)}, e.g. {@code server=public}) or the gauge of the
 * second one is not registered (the registry keeps the first gauge of a name and tags).
 */
public final class SwitchboardMeters implements UpgradeMetrics, NegotiationListener {

    /** Counter of upgrade requests by {@code protocol}, {@code outcome} and {@code status}. */
    public static final String REQUESTS = "switchboard.upgrade.requests";
    /** Gauge of the connections switched to {@code protocol} and open now. */
    public static final String OPEN_CONNECTIONS = "switchboard.upgrade.open.connections";
    /** Counter of offers {@code protocol}'s handler answered against its contract (threw, returned null, accepted another protocol). */
    public static final String HANDLER_FAULTS = "switchboard.upgrade.handler.faults";
    /** Timer of the negotiation, from the request head parsed to the decision, by {@code protocol} and {@code outcome}. */
    public static final String NEGOTIATION = "switchboard.upgrade.negotiation";

    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final String[] OUTCOME_TAGS = Arrays.stream(OUTCOMES).map(o -> o.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    private final MeterRegistry registry;
    private final Tags tags;
    private final UpgradeMetrics counts = new UpgradeCounters();
    private final Map<String, ProtocolMeters> byProtocol = new ConcurrentHashMap<>();

    private SwitchboardMeters(MeterRegistry registry, Tags tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = tags;
    }

    /**
     * Meters in {@code registry} with no tags beyond those the class description lists.
     *
     * @param registry where the meters are registered, each the first time it is needed
     * @return the metrics and listener to install on a builder ({@link #installOn})
     */
    public static SwitchboardMeters bind(MeterRegistry registry) {
        return new SwitchboardMeters(registry, Tags.empty());
    }

    /**
     * As {@link #bind(MeterRegistry)}, every meter also carrying {@code tags} — to tell apart several
     * servers in one registry. Their values are the application's, so bounded by it.
     *
     * @param registry where the meters are registered
     * @param tags     added to every meter; none may be named {@code protocol}, {@code outcome} or {@code status}
     * @return the metrics and listener to install on a builder ({@link #installOn})
     */
    public static SwitchboardMeters bind(MeterRegistry registry, Iterable<Tag> tags) {
        return new SwitchboardMeters(registry, Tags.of(tags));
    }

    /**
     * Makes this the metrics and a negotiation listener of {@code builder}: the same as
     * {@code builder.metrics(this).listener(this)}.
     *
     * @param builder the builder of the server to count
     * @return {@code builder}, to go on configuring it
     */
    public Switchboard.Builder installOn(Switchboard.Builder builder) {
        return builder.metrics(this).listener(this);
    }

    @Override
    public void record(String protocol, Outcome outcome, int status) {
        counts.record(protocol, outcome, status);
        meters(protocol).requests(outcome, status).increment();
    }

    @Override
    public void opened(String protocol) {
        counts.opened(protocol);
        meters(protocol).open().incrementAndGet();
    }

    @Override
    public void closed(String protocol) {
        counts.closed(protocol);
        meters(protocol).open().decrementAndGet();
    }

    @Override
    public void handlerFault(String protocol) {
        counts.handlerFault(protocol);
        meters(protocol).faults().increment();
    }

    @Override
    public Snapshot snapshot() {
        return counts.snapshot();
    }

    /** Times {@code negotiation}: its {@link Negotiation#durationNanos()}, under its protocol and outcome. */
    @Override
    public void negotiated(Negotiation negotiation) {
        meters(negotiation.protocol()).negotiation(negotiation.outcome()).record(negotiation.durationNanos(), TimeUnit.NANOSECONDS);
    }

    private ProtocolMeters meters(String protocol) {
        ProtocolMeters meters = byProtocol.get(protocol);
        return meters != null ? meters : byProtocol.computeIfAbsent(protocol, ProtocolMeters::new);
    }

    /**
     * One protocol key's meters, each registered the first time it is needed. Two threads may
     * build the same meter at once: the registry returns the one it already has, so both hold it.
     */
    private final class ProtocolMeters {

        private final Tags protocolTags;
        /** Per outcome, the counters of the statuses seen so far: a few, so scanned, never boxed. */
        private final AtomicReferenceArray<StatusCounter[]> requests = new AtomicReferenceArray<>(OUTCOMES.length);
        private final AtomicReferenceArray<Timer> negotiation = new AtomicReferenceArray<>(OUTCOMES.length);
        private final AtomicLong open = new AtomicLong();
        private volatile boolean openRegistered;
        private volatile Counter faults;

        ProtocolMeters(String protocol) {
            this.protocolTags = tags.and("protocol", protocol);
        }

        Counter requests(Outcome outcome, int status) {
            int slot = outcome.ordinal();
            while (true) {
                StatusCounter[] seen = requests.get(slot);
                if (seen != null) {
                    for (StatusCounter known : seen)
                        if (known.status() == status)
                            return known.counter();
                }
                Counter counter = Counter.builder(REQUESTS)
                    .description("Upgrade requests by protocol, outcome and answered status (0: served by the application)")
                    .baseUnit("requests")
                    .tags(protocolTags)
                    .tag("outcome", OUTCOME_TAGS[slot])
                    .tag("status", Integer.toString(status))
                    .register(registry);
                StatusCounter[] more = seen == null ? new StatusCounter[1] : Arrays.copyOf(seen, seen.length + 1);
                more[more.length - 1] = new StatusCounter(status, counter);
                if (requests.compareAndSet(slot, seen, more))
                    return counter;
            }
        }

        Timer negotiation(Outcome outcome) {
            int slot = outcome.ordinal();
            Timer timer = negotiation.get(slot);
            if (timer == null) {
                timer = Timer.builder(NEGOTIATION)
                    .description("Time from the upgrade request's head parsed to the decision, a request body read before the switch included")
                    .tags(protocolTags)
                    .tag("outcome", OUTCOME_TAGS[slot])
                    .register(registry);
                negotiation.set(slot, timer);
            }
            return timer;
        }

        AtomicLong open() {
            if (!openRegistered) {
                Gauge.builder(OPEN_CONNECTIONS, open, AtomicLong::get)
                    .description("Connections switched to the protocol and open now")
                    .baseUnit("connections")
                    .tags(protocolTags)
                    .strongReference(true)
                    .register(registry);
                openRegistered = true;
            }
            return open;
        }

        Counter faults() {
            Counter counter = faults;
            if (counter == null) {
                counter = Counter.builder(HANDLER_FAULTS)
                    .description("Offers the protocol's handler answered against its contract; each was treated as declined")
                    .tags(protocolTags)
                    .register(registry);
                faults = counter;
            }
            return counter;
        }
    }

    private record StatusCounter(int status, Counter counter) {
    }
}
