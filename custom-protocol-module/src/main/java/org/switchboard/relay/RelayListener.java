package org.switchboard.relay;

import java.nio.ByteBuffer;

/**
 * The application side of relay connections: what the server (or a {@link RelayClient}) calls as
 * things happen on a {@link RelaySession}. One listener may serve many sessions; for one session
 * the calls never overlap and come in order. Callbacks run on the connection's I/O thread: they
 * must not block (sending is fine, it never blocks on the server). An exception thrown from a
 * callback closes the session with {@link CloseCode#INTERNAL_ERROR}.
 */
public interface RelayListener {

    /**
     * The session is up; sending is possible from now on.
     *
     * @param session the session
     */
    default void onOpen(RelaySession session) {
    }

    /**
     * A TEXT message arrived. In relay/2 it is acknowledged to the peer once this method returns.
     *
     * @param session the session
     * @param text    the message, decoded from UTF-8
     */
    default void onText(RelaySession session, String text) {
    }

    /**
     * A BINARY message arrived; {@code data} is read-only and valid only during the call (copy what you keep).
     *
     * @param session the session
     * @param data    the message, between position and limit
     */
    default void onBinary(RelaySession session, ByteBuffer data) {
    }

    /**
     * relay/2 only: the peer has processed the first {@code acknowledged} messages this side sent
     * in this session (a running total, PROTOCOL.md "ACK").
     *
     * @param session      the session
     * @param acknowledged how many messages, counted from the session's first
     */
    default void onAcknowledged(RelaySession session, long acknowledged) {
    }

    /**
     * The session is over: called once, with the code of the first CLOSE frame sent or received,
     * or {@link CloseCode#ABNORMAL} if the connection ended without one.
     *
     * @param session the session
     * @param code    the close code ({@link CloseCode})
     * @param reason  the CLOSE frame's reason, at most 123 UTF-8 bytes; empty if none
     */
    default void onClose(RelaySession session, int code, String reason) {
    }
}
