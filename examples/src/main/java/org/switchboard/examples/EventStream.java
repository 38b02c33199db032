package org.switchboard.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One {@code text/event-stream} response, over HTTP/1.1 or HTTP/2 alike: events queue here and are
 * written one write at a time, never beside a pending write. {@link #send} never blocks, so any
 * thread may call it (a Jetty I/O thread included). Bounded: a stream with {@code maxQueued}
 * events not yet written is aborted rather than buffered without bound — its client reconnects
 * ({@code EventSource} does by itself) — and a comment every 15 seconds of silence keeps idle
 * connections (and proxies) from timing the stream out.
 *
 * <p>{@link #end} ends the stream cleanly: no new events, and the end is written after those
 * already queued, by the same loop.
 */
final class EventStream extends IteratingCallback {

    private static final long HEARTBEAT_SECONDS = 15;
    private static final ByteBuffer GOODBYE = ByteBuffer.wrap(": server going away\n\n".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();

    private final Request request;
    private final Response response;
    private final Callback done;
    private final int maxQueued;
    private final Consumer<EventStream> onClosed;
    private final Queue<ByteBuffer> queue = new ArrayDeque<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private Scheduler.Task heartbeat;
    /** The stream is to end once the queue is written (guarded by the queue). */
    private boolean ending;
    /** The last write is out: the next {@link #process()} completes (only {@link #process()} uses it). */
    private boolean lastWritten;

    /**
     * Starts the response: {@code 200}, {@code text/event-stream}, no caching.
     *
     * @param onClosed told once, when the stream has ended or failed: forget it there
     */
    EventStream(Request request, Response response, Callback done, int maxQueued, Consumer<EventStream> onClosed) {
        this.request = request;
        this.response = response;
        this.done = done;
        this.maxQueued = maxQueued;
        this.onClosed = onClosed;
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    }

    /** An event's bytes, to share between streams: {@link #send(ByteBuffer)} writes a view of them. */
    static ByteBuffer encode(String event) {
        return ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    /** Queues {@code event} (a whole event, blank line included); see {@link #send(ByteBuffer)}. */
    void send(String event) {
        send(encode(event));
    }

    /**
     * Queues {@code event} and writes it when the writes before it are done. Over {@code maxQueued}
     * the stream is aborted instead; after {@link #end} nothing more is sent.
     */
    void send(ByteBuffer event) {
        synchronized (queue) {
            if (ending)
                return;
            if (queue.size() >= maxQueued) {
                abort(new IllegalStateException("event stream reader too slow"));
                return;
            }
            queue.add(event.duplicate());
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
                next = GOODBYE.duplicate();
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
     * Ends the stream cleanly, the server is going away: the end is written after the events
     * already queued. Completes when the stream has ended or failed.
     */
    CompletableFuture<Void> end() {
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
        onClosed.accept(this);
        done.succeeded();
        finished.complete(null);
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
        // The client went away (or fell too far behind).
        synchronized (queue) {
            if (heartbeat != null)
                heartbeat.cancel();
            queue.clear();
        }
        onClosed.accept(this);
        done.failed(cause);
        finished.complete(null);
    }
}
