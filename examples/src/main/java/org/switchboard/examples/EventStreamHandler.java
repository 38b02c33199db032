package org.switchboard.examples;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /events}: the room as a server-sent events stream ({@code text/event-stream}), one
 * event per message — {@code id:} its place in the room, {@code data:} its JSON — over HTTP/1.1 or
 * HTTP/2 alike. A comment every 15 seconds keeps idle connections (and proxies) from timing the
 * stream out; a subscriber that falls {@value EventStreamEndpoint#MAX_QUEUED} events behind is
 * dropped rather than buffered without bound.
 *
 * <p>A reconnecting {@code EventSource} sends {@code Last-Event-ID}: it first gets the messages it
 * missed (at most {@value #MAX_REPLAY}, written as one), then live ones, none twice — on this
 * instance or any other on the same Redis. When that position is gone (trimmed from the history,
 * another epoch, not a position, or more missed than the replay's bound) it first gets
 * {@code event: reset} with {@code data: {"reason": "..."}}, then live ones.
 *
 * <p>A graceful stop ends every stream only after the events queued for it before the stop: the
 * end goes through the same queue, so each stream is written one write at a time to the last.
 */
final class EventStreamHandler extends EventStreamEndpoint {

    /** The most missed messages replayed to a reconnecting stream; more: a reset. */
    static final int MAX_REPLAY = 1000;

    private final ChatRoom room;

    EventStreamHandler(ChatRoom room) {
        this.room = room;
    }

    @Override
    protected void subscribe(Request request, Response response, Callback callback) {
        String protocol = request.getConnectionMetaData().getHttpVersion().is("HTTP/2.0") ? "sse-h2" : "sse-http1";
        String lastEventId = request.getHeaders().get("Last-Event-ID");
        Subscriber subscriber = new Subscriber(protocol);
        open(request, response, callback, stream -> {
            subscriber.stream = stream;
            stream.send(": joined the room\n\n");
            if (lastEventId == null)
                room.join(subscriber);
            else
                room.join(subscriber, lastEventId, MAX_REPLAY);
        }, () -> room.leave(subscriber));
    }

    /** The event of one message. */
    static String event(ChatMessage message) {
        return "id: " + message.id() + "\ndata: " + Json.write(message) + "\n\n";
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
            stream.send(event(message));
        }

        @Override
        public void deliverAll(List<ChatMessage> missed) {
            // One write for the whole replay: the stream's bound counts events waiting, and a replay is bounded.
            StringBuilder events = new StringBuilder();
            for (ChatMessage message : missed)
                events.append(event(message));
            if (!events.isEmpty())
                stream.send(ByteBuffer.wrap(events.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }

        @Override
        public void reset(String reason) {
            stream.send("event: reset\ndata: " + Json.write(Map.of("reason", reason)) + "\n\n");
        }
    }
}
