package org.switchboard;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The default {@link UpgradeMetrics}: lock-free counters in memory. Its maps grow only with the
 * bounded keys {@link UpgradeMetrics} describes: registered protocols, {@code none}, {@code other}
 * and HTTP status codes.
 */
public final class UpgradeCounters implements UpgradeMetrics {

    private final Map<String, Map<Outcome, LongAdder>> outcomes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> open = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, LongAdder>> rejections = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> faults = new ConcurrentHashMap<>();

    @Override
    public void record(String protocol, Outcome outcome, int status) {
        outcomes.computeIfAbsent(protocol, p -> {
            Map<Outcome, LongAdder> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values())
                byOutcome.put(o, new LongAdder());
            return byOutcome;
        }).get(outcome).increment();
        if (outcome == Outcome.REJECTED || outcome == Outcome.BAD_REQUEST)
            rejections.computeIfAbsent(protocol, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    @Override
    public void opened(String protocol) {
        open.computeIfAbsent(protocol, p -> new LongAdder()).increment();
    }

    @Override
    public void closed(String protocol) {
        open.computeIfAbsent(protocol, p -> new LongAdder()).decrement();
    }

    @Override
    public void handlerFault(String protocol) {
        faults.computeIfAbsent(protocol, p -> new LongAdder()).increment();
    }

    @Override
    public Snapshot snapshot() {
        Map<String, Map<Outcome, Long>> counts = new HashMap<>();
        outcomes.forEach((protocol, byOutcome) -> {
            Map<Outcome, Long> copy = new EnumMap<>(Outcome.class);
            byOutcome.forEach((o, n) -> copy.put(o, n.sum()));
            counts.put(protocol, Map.copyOf(copy));
        });
        Map<String, Map<Integer, Long>> byStatus = new HashMap<>();
        rejections.forEach((protocol, counters) -> byStatus.put(protocol, sums(counters)));
        return new Snapshot(counts, sums(open), byStatus, sums(faults));
    }

    private static <K> Map<K, Long> sums(Map<K, LongAdder> counters) {
        Map<K, Long> copy = new HashMap<>();
        counters.forEach((key, n) -> copy.put(key, n.sum()));
        return Map.copyOf(copy);
    }
}
