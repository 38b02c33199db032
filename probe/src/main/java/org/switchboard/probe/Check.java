package org.switchboard.probe;

/**
 * One check of the probe: a rule of Switchboard's RULES.md (or the RFC behind it) tried against the
 * target over fresh connections. A check never throws: a connection that fails, times out or gets
 * an unreadable answer is a {@link Result#FAIL} with a one-line reason.
 */
public interface Check {

    /** The rule id the check proves, as in RULES.md: {@code U4}, {@code W2}, {@code H1}, {@code SB3}. */
    String id();

    /** What the check sends and what passes, in one line: {@code unsupported Sec-WebSocket-Version → 426 with Sec-WebSocket-Version: 13}. */
    String name();

    /** Runs the check against {@code target}, within the target's timeout. */
    Verdict run(Target target);
}
