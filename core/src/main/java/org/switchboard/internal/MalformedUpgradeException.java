package org.switchboard.internal;

/**
 * The upgrade headers break a limit (SB5): the dispatcher answers {@link #status()} with
 * {@link #getMessage()} as the reason, and the connection goes on serving other requests.
 */
public final class MalformedUpgradeException extends RuntimeException {

    private final int status;

    public MalformedUpgradeException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** The HTTP status to answer with: 400. */
    public int status() {
        return status;
    }
}
