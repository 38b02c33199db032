package org.switchboard.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.switchboard.UpgradePolicy;

/**
 * Upgrade policies by request path, in the language of {@link PathSpecs}; a path no route matches
 * gets the fallback policy. Immutable: the {@code with…} methods return copies.
 */
public final class UpgradeRoutes {

    /** Every path optional, any protocol. */
    public static final UpgradeRoutes DEFAULT = new UpgradeRoutes(Map.of(), UpgradePolicy.OPTIONAL_ANY);

    private final Map<String, UpgradePolicy> bySpec;
    private final UpgradePolicy fallback;
    private final PathMappings<UpgradePolicy> mappings = new PathMappings<>();

    private UpgradeRoutes(Map<String, UpgradePolicy> bySpec, UpgradePolicy fallback) {
        this.bySpec = Map.copyOf(bySpec);
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        bySpec.forEach((spec, policy) -> mappings.put(PathSpecs.parse(spec), policy));
    }

    /** The policy for {@code path} (the path in context, without query). */
    public UpgradePolicy policyFor(String path) {
        if (bySpec.isEmpty())
            return fallback;
        MatchedResource<UpgradePolicy> match = mappings.getMatched(path);
        return match == null ? fallback : match.getResource();
    }

    /**
     * A copy with {@code spec} mapped to {@code policy}, replacing the spec's earlier policy.
     *
     * @throws IllegalArgumentException if {@code spec} is not a path spec ({@link PathSpecs})
     */
    public UpgradeRoutes with(String spec, UpgradePolicy policy) {
        PathSpecs.parse(spec);
        Map<String, UpgradePolicy> copy = new LinkedHashMap<>(bySpec);
        copy.put(spec, Objects.requireNonNull(policy, "policy"));
        return new UpgradeRoutes(copy, fallback);
    }

    /** A copy whose unmatched paths get {@code policy}. */
    public UpgradeRoutes withFallback(UpgradePolicy policy) {
        return new UpgradeRoutes(bySpec, policy);
    }
}
