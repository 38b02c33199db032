package org.switchboard.relay;

import java.net.ProtocolException;

/**
 * A peer broke the protocol: the connection is closed with {@link #code()} (PROTOCOL.md, "Protocol
 * errors"). A {@link ProtocolException}, as core's frame reader reports a refused header. Thrown per
 * bad frame from untrusted input, so it carries no stack trace.
 */
final class RelayProtocolException extends ProtocolException {

    private final int code;

    RelayProtocolException(int code, String reason) {
        super(reason);
        this.code = code;
    }

    int code() {
        return code;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
