package org.switchboard.websocket;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The upgrade request as Jetty's WebSocket server must see it: with {@code Upgrade: websocket} only.
 *
 * <p>Jetty's RFC 6455 negotiation reads the last {@code Upgrade} line and requires it to equal
 * {@code websocket} as a whole (case-insensitively), so {@code Upgrade: websocket, h2c} or
 * {@code Upgrade: foo, websocket} would not upgrade although the dispatcher chose websocket (SB1).
 * Everything else, attributes included (Jetty sets the connection to switch to there), is the real
 * request.
 */
final class WebSocketUpgradeView extends Request.Wrapper {

    private final HttpFields headers;

    private WebSocketUpgradeView(Request request) {
        super(request);
        this.headers = HttpFields.build(request.getHeaders())
            .put(HttpHeader.UPGRADE, "websocket")
            .asImmutable();
    }

    /**
     * {@code request} itself when Jetty would already take it, as for nearly every client's
     * {@code Upgrade: websocket}; otherwise a view with the {@code Upgrade} lines replaced.
     */
    static Request of(Request request) {
        return lastUpgradeIsWebSocket(request.getHeaders()) ? request : new WebSocketUpgradeView(request);
    }

    private static boolean lastUpgradeIsWebSocket(HttpFields headers) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            HttpField field = headers.getField(i);
            if (field.getHeader() == HttpHeader.UPGRADE)
                return WebSocketProtocolHandler.PROTOCOL.equalsIgnoreCase(field.getValue());
        }
        return false;
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }
}
