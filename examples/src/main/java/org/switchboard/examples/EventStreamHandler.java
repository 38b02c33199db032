package org.switchboard.examples;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /events}: the room as a server-sent events stream ({@code text/event-stream}), one
 * {@code data:} JSON event per message, over HTTP/1.1 or HTTP/2 alike. A comment every 15 seconds
 * keeps idle connections (and proxies) from timing the stream out; a subscriber that falls
 * {@value EventStreamEndpoint#MAX_QUEUED} events behind is dropped rather than buffered without bound.
 *
 * <p>A graceful stop ends every stream only after the events queued for it before the stop: the
 * end goes through the same queue, so each stream is written one write at a time to the last.
 */
final class EventStreamHandler extends EventStreamEndpoint {

    private final ChatRoom room;

    EventStreamHandler(ChatRoom room) {
        this.room = room;
    }

    @Override
    protected void subscribe(Request request, Response response, Callback callback) {
        String protocol = request.getConnectionMetaData().getHttpVersion().is("HTTP/2.0") ? "sse-h2" : "sse-http1";
        Subscriber subscriber = new Subscriber(protocol);
        open(request, response, callback, stream -> {
            subscriber.stream = stream;
            room.join(subscriber);
            stream.send(": joined the room\n\n");
        }, () -> room.leave(subscriber));
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
