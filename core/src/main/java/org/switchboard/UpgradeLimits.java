package org.switchboard;

/**
 * Bounds on what a client may put in its upgrade headers (rule SB5). A request over a bound is
 * answered {@code 400} with a reason naming the bound; it never reaches a handler.
 *
 * @param maxUpgradeLength the most characters all {@code Upgrade} lines may hold together
 * @param maxOffers        the most elements (empty ones included) the {@code Upgrade} list may hold
 * @param maxBodyBytes     the most request-body bytes the dispatcher buffers to upgrade a request
 *                         that has a body (U10); a larger body is never upgraded, and reaches the
 *                         application intact on HTTP/1.1
 */
public record UpgradeLimits(int maxUpgradeLength, int maxOffers, int maxBodyBytes) {

    /** 1024 characters, 16 elements, 64 KiB of body. */
    public static final UpgradeLimits DEFAULT = new UpgradeLimits(1024, 16, 64 * 1024);

    /**
     * Checks the bounds.
     *
     * @param maxUpgradeLength characters of all {@code Upgrade} lines together, at least 1
     * @param maxOffers        elements of the {@code Upgrade} list, at least 1
     * @param maxBodyBytes     request-body bytes buffered before a switch, 0 or more (0: a request
     *                         with a body is never upgraded)
     * @throws IllegalArgumentException if a bound is below its minimum
     */
    public UpgradeLimits {
        if (maxUpgradeLength < 1 || maxOffers < 1 || maxBodyBytes < 0)
            throw new IllegalArgumentException("limits must be positive: " + maxUpgradeLength + ", " + maxOffers + ", " + maxBodyBytes);
    }
}
