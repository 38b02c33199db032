package org.switchboard.probe;

import java.util.Objects;

/**
 * A check's verdict on the target.
 *
 * @param result PASS, FAIL or SKIP
 * @param detail one line: what was seen (for a FAIL, the response head that proves it, escaped
 *               and bounded) or, for a SKIP, the option or condition missing
 */
public record Verdict(Result result, String detail) {

    public Verdict {
        Objects.requireNonNull(result, "result");
        detail = detail == null ? "" : detail.replace('\r', ' ').replace('\n', ' ');
    }

    /** A PASS with what was seen. */
    public static Verdict pass(String detail) {
        return new Verdict(Result.PASS, detail);
    }

    /** A FAIL with what shows it. */
    public static Verdict fail(String detail) {
        return new Verdict(Result.FAIL, detail);
    }

    /** A SKIP with the reason. */
    public static Verdict skip(String reason) {
        return new Verdict(Result.SKIP, reason);
    }
}
