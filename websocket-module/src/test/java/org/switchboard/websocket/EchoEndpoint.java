package org.switchboard.websocket;

import java.nio.ByteBuffer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** A listener-style Jetty endpoint that echoes every text and binary message (public: Jetty binds its methods with method handles). */
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
        // Tests drop raw sockets without a close frame; Jetty reports that here, and that is expected.
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        // The payload is Jetty's until callback completes: complete it once the echo is written.
        session.sendBinary(payload, callback);
    }
}
