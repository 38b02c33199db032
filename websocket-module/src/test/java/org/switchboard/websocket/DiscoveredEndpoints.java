package org.switchboard.websocket;

import java.util.List;

/** Listed in this module's test {@code META-INF/services}: what a jar contributes to the discovered handler. */
public final class DiscoveredEndpoints implements WebSocketEndpoints {
    @Override
    public List<WebSocketEndpoint> endpoints() {
        return List.of(WebSocketEndpoint.builder("/discovered", (rq, rs, cb) -> new ShoutEndpoint()).build());
    }
}
