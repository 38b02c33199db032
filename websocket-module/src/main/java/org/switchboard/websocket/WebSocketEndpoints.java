package org.switchboard.websocket;

import java.util.List;

/**
 * Endpoints a jar contributes to the discovered WebSocket handler: list the implementation in
 * {@code META-INF/services/org.switchboard.websocket.WebSocketEndpoints} and
 * {@code Switchboard.builder().discoverHandlers()} serves its endpoints with no code.
 * Instantiated by {@link java.util.ServiceLoader} with its no-argument constructor.
 */
public interface WebSocketEndpoints {

    /**
     * The endpoints to serve.
     *
     * @return the endpoints, each at a path no other endpoint uses; read once, when the handler is discovered
     */
    List<WebSocketEndpoint> endpoints();
}
