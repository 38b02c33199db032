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

    /**
     * Whether {@code code} may be in a CLOSE frame — the one table both ends use, for what they
     * send and for what they accept (PROTOCOL.md, "Close codes"): the codes listed there (1000,
     * 1001, 1002, 1009, 1011, 4001, 4002) and the application range 3000–3999. Everything else —
     * RFC 6455 codes relay does not use (1003–1005, 1007, 1008, 1010…), 1006, relay's unassigned
     * 4000 and 4003–4099, 4100 and up — is a protocol error when received (answered with
     * {@link #PROTOCOL_ERROR}, never echoed) and refused when an application tries to send it.
     *
     * @param code a close code
     * @return true if a CLOSE frame may carry it
     */
    public static boolean isValid(int code) {
        return switch (code) {
            case NORMAL, GOING_AWAY, PROTOCOL_ERROR, TOO_BIG, INTERNAL_ERROR, SLOW_CONSUMER, IDLE_TIMEOUT -> true;
            default -> code >= 3000 && code <= 3999;
        };
    }
}
