package org.switchboard.examples;

/**
 * The room's engine cannot be reached or did not answer in time ({@code redis: down}, a command
 * timeout): the operation did not happen. Its message is one line for a client (a {@code 503}'s
 * reason, an error message to a member); it carries no stack trace, being an expected state, not a bug.
 */
public final class RoomUnavailableException extends RuntimeException {

    /** @param reason one line, e.g. {@code redis: down (Connection refused)} */
    public RoomUnavailableException(String reason) {
        super(reason, null, false, false);
    }

    /**
     * The one-line reason a stage of the room failed with: an unavailable engine's reason, else
     * {@code internal error} (the cause is a bug, logged where it happened, never shown to a client).
     */
    public static String reasonOf(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.util.concurrent.ExecutionException)
            && cause.getCause() != null)
            cause = cause.getCause();
        return cause instanceof RoomUnavailableException ? cause.getMessage() : "internal error";
    }
}
