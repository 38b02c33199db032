package org.switchboard.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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

    /** An HTTP/1.1 {@code GET target} to {@code host} with {@code fields} ({@code "Name: value"} each), as bytes to send. */
    static ByteBuffer upgradeRequest(String target, String host, String... fields) {
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        for (String field : fields)
            request.append(field).append("\r\n");
        return ByteBuffer.wrap(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Whether the server closing the connection now is expected (after a close handshake). */
    default boolean endOfStreamExpected() {
        return false;
    }
}
