package org.switchboard.websocket;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** A Jetty client endpoint that queues what it receives: text as {@link String}, binary as {@code byte[]}, the close code as {@link Integer}. */
public final class MessageCollector implements Session.Listener.AutoDemanding {

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

    @Override
    public void onWebSocketText(String message) {
        received.add(message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        received.add(bytes);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // A refused handshake lands here; the tests assert on the connect future instead.
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        received.add(statusCode);
        callback.succeed();
    }

    /** The next thing received, waiting at most 10 seconds. */
    Object next() throws InterruptedException {
        Object next = received.poll(10, TimeUnit.SECONDS);
        if (next == null)
            throw new AssertionError("nothing received within 10 s");
        return next;
    }
}
