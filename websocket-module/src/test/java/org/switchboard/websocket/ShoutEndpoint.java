package org.switchboard.websocket;

import java.util.Locale;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

/** An annotated Jetty endpoint that answers each text message in upper case. */
@WebSocket
public final class ShoutEndpoint {

    @OnWebSocketMessage
    public void onText(Session session, String message) {
        session.sendText(message.toUpperCase(Locale.ROOT), Callback.NOOP);
    }

    @OnWebSocketError
    public void onError(Throwable cause) {
        // Tests drop raw sockets without a close frame; Jetty reports that here, and that is expected.
    }
}
