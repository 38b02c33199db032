package org.switchboard.internal;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.switchboard.UpgradePolicy;

/**
 * Upgrade policies by request path: an exact path wins over a prefix, a longer prefix over a
 * shorter one, and a path no route matches gets {@link #fallback()}.
 *
 * @param exact    policies by exact path
 * @param prefixes policies by path prefix, longest first
 * @param fallback the policy of paths no route matches
 */
public record UpgradeRoutes(Map<String, UpgradePolicy> exact, List<Prefix> prefixes, UpgradePolicy fallback) {

    /** Every path optional, any protocol. */
    public static final UpgradeRoutes DEFAULT = new UpgradeRoutes(Map.of(), List.of(), UpgradePolicy.OPTIONAL_ANY);

    public UpgradeRoutes {
        exact = Map.copyOf(exact);
        prefixes = prefixes.stream().sorted(Comparator.comparingInt((Prefix p) -> p.prefix().length()).reversed()).toList();
        Objects.requireNonNull(fallback, "fallback");
    }

    /** The policy for {@code path} (the path in context, without query). */
    public UpgradePolicy policyFor(String path) {
        UpgradePolicy policy = exact.get(path);
        if (policy != null)
            return policy;
        for (Prefix prefix : prefixes)
            if (path.startsWith(prefix.prefix()))
                return prefix.policy();
        return fallback;
    }

    /** A copy with {@code path} mapped exactly to {@code policy}. */
    public UpgradeRoutes withExact(String path, UpgradePolicy policy) {
        Map<String, UpgradePolicy> copy = new LinkedHashMap<>(exact);
        copy.put(path, policy);
        return new UpgradeRoutes(copy, prefixes, fallback);
    }

    /** A copy with every path starting with {@code prefix} mapped to {@code policy}. */
    public UpgradeRoutes withPrefix(String prefix, UpgradePolicy policy) {
        List<Prefix> copy = new java.util.ArrayList<>(prefixes);
        copy.removeIf(p -> p.prefix().equals(prefix));
        copy.add(new Prefix(prefix, policy));
        return new UpgradeRoutes(exact, copy, fallback);
    }

    /** A copy whose unmatched paths get {@code policy}. */
    public UpgradeRoutes withFallback(UpgradePolicy policy) {
        return new UpgradeRoutes(exact, prefixes, policy);
    }

    /** A prefix route. */
    public record Prefix(String prefix, UpgradePolicy policy) {
        public Prefix {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(policy, "policy");
        }
    }
}
