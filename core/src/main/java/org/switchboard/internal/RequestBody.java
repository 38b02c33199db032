package org.switchboard.internal;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Reads an upgrade request's body before the 101 (U10), without blocking a thread, up to a limit.
 * The body belongs to the request, so it must be consumed before the connection switches; bytes
 * after it belong to the new protocol. Reading it also sends {@code 100 Continue} first when the
 * client asked for it (U9): Jetty does so on the first demand.
 *
 * <p>If the body turns out larger than the limit, reading stops and what was read is kept, so the
 * request can still be served on HTTP/1.1 with its body intact ({@link ReplayedRequest}).
 */
public final class RequestBody {

    private final Request request;
    private final int limit;
    private final BiConsumer<RequestBody, Throwable> onDone;
    private ByteBuffer bytes = BufferUtil.EMPTY_BUFFER;
    private boolean complete;

    private RequestBody(Request request, int limit, BiConsumer<RequestBody, Throwable> onDone) {
        this.request = request;
        this.limit = limit;
        this.onDone = onDone;
    }

    /** Whether {@code request} may have a body: a non-zero {@code Content-Length}, or chunked. */
    public static boolean present(Request request) {
        long length = request.getLength();
        return length > 0 || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    /**
     * Reads {@code request}'s body, then calls {@code onDone} with the result or the failure. It may be
     * called before this method returns.
     */
    public static void read(Request request, int limit, BiConsumer<RequestBody, Throwable> onDone) {
        new RequestBody(request, limit, onDone).readAvailable();
    }

    /** A request with no body. */
    public static RequestBody empty(Request request) {
        RequestBody body = new RequestBody(request, 0, null);
        body.complete = true;
        return body;
    }

    /**
     * A body left unread because its declared length is over the limit: it is not upgraded, and the
     * request reaches the application untouched.
     */
    public static RequestBody unread(Request request) {
        return new RequestBody(request, 0, null);
    }

    /** Whether the whole body was read within the limit. */
    public boolean complete() {
        return complete;
    }

    /** The bytes read: the whole body if {@link #complete()}, else a prefix of it. */
    public ByteBuffer bytes() {
        return bytes.asReadOnlyBuffer();
    }

    /** The request, to be served on HTTP/1.1 with its body intact. */
    public Request replayed() {
        return bytes.hasRemaining() ? new ReplayedRequest(request, bytes.asReadOnlyBuffer(), complete) : request;
    }

    private void readAvailable() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this::readAvailable);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                onDone.accept(this, chunk.getFailure());
                return;
            }
            boolean last = chunk.isLast();
            boolean over = bytes.remaining() + chunk.remaining() > limit;
            // Keep even the chunk that goes over the limit: it is already off the wire and must be replayed.
            if (chunk.hasRemaining())
                append(chunk.getByteBuffer());
            chunk.release();
            if (last || over) {
                complete = last && !over;
                onDone.accept(this, null);
                return;
            }
        }
    }

    private void append(ByteBuffer chunk) {
        if (BufferUtil.space(bytes) < chunk.remaining()) {
            ByteBuffer bigger = BufferUtil.allocate(bytes.remaining() + Math.max(chunk.remaining(), bytes.remaining()));
            BufferUtil.append(bigger, bytes);
            bytes = bigger;
        }
        BufferUtil.append(bytes, chunk);
    }
}
