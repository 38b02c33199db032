package org.switchboard.examples;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The open {@link EventStream}s of one endpoint, each aborted when {@value #MAX_QUEUED} events
 * behind; {@link #shutdown} ends them all for a graceful stop, and streams opened after it end at once.
 */
final class EventStreams {

    /** Events one stream may have waiting to be written; one more and it is dropped. */
    static final int MAX_QUEUED = 256;

    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    /**
     * Opens a stream for {@code request}: {@code first} runs before the stream is shared, so that
     * what it sends comes before anything {@link #broadcast} sends.
     *
     * @param onClosed run once when the stream ends or fails
     */
    EventStream open(Request request, Response response, Callback callback, Consumer<EventStream> first, Runnable onClosed) {
        EventStream stream = new EventStream(request, response, callback, MAX_QUEUED, closed -> {
            open.remove(closed);
            onClosed.run();
        });
        first.accept(stream);
        open.add(stream);
        if (shutdown)
            stream.end();
        return stream;
    }

    /** Sends {@code event} to every open stream; never blocks. */
    void broadcast(ByteBuffer event) {
        for (EventStream stream : open)
            stream.send(event);
    }

    /** Ends every stream after what is queued for it; completes when all have ended (or failed). */
    CompletableFuture<Void> shutdown() {
        shutdown = true;
        return CompletableFuture.allOf(open.stream().map(EventStream::end).toArray(CompletableFuture[]::new));
    }

    boolean isShutdown() {
        return shutdown;
    }
}
