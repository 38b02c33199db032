package org.switchboard.relay;

/**
 * The close codes of the relay protocol (PROTOCOL.md, "Close codes"): the 2-byte code a CLOSE
 * frame carries and {@link RelayListener#onClose} reports. The numbers follow RFC 6455 §7.4 where
 * the meaning is the same (rule W8's 1000/1001/1009), so that people who know WebSocket read them
 * right; relay's own codes are in 4000–4099. Applications may use 3000–3999.
 */
public final class CloseCode {

    /** The session is over, as agreed. */
    public static final int NORMAL = 1000;
    /** The server is shutting down (graceful shutdown). */
    public static final int GOING_AWAY = 1001;
    /** A frame broke the specification: garbage, unknown type, bad payload, truncated frame, bad UTF-8. */
    public static final int PROTOCOL_ERROR = 1002;
    /** Never on the wire: reported locally when the connection ended without a CLOSE frame. */
    public static final int ABNORMAL = 1006;
    /** A frame's length is over the receiver's maximum message size. */
    public static final int TOO_BIG = 1009;
    /** The receiving application failed while handling a message. */
    public static final int INTERNAL_ERROR = 1011;
    /** The peer reads too slowly: the sender's bounded outbound queue is full. */
    public static final int SLOW_CONSUMER = 4001;
    /** Nothing arrived for two idle timeouts, the second one after a PING. */
    public static final int IDLE_TIMEOUT = 4002;

    private CloseCode() {
    }

    /** Whether {@code code} may be sent in a CLOSE frame: 1000–1011 except 1006, or 3000–4999. */
    public static boolean isValid(int code) {
        return (code >= 1000 && code <= 1011 && code != ABNORMAL) || (code >= 3000 && code <= 4999);
    }
}
