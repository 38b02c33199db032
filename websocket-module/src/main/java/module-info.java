/**
 * WebSocket (RFC 6455, and RFC 8441 over HTTP/2) as a Switchboard protocol, on Jetty's WebSocket
 * server. Provides the {@code websocket} handler to {@link java.util.ServiceLoader}; endpoints found
 * the same way come from {@code WebSocketEndpoints}.
 */
module org.switchboard.websocket {
    requires transitive org.switchboard.core;
    requires transitive org.eclipse.jetty.websocket.server;
    requires org.eclipse.jetty.websocket.common;
    requires org.eclipse.jetty.websocket.core.common;

    exports org.switchboard.websocket;

    uses org.switchboard.websocket.WebSocketEndpoints;
    provides org.switchboard.spi.ProtocolHandlerProvider with org.switchboard.websocket.WebSocketProvider;
}
