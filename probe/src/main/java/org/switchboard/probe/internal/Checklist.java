package org.switchboard.probe.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.probe.Check;
import org.switchboard.probe.Target;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.ReadLimits;

/** Every check of the probe, in the order they run and are reported. */
public final class Checklist {

    private Checklist() {}

    /**
     * The first contact, before any check: connects, and unless {@code warmUp} is zero sends a plain
     * {@code GET} on the URL's path and waits for its response head, so that a cold server (class
     * loading, JIT, thread pools) has served one request before the first check's {@code --timeout}
     * starts. What the answer is does not matter here: the checks judge the server.
     *
     * @param target the target
     * @param warmUp how long the connect and the warm-up request may take together; at least the target's timeout is allowed
     *               for the connect
     * @throws IOException if the target cannot be connected to
     */
    public static void firstContact(Target target, Duration warmUp) throws IOException {
        Duration bound = warmUp.compareTo(target.timeout()) > 0 ? warmUp : target.timeout();
        try (RawUpgradeClient client = RawUpgradeClient.connect(target.address(), new ReadLimits(bound, 16 * 1024, 1024 * 1024))) {
            if (warmUp.isZero())
                return;
            try {
                client.send(RawRequest.get(target, target.path()).bytes());
                client.readHead();
            } catch (IOException e) {
                // a server that does not answer a plain GET in time is for the checks to report
            }
        }
    }

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
