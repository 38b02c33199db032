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
     * A TEXT message arrived. In relay/2 it is acknowledged to the peer once this method returns,
     * unless the server runs in deferred-acknowledge mode ({@link RelayConfig#deferredAcknowledge()}),
     * where {@link RelaySession#acknowledge(long)} does it with {@link RelaySession#received()}.
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
     * in this session (a running total, PROTOCOL.md "ACK"; a resumed session's total goes on from
     * before).
     *
     * @param session      the session
     * @param acknowledged how many messages, counted from the session's first
     */
    default void onAcknowledged(RelaySession session, long acknowledged) {
    }

    /**
     * {@link RelayClient} with resume ({@link RelayClient.Builder#resume}) only: the connection was
     * lost (or the server went away with CLOSE 1001) and a new one is up. {@code resumed} says
     * whether the server carried the session on (PROTOCOL.md, "Resume"): then messages continue with
     * no gap and no duplicate, the server's replay coming next; if not, this is a fresh session
     * (new token, ids from 1, nothing replayed) and the messages the old server had not
     * acknowledged are sent again in it, after this call returns — at-least-once, since the old
     * server may have handled some of them without its ACK arriving. Called on the client's reading
     * thread, before any message of the new connection.
     *
     * @param session the session, the same object as before the reconnection
     * @param resumed whether the server resumed the session
     * @param reason  why it did not resume (the server's {@code reason}, or that it offers no
     *                resume); empty when resumed
     */
    default void onResumed(RelaySession session, boolean resumed, String reason) {
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
