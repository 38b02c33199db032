package org.switchboard.probe.internal;

import java.io.IOException;
import java.io.InterruptedIOException;

import org.switchboard.probe.Check;
import org.switchboard.probe.Target;
import org.switchboard.probe.Verdict;

/**
 * A {@link Check} made of an id, a name and a body that opens its connections through
 * {@link CheckConnections}: a connection refused, closed or silent past the timeout becomes a FAIL
 * with a one-line message, and the check never outlasts the target's timeout.
 */
record RuleCheck(String id, String name, Body body) implements Check {

    /** What the check does, on connections to {@code target} opened by {@code connections}. */
    @FunctionalInterface
    public interface Body {
        Verdict run(Target target, CheckConnections connections) throws IOException;
    }

    @Override
    public Verdict run(Target target) {
        CheckConnections connections = new CheckConnections(target);
        try {
            return body.run(target, connections);
        } catch (IOException e) {
            String message = Bytes.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), 600);
            // Once the deadline has closed the sockets, a read fails with "Socket closed": say why instead,
            // unless the client's own timeout (which quotes what arrived) got there first.
            if (connections.expired() && !(e instanceof InterruptedIOException))
                return Verdict.fail("no verdict within the timeout of " + target.timeout().toMillis() + " ms");
            return Verdict.fail(message);
        } catch (RuntimeException e) {
            return Verdict.fail("probe error: " + Bytes.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage(), 600));
        } finally {
            connections.close();
        }
    }
}
