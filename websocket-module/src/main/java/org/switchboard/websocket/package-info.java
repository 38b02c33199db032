/**
 * The {@code websocket} protocol for Switchboard (RFC 6455) on Jetty's WebSocket server.
 *
 * <p>{@link org.switchboard.websocket.WebSocketProtocolHandler} is the handler: it maps
 * {@link org.switchboard.websocket.WebSocketEndpoint}s by path, checks the opening handshake
 * (W1–W7) and hands accepted connections to Jetty, which does the framing. Application code is
 * Jetty's WebSocket API. {@link org.switchboard.websocket.WebSocketProvider} makes the
 * handler discoverable, with endpoints from {@link org.switchboard.websocket.WebSocketEndpoints}.
 */
package org.switchboard.websocket;
