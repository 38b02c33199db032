package org.switchboard.benchmarks;

import java.nio.ByteBuffer;

/**
 * What one client connection says and expects, as a state machine driven by the {@link LoadClient}'s
 * single event-loop thread. Anything unexpected is a {@link ProtocolViolation}.
 */
interface Conversation {

    /** The connection is established: send the upgrade request. */
    void start(Wire wire);

    /**
     * Bytes arrived: {@code in} is in read mode; consume every complete unit and leave an incomplete
     * one in place (position at its start).
     */
    void received(ByteBuffer in, Wire wire) throws ProtocolViolation;

    /** Whether the server closing the connection now is expected (after a close handshake). */
    default boolean endOfStreamExpected() {
        return false;
    }
}
