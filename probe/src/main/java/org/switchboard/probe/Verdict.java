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

    /**
     * A verdict, its detail made one line (CR and LF become spaces; {@code null} becomes empty).
     *
     * @param result PASS, FAIL or SKIP, not null
     * @param detail what was seen
     */
    public Verdict {
        Objects.requireNonNull(result, "result");
        detail = detail == null ? "" : detail.replace('\r', ' ').replace('\n', ' ');
    }

    /**
     * The server keeps the rule.
     *
     * @param detail what was seen, one line
     * @return a PASS
     */
    public static Verdict pass(String detail) {
        return new Verdict(Result.PASS, detail);
    }

    /**
     * The server breaks the rule.
     *
     * @param detail what shows it, with the response head quoted, one line
     * @return a FAIL
     */
    public static Verdict fail(String detail) {
        return new Verdict(Result.FAIL, detail);
    }

    /**
     * The check did not run.
     *
     * @param reason the option it needs, or why it cannot apply
     * @return a SKIP
     */
    public static Verdict skip(String reason) {
        return new Verdict(Result.SKIP, reason);
    }
}
