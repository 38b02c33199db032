package org.switchboard.probe;

/**
 * One check of the probe: a rule of Switchboard's RULES.md (or the RFC behind it) tried against the
 * target over fresh connections. A check never throws: a connection that fails, times out or gets
 * an unreadable answer is a {@link Result#FAIL} with a one-line reason.
 */
public interface Check {

    /**
     * The rule the check proves.
     *
     * @return the rule's id as in RULES.md: {@code U4}, {@code W2}, {@code H1}, {@code SB3}; several
     *         checks may prove one rule
     */
    String id();

    /**
     * What the check sends and what passes.
     *
     * @return one line, unique among the checks: {@code unsupported Sec-WebSocket-Version (8) → 426 with Sec-WebSocket-Version: 13}
     */
    String name();

    /**
     * Runs the check against {@code target} on connections of its own, within the target's timeout.
     *
     * @param target the server and the options given
     * @return the verdict; SKIP when an option the check needs is missing. Never throws
     */
    Verdict run(Target target);
}
