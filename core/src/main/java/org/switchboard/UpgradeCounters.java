package org.switchboard;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The default {@link UpgradeMetrics}: lock-free counters in memory. */
public final class UpgradeCounters implements UpgradeMetrics {

    private final Map<String, Map<Outcome, LongAdder>> outcomes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> open = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> rejections = new ConcurrentHashMap<>();

    @Override
    public void record(String protocol, Outcome outcome, String reason) {
        outcomes.computeIfAbsent(protocol, p -> {
            Map<Outcome, LongAdder> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values())
                byOutcome.put(o, new LongAdder());
            return byOutcome;
        }).get(outcome).increment();
        if (outcome == Outcome.UPGRADED)
            open.computeIfAbsent(protocol, p -> new LongAdder()).increment();
        if (reason != null)
            rejections.computeIfAbsent(protocol, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    @Override
    public void closed(String protocol) {
        open.computeIfAbsent(protocol, p -> new LongAdder()).decrement();
    }

    @Override
    public Snapshot snapshot() {
        Map<String, Map<Outcome, Long>> counts = new HashMap<>();
        outcomes.forEach((protocol, byOutcome) -> {
            Map<Outcome, Long> copy = new EnumMap<>(Outcome.class);
            byOutcome.forEach((o, n) -> copy.put(o, n.sum()));
            counts.put(protocol, Map.copyOf(copy));
        });
        Map<String, Long> openNow = new HashMap<>();
        open.forEach((protocol, n) -> openNow.put(protocol, n.sum()));
        Map<String, Map<String, Long>> reasons = new HashMap<>();
        rejections.forEach((protocol, byReason) -> {
            Map<String, Long> copy = new HashMap<>();
            byReason.forEach((r, n) -> copy.put(r, n.sum()));
            reasons.put(protocol, Map.copyOf(copy));
        });
        return new Snapshot(counts, openNow, reasons);
    }
}
