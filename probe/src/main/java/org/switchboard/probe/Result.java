package org.switchboard.probe;

/** What a check found. */
public enum Result {
    /** The server behaves as the rule demands. */
    PASS,
    /** The server breaks the rule; the detail quotes the bytes that show it. */
    FAIL,
    /** Not checked: an option the check needs was not given, or the check cannot apply; the detail says which. */
    SKIP
}
