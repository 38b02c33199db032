package org.switchboard.examples;

import java.nio.ByteBuffer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** {@code /echo}: every text and binary message comes back as it was sent. */
public final class EchoSocket implements Session.Listener.AutoDemanding {

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
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        // The payload is Jetty's until the callback completes: complete it once the echo is written.
        session.sendBinary(payload, callback);
    }
}
