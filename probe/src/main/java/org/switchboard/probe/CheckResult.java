package org.switchboard.probe;

/**
 * A check's outcome as reported (table, {@code --json}, {@code --junit}).
 *
 * @param id     the rule id ({@link Check#id()})
 * @param name   the check's name ({@link Check#name()})
 * @param result PASS, FAIL or SKIP
 * @param detail the verdict's one-line detail
 */
public record CheckResult(String id, String name, Result result, String detail) {

    /**
     * The result to report.
     *
     * @param check   the check that ran
     * @param verdict its verdict
     * @return the check's id and name with the verdict's result and detail
     */
    public static CheckResult of(Check check, Verdict verdict) {
        return new CheckResult(check.id(), check.name(), verdict.result(), verdict.detail());
    }
}
