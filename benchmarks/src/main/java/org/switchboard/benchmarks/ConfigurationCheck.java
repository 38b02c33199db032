package org.switchboard.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The targets must differ only in what the comparison is about. This compares every target's
 * {@link TargetConfiguration} with bare Jetty's (the reference) and sorts each difference into
 * intended — declared below, with the reason — or not; the command refuses to measure when one is
 * not ({@code BenchmarkCommand}), and {@code ConfigurationCheckTest} keeps the declarations exactly
 * the differences there are.
 */
final class ConfigurationCheck {

    /** The target every other is compared with. */
    static final Target REFERENCE = Target.JETTY;

    /**
     * A difference that is part of what a target is.
     *
     * @param target the target that differs from {@link #REFERENCE}
     * @param keys   the settings it may differ in (a regular expression over the whole key)
     * @param reason why, in a few words
     */
    record Intended(Target target, Pattern keys, String reason) {
        Intended(Target target, String keys, String reason) {
            this(target, Pattern.compile(keys), reason);
        }

        boolean covers(TargetConfiguration.Difference difference) {
            return difference.target() == target && keys.matcher(difference.key()).matches();
        }
    }

    private static final String NON_BLOCKING = "bare Jetty's WebSocketUpgradeHandler, as WebSocketUpgradeHandler.from builds it, is"
        + " BLOCKING (a dynamic wrapper), which makes the whole server so: Jetty then runs every request, each HTTP/2 stream's"
        + " included, on a thread of its own; Switchboard's dispatcher takes the application's invocation type and runs a"
        + " blocking protocol handler off the I/O thread itself";
    private static final String ALT_SVC = "bare Jetty gives its HTTP/1.1 HttpConfiguration to HTTP2CServerConnectionFactory,"
        + " which adds Jetty's AltSvcCustomizer to it (a no-op for HTTP/1.1 requests); Switchboard's h2c copies the configuration";
    private static final String LIMITS = "Switchboard.install applies ServerLimits.DEFAULT: the request head deadline (slowloris)"
        + " and 10,000 connections at most";

    /** Every declared difference; anything else is a mistake in the set-up of a target. */
    static final List<Intended> INTENDED = List.of(
        new Intended(Target.SWITCHBOARD, "connector0\\.http\\.customizers", ALT_SVC),
        new Intended(Target.SWITCHBOARD, "connector0\\.http\\.listeners|connector0\\.listeners|server\\.connectionLimit", LIMITS),
        new Intended(Target.SAMPLE, "connector0\\.http\\.customizers", ALT_SVC),
        new Intended(Target.SAMPLE, "connector0\\.http\\.listeners|connector0\\.listeners|server\\.connectionLimit",
            LIMITS + ", and the sample's 256 connections per address (--max-connections-per-address)"),
        new Intended(Target.SAMPLE, "buffers\\.maxRetained(Heap|Direct)",
            "the sample bounds what the buffer pool keeps (--max-retained-buffer-mib, 64 MiB each) where Jetty keeps up to an eighth of the heap"),
        new Intended(Target.SAMPLE, "connector0\\.(http|h2c)\\.sendDateHeader",
            "the sample sends Date, as RFC 9110 §6.6.1 has an origin server with a clock do (Jetty formats it once a second);"
                + " the benchmark targets leave it out as Netty does"),
        new Intended(Target.SWITCHBOARD, "server\\.invocationType", NON_BLOCKING),
        new Intended(Target.SAMPLE, "server\\.invocationType", NON_BLOCKING),
        new Intended(Target.NETTY, "threads\\.(pool|max)", "Netty runs connections on its event loops (1 acceptor + 2 × cores), not a pool"));

    private ConfigurationCheck() {
    }

    /**
     * One difference and, if declared, why.
     *
     * @param difference the setting and both values
     * @param intended   the declaration that covers it, if any
     */
    record Finding(TargetConfiguration.Difference difference, Optional<Intended> intended) {
        @Override
        public String toString() {
            return difference + intended.map(i -> "  (intended: " + i.reason() + ")").orElse("  NOT INTENDED");
        }
    }

    /** Every difference of each target from {@link #REFERENCE}'s configuration, which must be in {@code configurations}. */
    static List<Finding> check(Map<Target, TargetConfiguration> configurations) {
        TargetConfiguration reference = configurations.get(REFERENCE);
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<Target, TargetConfiguration> entry : configurations.entrySet()) {
            Target target = entry.getKey();
            if (target == REFERENCE)
                continue;
            boolean bothJetty = target != Target.NETTY;
            for (TargetConfiguration.Difference difference : TargetConfiguration.differences(reference, target, entry.getValue(), bothJetty))
                findings.add(new Finding(difference, INTENDED.stream().filter(i -> i.covers(difference)).findFirst()));
        }
        return findings;
    }
}
