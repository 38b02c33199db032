package org.switchboard.relay;

/**
 * A peer broke the protocol: the connection is closed with {@link #code()} (PROTOCOL.md, "Protocol
 * errors"). Thrown per bad frame from untrusted input, so it carries no stack trace.
 */
final class RelayProtocolException extends Exception {

    private final int code;

    RelayProtocolException(int code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }
}
