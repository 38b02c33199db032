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
}
