package org.switchboard.probe.internal;

import java.util.ArrayList;
import java.util.List;

import org.switchboard.probe.Check;
import org.switchboard.probe.Target;

/** Every check of the probe, in the order they run and are reported. */
public final class Checklist {

    private Checklist() {}

    /**
     * The checks for a target.
     *
     * @param target the target, whose {@code --upgrade}s each add a group of checks
     * @return generic U and SB checks, WebSocket's, h2c's, the preference order's, one group per {@code --upgrade}, then
     *         extended CONNECT's
     */
    public static List<Check> checks(Target target) {
        List<Check> checks = new ArrayList<>(UpgradeChecks.generic());
        checks.addAll(WebSocketChecks.all());
        checks.addAll(H2cChecks.all());
        checks.addAll(OrderChecks.all());
        checks.addAll(UpgradeChecks.tokens(target));
        checks.addAll(ExtendedConnectChecks.all(target));
        return List.copyOf(checks);
    }
}
