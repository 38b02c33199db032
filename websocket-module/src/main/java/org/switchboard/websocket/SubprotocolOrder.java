package org.switchboard.websocket;

/**
 * Whose preference picks the {@code Sec-WebSocket-Protocol} when the client offers several that the
 * endpoint speaks (rule W6). Either way the value echoed is one the client offered, or none.
 */
public enum SubprotocolOrder {
    /** The first of the endpoint's subprotocols, in the order it lists them, that the client offered. */
    SERVER_PREFERENCE,
    /** The first of the client's offers, in the order it sent them, that the endpoint speaks. */
    CLIENT_PREFERENCE
}
