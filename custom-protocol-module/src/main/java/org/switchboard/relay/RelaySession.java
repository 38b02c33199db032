package org.switchboard.relay;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One relay connection, as the application sees it: on the server, each upgraded client; on the
 * client, the {@link RelayClient} itself. Thread-safe: any thread may send at any time, also from
 * inside a {@link RelayListener} callback (the protocol is full-duplex, PROTOCOL.md).
 */
public interface RelaySession {

    /**
     * The protocol version in effect: 1 or 2 (the {@code Upgrade} token of the 101 was {@code relay/<version>}).
     *
     * @return 1 or 2
     */
    int version();

    /**
     * The largest message, in bytes, the peer announced it accepts ({@code Relay-Max-Message-Size},
     * PROTOCOL.md "Limits"): {@link #sendText} and {@link #sendBinary} refuse anything bigger. An
     * application with a message too big for this peer decides what happens, visibly — e.g. closes
     * the session with {@link CloseCode#TOO_BIG} and a reason, as the sample room does.
     *
     * @return the peer's maximum, in bytes; 65,536 if it announced none
     */
    int peerMaxMessageSize();

    /**
     * Sends a TEXT message. On the server this never blocks: the frame is queued, and a peer that
     * does not read fast enough is disconnected with {@link CloseCode#SLOW_CONSUMER} when the
     * queue is full. {@link RelayClient} writes before returning.
     *
     * @param text the message
     * @return {@code true} if the message was queued or written, {@code false} if the session is closing or closed
     * @throws IllegalArgumentException if its UTF-8 form is over the peer's maximum message size
     */
    boolean sendText(String text);

    /**
     * As {@link #sendText}, for a BINARY message: the bytes between {@code data}'s position and limit, which are left as they were.
     *
     * @param data the message
     * @return {@code true} if the message was queued or written, {@code false} if the session is closing or closed
     * @throws IllegalArgumentException if it is over the peer's maximum message size
     */
    boolean sendBinary(ByteBuffer data);

    /**
     * Starts the closing handshake: sends CLOSE with {@code code} and {@code reason} (cut to 123
     * UTF-8 bytes), then waits for the peer's CLOSE. Does nothing if the session is already closing.
     *
     * @param code {@link CloseCode#NORMAL} or an application code in 3000–3999 (any code
     *             {@link CloseCode#isValid} allows)
     * @param reason why, for the peer; cut to 123 UTF-8 bytes
     * @throws IllegalArgumentException if {@link CloseCode#isValid} does not allow {@code code}
     */
    void close(int code, String reason);

    /**
     * Whether messages can still be sent: no CLOSE has been sent or received and the connection is up.
     *
     * @return true while the session is open
     */
    boolean isOpen();

    /**
     * The peer's address.
     *
     * @return the remote socket address
     */
    SocketAddress remoteAddress();

    /**
     * relay/2 with resume (PROTOCOL.md, "Resume"): the token that names this session, which a
     * client presents in {@code Relay-Resume} to carry on over a new connection. On the server, set
     * for every relay/2 session of a handler with a {@link RelayResumption}; in {@link RelayClient},
     * the last {@code Relay-Session} the server gave (a session that was not resumed gets a new one).
     *
     * @return the token, 128 bits or more in URL-safe base64; {@code null} if the session cannot be resumed
     */
    String sessionToken();

    /**
     * Whether this session carries on one that an earlier connection had: on the server, whether
     * the client's {@code Relay-Resume} was answered {@code Relay-Resumed: yes}; in
     * {@link RelayClient}, whether the last reconnection resumed.
     *
     * @return true if resumed
     */
    boolean resumed();

    /**
     * How many of this side's messages the peer had handled when the session resumed — the
     * {@code received=<n>} of the client's {@code Relay-Resume} on the server. The server's
     * application replays its messages from {@code n + 1}, before anything live; they get ids
     * {@code n + 1}, {@code n + 2}, … (modulo 2^32). 0 for a session that did not resume.
     *
     * @return {@code n}, 0 or more
     */
    long peerReceivedAtResume();

    /**
     * How many of the peer's messages this side has received in the session, counted from the
     * session's first (across resumptions: a resumed session starts from the {@code m} of its
     * {@code Relay-Resumed}). Inside {@link RelayListener#onText} and {@link RelayListener#onBinary}
     * it is the count of the message being delivered, which a deferred-acknowledging application
     * passes to {@link #acknowledge(long)}.
     *
     * @return the number of messages received, 0 or more
     */
    long received();

    /**
     * How many messages this side has sent in the session, counted from its first (across
     * resumptions); the last one's id is this count modulo 2^32 in relay/2.
     *
     * @return the number of messages sent, 0 or more
     */
    long sent();

    /**
     * relay/2 in deferred-acknowledge mode ({@link RelayConfig#deferredAcknowledge()}): acknowledges
     * the peer's first {@code count} messages (PROTOCOL.md, "ACK": cumulative), once the
     * application has durably handled them. Repeating the last count does nothing; the ACK is
     * dropped if the session is no longer open. Any thread.
     *
     * @param count how many of the peer's messages are handled, from the last count acknowledged up to {@link #received()}
     * @throws IllegalStateException    if the session is not relay/2 in deferred-acknowledge mode
     * @throws IllegalArgumentException if {@code count} is below the last count acknowledged or above {@link #received()}
     */
    void acknowledge(long count);
}
