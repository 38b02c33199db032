package org.switchboard.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code GET /events}: the room as a server-sent events stream ({@code text/event-stream}), one
 * {@code data:} JSON event per message, over HTTP/1.1 or HTTP/2 alike. A comment every 15 seconds
 * keeps idle connections (and proxies) from timing the stream out; a subscriber that falls
 * {@value #MAX_QUEUED} events behind is dropped rather than buffered without bound.
 *
 * <p>A graceful stop ends every stream only after the events queued for it before the stop: the
 * end goes through the same queue, so each stream is written one write at a time to the last.
 */
final class EventStreamHandler extends Handler.Abstract.NonBlocking implements Graceful {

    static final int MAX_QUEUED = 256;
    private static final long HEARTBEAT_SECONDS = 15;

    private final ChatRoom room;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    EventStreamHandler(ChatRoom room) {
        this.room = room;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"GET".equals(request.getMethod()))
            return false;
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        Subscriber subscriber = new Subscriber(request, response, callback);
        subscribers.add(subscriber);
        room.join(subscriber);
        subscriber.send(": joined the room\n\n");
        if (shutdown)
            subscriber.end();
        return true;
    }

    /**
     * Ends every stream, so that a graceful stop does not wait for clients that never leave: each
     * gets what was queued for it first, then its end. Completes when every stream has ended (or
     * failed); the server's stop timeout bounds the wait for readers that do not read.
     */
    @Override
    public CompletableFuture<Void> shutdown() {
        shutdown = true;
        return CompletableFuture.allOf(subscribers.stream().map(Subscriber::end).toArray(CompletableFuture[]::new));
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    /** One stream: its events, and at last its end, queue here and are written one at a time. */
    private final class Subscriber extends IteratingCallback implements ChatRoom.Member {

        private static final String GOODBYE = ": server going away\n\n";

        private final Request request;
        private final Response response;
        private final Callback done;
        private final Queue<ByteBuffer> queue = new ArrayDeque<>();
        private final String protocol;
        private final CompletableFuture<Void> finished = new CompletableFuture<>();
        private Scheduler.Task heartbeat;
        /** The stream is to end once the queue is written (guarded by the queue). */
        private boolean ending;
        /** The last write is out: the next {@link #process()} completes (only {@link #process()} uses it). */
        private boolean lastWritten;

        Subscriber(Request request, Response response, Callback done) {
            this.request = request;
            this.response = response;
            this.done = done;
            this.protocol = request.getConnectionMetaData().getHttpVersion().is("HTTP/2.0") ? "sse-h2" : "sse-http1";
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        public void deliver(ChatMessage message) {
            send("data: " + Json.write(message) + "\n\n");
        }

        void send(String event) {
            synchronized (queue) {
                if (ending)
                    return;
                if (queue.size() >= MAX_QUEUED) {
                    abort(new IllegalStateException("subscriber too slow"));
                    return;
                }
                queue.add(ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8)));
            }
            iterate();
        }

        @Override
        protected Action process() {
            if (lastWritten)
                return Action.SUCCEEDED;
            ByteBuffer next;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    if (!ending) {
                        scheduleHeartbeat();
                        return Action.IDLE;
                    }
                    // Everything queued before the end is written: now the end itself.
                    lastWritten = true;
                    next = ByteBuffer.wrap(GOODBYE.getBytes(StandardCharsets.UTF_8));
                }
            }
            response.write(lastWritten, next, this);
            return Action.SCHEDULED;
        }

        private void scheduleHeartbeat() {
            if (heartbeat != null)
                heartbeat.cancel();
            heartbeat = request.getComponents().getScheduler().schedule(() -> send(": heartbeat\n\n"), HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        }

        /**
         * Ends the stream cleanly, the server is going away: no new events, and the end is written
         * after those already queued, by the same loop, never beside a pending write.
         */
        CompletableFuture<Void> end() {
            room.leave(this);
            synchronized (queue) {
                ending = true;
                if (heartbeat != null)
                    heartbeat.cancel();
            }
            iterate();
            return finished;
        }

        @Override
        protected void onCompleteSuccess() {
            subscribers.remove(this);
            done.succeeded();
            finished.complete(null);
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            // The client went away (or fell too far behind): leave the room and end the exchange.
            leave();
            done.failed(cause);
            finished.complete(null);
        }

        private void leave() {
            room.leave(this);
            subscribers.remove(this);
            synchronized (queue) {
                if (heartbeat != null)
                    heartbeat.cancel();
                queue.clear();
            }
        }
    }
}
