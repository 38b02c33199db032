package org.switchboard.websocket;

import java.net.URI;

import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WebSocketSessionListener;
import org.eclipse.jetty.websocket.common.WebSocketSession;

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
        MatchedResource<WebSocketEndpoint> match = mappings.getMatched(path(session));
        if (match == null)
            return;
        WebSocketLimits limits = match.getResource().limits();
        session.setMaxTextMessageSize(limits.maxTextMessageSize());
        session.setMaxBinaryMessageSize(limits.maxBinaryMessageSize());
        session.setMaxFrameSize(limits.maxFrameSize());
        session.setAutoFragment(limits.autoFragment());
        session.setIdleTimeout(limits.idleTimeout());
    }

    private static String path(Session session) {
        // Jetty's core session keeps the URI it built during the handshake; the API's upgrade
        // request would build a new java.net.URI on every call (a measurable share of a handshake).
        if (session instanceof WebSocketSession jetty) {
            URI uri = jetty.getCoreSession().getRequestURI();
            if (uri != null)
                return uri.getPath();
        }
        return session.getUpgradeRequest().getRequestURI().getPath();
    }
}
