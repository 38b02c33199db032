package org.switchboard;

import java.util.List;
import java.util.Locale;

/**
 * What a route does with upgrades (SB3).
 *
 * <ul>
 *   <li>{@link Requirement#OPTIONAL}: if no handler accepts (and none rejects) the request is served
 *       by the application as if {@code Upgrade} were absent (U7), usually {@code 200}.</li>
 *   <li>{@link Requirement#REQUIRED}: the route serves only upgraded connections; anything else gets
 *       {@code 426 Upgrade Required} with {@code Upgrade:} listing the route's protocols in the
 *       server's order of preference and {@code Connection: Upgrade} (U8).</li>
 * </ul>
 *
 * @param requirement whether upgrading is optional or required
 * @param protocols   the protocols that may be switched to on this route, lower-cased; empty for every registered one
 */
public record UpgradePolicy(Requirement requirement, List<String> protocols) {

    /** Optional upgrade to any registered protocol: the policy of routes nobody configured. */
    public static final UpgradePolicy OPTIONAL_ANY = new UpgradePolicy(Requirement.OPTIONAL, List.of());

    public UpgradePolicy {
        protocols = protocols.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    /** Upgrading is optional; only {@code protocols} (all registered ones if none given) may be switched to. */
    public static UpgradePolicy optional(String... protocols) {
        return new UpgradePolicy(Requirement.OPTIONAL, List.of(protocols));
    }

    /** Upgrading to one of {@code protocols} (all registered ones if none given) is required. */
    public static UpgradePolicy required(String... protocols) {
        return new UpgradePolicy(Requirement.REQUIRED, List.of(protocols));
    }

    /** Whether {@code protocol} may be switched to on this route. */
    public boolean allows(String protocol) {
        return protocols.isEmpty() || protocols.contains(protocol.toLowerCase(Locale.ROOT));
    }

    public boolean isRequired() {
        return requirement == Requirement.REQUIRED;
    }

    /** Whether a route may be served without an upgrade. */
    public enum Requirement {
        OPTIONAL, REQUIRED
    }
}
