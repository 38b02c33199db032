package org.switchboard.websocket;

import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WebSocketSessionListener;

/**
 * Applies each endpoint's {@link WebSocketLimits} to its sessions. Jetty's container has one
 * configuration for all endpoints; a session listener is the public hook that runs for every new
 * session, annotated or listener-style, after the endpoint's own {@code @WebSocket} settings and
 * before any frame is read.
 */
final class SessionLimits implements WebSocketSessionListener {

    private final PathMappings<WebSocketEndpoint> mappings;

    SessionLimits(PathMappings<WebSocketEndpoint> mappings) {
        this.mappings = mappings;
    }

    @Override
    public void onWebSocketSessionCreated(Session session) {
        MatchedResource<WebSocketEndpoint> match = mappings.getMatched(session.getUpgradeRequest().getRequestURI().getPath());
        if (match == null)
            return;
        WebSocketLimits limits = match.getResource().limits();
        session.setMaxTextMessageSize(limits.maxTextMessageSize());
        session.setMaxBinaryMessageSize(limits.maxBinaryMessageSize());
        session.setMaxFrameSize(limits.maxFrameSize());
        session.setAutoFragment(limits.autoFragment());
        session.setIdleTimeout(limits.idleTimeout());
    }
}
