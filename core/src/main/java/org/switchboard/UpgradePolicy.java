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

    /**
     * Lower-cases the protocols (names compare without regard to case, U1).
     *
     * @param requirement whether upgrading is optional or required
     * @param protocols   the protocols allowed on the route; empty for every registered one
     */
    public UpgradePolicy {
        protocols = protocols.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * Upgrading is optional; only {@code protocols} (all registered ones if none given) may be switched to.
     *
     * @param protocols protocol names, compared without regard to case; none for every registered one
     * @return a policy with {@link Requirement#OPTIONAL}
     */
    public static UpgradePolicy optional(String... protocols) {
        return new UpgradePolicy(Requirement.OPTIONAL, List.of(protocols));
    }

    /**
     * Upgrading to one of {@code protocols} (all registered ones if none given) is required.
     *
     * @param protocols protocol names, compared without regard to case; none for every registered one
     * @return a policy with {@link Requirement#REQUIRED}
     */
    public static UpgradePolicy required(String... protocols) {
        return new UpgradePolicy(Requirement.REQUIRED, List.of(protocols));
    }

    /**
     * Whether {@code protocol} may be switched to on this route.
     *
     * @param protocol a protocol name, compared without regard to case
     * @return true if the policy lists it or lists none
     */
    public boolean allows(String protocol) {
        return protocols.isEmpty() || protocols.contains(protocol.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the route serves only upgraded connections.
     *
     * @return true for {@link Requirement#REQUIRED}
     */
    public boolean isRequired() {
        return requirement == Requirement.REQUIRED;
    }

    /** Whether a route may be served without an upgrade. */
    public enum Requirement {
        /** A request that is not switched is served by the application (U7). */
        OPTIONAL,
        /** A request that is not switched gets {@code 426 Upgrade Required} (U8). */
        REQUIRED
    }
}
