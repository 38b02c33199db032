package org.switchboard.probe.internal;

import java.io.IOException;

import org.switchboard.probe.Check;
import org.switchboard.probe.Target;
import org.switchboard.probe.Verdict;

/**
 * A {@link Check} made of an id, a name and a body that may fail with an {@link IOException}: a
 * connection refused, closed or silent past the timeout becomes a FAIL with its one-line message.
 */
public record RuleCheck(String id, String name, Body body) implements Check {

    /** What the check does. */
    @FunctionalInterface
    public interface Body {
        Verdict run(Target target) throws IOException;
    }

    @Override
    public Verdict run(Target target) {
        try {
            return body.run(target);
        } catch (IOException e) {
            return Verdict.fail(Bytes.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), 600));
        } catch (RuntimeException e) {
            return Verdict.fail("probe error: " + Bytes.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage(), 600));
        }
    }
}
