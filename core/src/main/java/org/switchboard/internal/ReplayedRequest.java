package org.switchboard.internal;

import java.nio.ByteBuffer;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A request whose first body bytes were already read by the dispatcher: it gives them back first,
 * then the rest of the body from the connection, so an upgrade that did not happen leaves the
 * application the very body the client sent.
 */
final class ReplayedRequest extends Request.Wrapper {

    private Content.Chunk replay;

    ReplayedRequest(Request request, ByteBuffer bytes, boolean last) {
        super(request);
        this.replay = Content.Chunk.from(bytes, last);
    }

    @Override
    public Content.Chunk read() {
        synchronized (this) {
            Content.Chunk chunk = replay;
            if (chunk != null) {
                // After a last chunk, keep answering EOF as the connection would.
                replay = chunk.isLast() ? Content.Chunk.EOF : null;
                return chunk;
            }
        }
        return super.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
        boolean ready;
        synchronized (this) {
            ready = replay != null;
        }
        if (ready)
            demandCallback.run();
        else
            super.demand(demandCallback);
    }
}
