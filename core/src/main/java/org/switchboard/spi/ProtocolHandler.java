package org.switchboard.spi;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.thread.Invocable;
import org.switchboard.Switchboard;

/**
 * A protocol that a connection can switch to with HTTP/1.1 {@code Upgrade} (RFC 9110 §7.8): the
 * one interface a protocol author implements.
 *
 * <p>For each request that asks to upgrade, the dispatcher walks the client's offers in order of
 * its preference (U2, SB1). For an offer that names {@link #protocol()} (case-insensitively, U1)
 * with a version this handler {@linkplain #versions() declares} (SB4), it calls
 * {@link #negotiate}; offers naming other protocols or versions never reach this handler, so a
 * handler can never be switched to unasked (U3). The first {@link Verdict.Accept} wins. The
 * dispatcher has already checked, before any handler is asked, that the request is HTTP/1.1 (U5,
 * U11), that {@code Connection} carries {@code upgrade} (U6) and that the headers are within
 * limits (SB5).
 *
 * <p>Over HTTP/2 the same handler, unchanged, is asked about the {@code :protocol} of an RFC 8441
 * extended CONNECT (rules C1–C6): the request is then a {@code CONNECT} over HTTP/2 with no
 * {@code Upgrade} or {@code Connection} ({@code request.getTunnelSupport()} is not {@code null}),
 * an acceptance is answered {@code 200} instead of {@code 101}, and the connection it opens takes
 * the HTTP/2 stream: {@link SwitchContext#endPoint()} is the stream's, reading its DATA frames and
 * writing under HTTP/2 flow control. A protocol that cannot run in a stream says so with
 * {@link #reachableByExtendedConnect()}.
 *
 * <p>A handler is shared by all connections: {@link #negotiate} must be thread-safe and should not
 * block; a handler whose work before the 101 never blocks says so with
 * {@link #getInvocationType()}. Register it with {@link Switchboard.Builder#handler}, a
 * {@link ProtocolHandlerProvider} found by {@link java.util.ServiceLoader}, or the Guice
 * {@code SwitchboardModule}.
 */
public interface ProtocolHandler extends Invocable {

    /**
     * The protocol name as it appears in {@code Upgrade}, e.g. {@code websocket}; a token (U1).
     * Read once, with {@link #versions()}, when the dispatcher is built.
     *
     * @return the protocol name; matched without regard to case
     */
    String protocol();

    /**
     * The versions this handler speaks, most preferred first (they are advertised in that order in
     * 426 responses, U8). An offer with a version not in this list is declined without calling
     * {@link #negotiate}. Empty (the default) for an unversioned protocol: then only offers without
     * a version reach the handler.
     *
     * @return the versions, each a token (U1); empty for an unversioned protocol
     */
    default List<String> versions() {
        return List.of();
    }

    /**
     * Whether this protocol can run in an HTTP/2 stream reached by extended CONNECT (RFC 8441, C4):
     * {@code true} (the default) for a protocol of bytes in both directions, like WebSocket or
     * relay; {@code false} for one that replaces the HTTP connection itself, like h2c. It decides
     * only what a {@code 501} lists in {@code Connect-Protocol}; such a handler must still decline a
     * CONNECT it is asked about.
     *
     * @return whether a {@code 501} to an extended CONNECT may offer this protocol; {@code true} by default
     */
    default boolean reachableByExtendedConnect() {
        return true;
    }

    /**
     * Answers one offer of this protocol.
     *
     * @param offer   the client's offer; {@code offer.version()} is {@code null} or one of {@link #versions()}
     *                — for {@code null} the handler picks its documented default version
     * @param request the request, as received (read its headers; do not read its body or respond)
     * @return {@link Verdict#accept}, {@link Verdict#handOff}, {@link Verdict#decline} or {@link Verdict#reject}; never {@code null}
     */
    Verdict negotiate(UpgradeOffer offer, Request request);

    /**
     * Whether this handler's work on the request thread may block: {@link #negotiate} and what its
     * verdict runs before the 101 (the {@link Verdict.ConnectionOpener}, the {@link Verdict.Upgrader}
     * and any application code it calls, such as a WebSocket creator). {@link InvocationType#BLOCKING}
     * unless overridden, as for any Jetty handler. The dispatcher is as non-blocking as its
     * application, so Jetty may call it on a selector thread, where one blocking call would stall
     * every connection of that selector: there, offers for a blocking handler are negotiated on a
     * worker thread, and offers for non-blocking handlers in place, with no thread hand-off. Read
     * once, when the dispatcher is built.
     */
    @Override
    default InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    /**
     * Connection factories this protocol needs on every cleartext connector, added by
     * {@link Switchboard#install} before the server starts (h2c needs its HTTP/2 factory there).
     * Empty by default.
     *
     * @return the factories; a connector that already has one for the same protocol keeps its own
     */
    default List<ConnectionFactory> connectionFactories() {
        return List.of();
    }

    /**
     * Says goodbye on {@code connection} — one this handler's verdict switched to — when the
     * dispatcher shuts down gracefully (WebSocket's 1001, HTTP/2's GOAWAY, relay's going-away
     * close), completing once the goodbye is written. Must not block.
     *
     * <p>The default asks the connection itself if it is {@link Graceful} — every
     * {@link UpgradedConnection} is, running its {@link UpgradedConnection#onGoodbye() onGoodbye} —
     * and otherwise closes it. Override it for connections you do not write yourself (Jetty's
     * WebSocket connections are not {@code Graceful}).
     *
     * @param connection a connection this handler's verdict opened
     * @return completes once the goodbye is written (or the connection closed); never null
     */
    default CompletableFuture<Void> shutdown(Connection connection) {
        if (connection instanceof Graceful graceful)
            return graceful.shutdown();
        connection.close();
        return CompletableFuture.completedFuture(null);
    }
}
