package org.switchboard.examples;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;

/**
 * A {@code GET} endpoint of server-sent events: each request opens an {@link EventStream}, aborted
 * when {@value #MAX_QUEUED} events behind. A graceful stop ({@link #shutdown}) ends every stream
 * after the events queued for it, and streams opened after it end at once. Other methods are not
 * handled (404).
 */
abstract class EventStreamEndpoint extends Handler.Abstract.NonBlocking implements Graceful {

    /** Events one stream may have waiting to be written; one more and it is dropped. */
    static final int MAX_QUEUED = 256;

    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    @Override
    public final boolean handle(Request request, Response response, Callback callback) {
        if (!"GET".equals(request.getMethod()))
            return false;
        subscribe(request, response, callback);
        return true;
    }

    /** Opens the stream of {@code request} with {@link #open}. */
    protected abstract void subscribe(Request request, Response response, Callback callback);

    /** As {@link #open(Request, Response, Callback, Consumer, Runnable)}, for a stream nothing needs to forget. */
    protected final void open(Request request, Response response, Callback callback, Consumer<EventStream> first) {
        open(request, response, callback, first, () -> { });
    }

    /**
     * Opens a stream for {@code request}: {@code first} runs before the stream is shared, so that
     * what it sends comes before anything {@link #broadcast} sends.
     *
     * @param onClosed run once when the stream ends or fails
     */
    protected final void open(Request request, Response response, Callback callback, Consumer<EventStream> first, Runnable onClosed) {
        EventStream stream = new EventStream(request, response, callback, MAX_QUEUED, closed -> {
            open.remove(closed);
            onClosed.run();
        });
        first.accept(stream);
        open.add(stream);
        if (shutdown)
            stream.end();
    }

    /** Whether a stream is open: with none, an event need not even be encoded. */
    protected final boolean watched() {
        return !open.isEmpty();
    }

    /** Sends {@code event} to every open stream; never blocks. */
    protected final void broadcast(ByteBuffer event) {
        for (EventStream stream : open)
            stream.send(event);
    }

    /** Ends every stream after what is queued for it; completes when all have ended (or failed). */
    @Override
    public CompletableFuture<Void> shutdown() {
        shutdown = true;
        return CompletableFuture.allOf(open.stream().map(EventStream::end).toArray(CompletableFuture[]::new));
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }
}
