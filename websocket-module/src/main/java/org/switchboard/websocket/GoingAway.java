package org.switchboard.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes every open session with {@code 1001 Going Away} when the server stops gracefully (W8), and
 * returns only once those close frames are written.
 *
 * <p>Why it waits: Jetty's own session tracker sends 1001 from a new thread, but the dispatcher's
 * {@code shutdown()} closes every upgraded connection that is not {@link Graceful} — Jetty's
 * {@code WebSocketConnection} is not — at once, in the stopping thread, and usually wins the race:
 * the client then sees the TCP connection drop (1006) instead of a close frame. A graceful stop
 * calls the server's {@link Graceful} beans in reverse order of addition; this bean is added when
 * the first WebSocket is accepted, after the dispatcher, so it runs first and the frames are on the
 * wire before the dispatcher closes the connections.
 */
final class GoingAway implements Graceful {

    private static final Logger LOG = LoggerFactory.getLogger(GoingAway.class);
    private static final long DEFAULT_WAIT_MS = 5_000;

    private final ServerWebSocketContainer container;
    private final Server server;
    private volatile boolean shutdown;

    GoingAway(ServerWebSocketContainer container, Server server) {
        this.container = container;
        this.server = server;
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        shutdown = true;
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Session session : container.getOpenSessions()) {
            Callback.Completable closed = new Callback.Completable();
            session.close(StatusCode.SHUTDOWN, "server shutting down", closed);
            closing.add(closed);
        }
        long wait = server.getStopTimeout() > 0 ? server.getStopTimeout() : DEFAULT_WAIT_MS;
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        } catch (Exception x) {
            LOG.debug("not every WebSocket session acknowledged its 1001 close within {} ms", wait, x);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }
}
