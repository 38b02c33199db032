package org.switchboard.websocket;

import java.nio.ByteBuffer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A ready-made endpoint that sends every text and binary message back as it came: for trying
 * clients and proxies against a server, and for measuring. Map it with
 * {@code WebSocketEndpoint.builder("/echo", (request, response, callback) -> new EchoEndpoint())}.
 */
public final class EchoEndpoint implements Session.Listener.AutoDemanding {

    private Session session;

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        session.sendText(message, Callback.NOOP);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // A client that drops the connection without a close frame is reported here; nothing to do.
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        // The payload is Jetty's until callback completes: complete it once the echo is written.
        session.sendBinary(payload, callback);
    }
}
