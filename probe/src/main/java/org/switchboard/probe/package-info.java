/**
 * {@code switchboard-probe}: a checker of any HTTP/1.1 server's protocol upgrades against
 * Switchboard's RULES.md. {@link org.switchboard.probe.Probe} is the command; a
 * {@link org.switchboard.probe.Check} is one rule tried against a {@link org.switchboard.probe.Target}
 * and answers with a {@link org.switchboard.probe.Verdict}.
 */
package org.switchboard.probe;
