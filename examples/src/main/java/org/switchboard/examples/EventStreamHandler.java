package org.switchboard.examples;

import java.util.concurrent.CompletableFuture;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;

/**
 * {@code GET /events}: the room as a server-sent events stream ({@code text/event-stream}), one
 * {@code data:} JSON event per message, over HTTP/1.1 or HTTP/2 alike. A comment every 15 seconds
 * keeps idle connections (and proxies) from timing the stream out; a subscriber that falls
 * {@value EventStreams#MAX_QUEUED} events behind is dropped rather than buffered without bound.
 *
 * <p>A graceful stop ends every stream only after the events queued for it before the stop: the
 * end goes through the same queue, so each stream is written one write at a time to the last.
 */
final class EventStreamHandler extends Handler.Abstract.NonBlocking implements Graceful {

    private final ChatRoom room;
    private final EventStreams streams = new EventStreams();

    EventStreamHandler(ChatRoom room) {
        this.room = room;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"GET".equals(request.getMethod()))
            return false;
        String protocol = request.getConnectionMetaData().getHttpVersion().is("HTTP/2.0") ? "sse-h2" : "sse-http1";
        Subscriber subscriber = new Subscriber(protocol);
        streams.open(request, response, callback, stream -> {
            subscriber.stream = stream;
            room.join(subscriber);
            stream.send(": joined the room\n\n");
        }, () -> room.leave(subscriber));
        return true;
    }

    /** Ends every stream after the events queued for it: see {@link EventStreams#shutdown}. */
    @Override
    public CompletableFuture<Void> shutdown() {
        return streams.shutdown();
    }

    @Override
    public boolean isShutdown() {
        return streams.isShutdown();
    }

    /** One stream as a room member: it joins once its stream is open, and leaves when it ends. */
    private static final class Subscriber implements ChatRoom.Member {
        private final String protocol;
        private volatile EventStream stream;

        Subscriber(String protocol) {
            this.protocol = protocol;
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        public void deliver(ChatMessage message) {
            stream.send("data: " + Json.write(message) + "\n\n");
        }
    }
}
