package org.switchboard.spi;

import java.io.IOException;
import java.util.Objects;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.switchboard.internal.Tokens;

/**
 * A {@link ProtocolHandler}'s answer to one offer (rule SB2). Exactly one of three outcomes:
 * <ul>
 *   <li>{@link Accept} — switch to this protocol. The first accept in negotiation order wins (SB1).
 *       It comes in two forms: {@link Switch}, where Switchboard writes the {@code 101} and hands
 *       the connection (with any bytes the client already sent, U10) to the {@link Connection}
 *       the handler opens; and {@link HandOff}, for an existing implementation that writes its
 *       own {@code 101} (Jetty's WebSocket server).</li>
 *   <li>{@link Decline} — not for this request; the next offer is tried. No response is sent.</li>
 *   <li>{@link Reject} — the client asked for this protocol but the request is wrong (RFC 6455's
 *       bad key, bad version, refused origin…). If no handler accepts, the most preferred rejection
 *       is the response (SB3).</li>
 * </ul>
 */
public sealed interface Verdict permits Verdict.Accept, Verdict.Decline, Verdict.Reject {

    /**
     * Switch to {@code protocol}; Switchboard writes the 101 and calls {@code opener} to take over the connection.
     *
     * @param protocol the protocol now in effect, {@code name[/version]} of the offer accepted (U3, U4)
     * @param opener   creates the connection that speaks the protocol after the 101
     * @return the verdict
     * @throws IllegalArgumentException if {@code protocol} is not {@code token[/token]}
     */
    static Switch accept(String protocol, ConnectionOpener opener) {
        return new Switch(protocol, HttpFields.EMPTY, opener);
    }

    /**
     * As {@link #accept(String, ConnectionOpener)}, with headers the 101 carries besides {@code Upgrade} and {@code Connection}.
     *
     * @param protocol the protocol now in effect, {@code name[/version]} of the offer accepted (U3, U4)
     * @param headers  extra 101 headers, copied
     * @param opener   creates the connection that speaks the protocol after the 101
     * @return the verdict
     * @throws IllegalArgumentException if {@code protocol} is not {@code token[/token]}
     */
    static Switch accept(String protocol, HttpFields headers, ConnectionOpener opener) {
        return new Switch(protocol, headers, opener);
    }

    /**
     * Switch to {@code protocol} through an implementation that writes its own 101.
     *
     * @param protocol the protocol the implementation switches to, {@code name[/version]}
     * @param upgrader the implementation, called once on the request
     * @return the verdict
     * @throws IllegalArgumentException if {@code protocol} is not {@code token[/token]}
     */
    static HandOff handOff(String protocol, Upgrader upgrader) {
        return new HandOff(protocol, upgrader);
    }

    /**
     * Not for this request: try the next offer.
     *
     * @param reason why, for the debug log; never sent to the client
     * @return the verdict
     */
    static Decline decline(String reason) {
        return new Decline(reason);
    }

    /**
     * Refuse the upgrade with {@code status} (4xx or 5xx) and a short reason sent as the body.
     *
     * @param status a 4xx or 5xx status
     * @param reason one line, sent as the {@code text/plain} body
     * @return the verdict
     * @throws IllegalArgumentException if {@code status} is not 4xx or 5xx
     */
    static Reject reject(int status, String reason) {
        return new Reject(status, HttpFields.EMPTY, reason);
    }

    /**
     * As {@link #reject(int, String)}, with response headers (for example RFC 6455's {@code Sec-WebSocket-Version}).
     *
     * @param status  a 4xx or 5xx status
     * @param headers extra response headers, copied
     * @param reason  one line, sent as the {@code text/plain} body
     * @return the verdict
     * @throws IllegalArgumentException if {@code status} is not 4xx or 5xx
     */
    static Reject reject(int status, HttpFields headers, String reason) {
        return new Reject(status, headers, reason);
    }

    /** The handler accepts: the connection switches to {@link #protocol()}. */
    sealed interface Accept extends Verdict permits Switch, HandOff {
        /**
         * The value of the 101's {@code Upgrade} header: the protocol now in effect (U4), e.g. {@code relay/2}.
         *
         * @return {@code name} or {@code name/version}
         */
        String protocol();
    }

    /**
     * Accept, with Switchboard doing the switch: it reads any request body in full (U10), answers
     * {@code 101} with {@code Upgrade: protocol}, {@code Connection: Upgrade} and {@link #headers()},
     * no body (U4), and gives the connection to what {@link #opener()} returns.
     *
     * @param protocol the protocol now in effect, a {@code name[/version]} of the offer accepted
     * @param headers  extra 101 headers
     * @param opener   creates the connection that speaks the protocol from the first byte after the 101
     */
    record Switch(String protocol, HttpFields headers, ConnectionOpener opener) implements Accept {
        /**
         * Checks the protocol and freezes the headers.
         *
         * @param protocol the protocol now in effect, {@code token[/token]}
         * @param headers  extra 101 headers
         * @param opener   creates the connection
         * @throws IllegalArgumentException if {@code protocol} is not {@code token[/token]}
         */
        public Switch {
            requireProtocol(protocol);
            headers = headers.asImmutable();
            Objects.requireNonNull(opener, "opener");
        }
    }

    /**
     * Accept, with the handler's own implementation doing the switch (for example Jetty's
     * {@code ServerWebSocketContainer.upgrade}): it writes the 101 and sets Jetty's upgrade
     * attribute. If it returns {@code false} it wrote nothing, and negotiation goes on with the
     * next offer as if the handler had declined.
     *
     * @param protocol the protocol the implementation switches to, {@code name[/version]}
     * @param upgrader the implementation
     */
    record HandOff(String protocol, Upgrader upgrader) implements Accept {
        /**
         * Checks the protocol.
         *
         * @param protocol the protocol the implementation switches to, {@code token[/token]}
         * @param upgrader the implementation
         * @throws IllegalArgumentException if {@code protocol} is not {@code token[/token]}
         */
        public HandOff {
            requireProtocol(protocol);
            Objects.requireNonNull(upgrader, "upgrader");
        }
    }

    /**
     * Not for this request; the next offer is tried and nothing is sent.
     *
     * @param reason why, for the debug log
     */
    record Decline(String reason) implements Verdict {
        /**
         * Checks the reason is there.
         *
         * @param reason why, for the debug log
         */
        public Decline {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The client asked for this protocol, wrongly; the most preferred rejection is the answer if
     * nobody accepts (SB3).
     *
     * @param status  a 4xx or 5xx status
     * @param headers extra response headers
     * @param reason  a short reason, sent as the {@code text/plain} body
     */
    record Reject(int status, HttpFields headers, String reason) implements Verdict {
        /**
         * Checks the status and freezes the headers.
         *
         * @param status  a 4xx or 5xx status
         * @param headers extra response headers
         * @param reason  a short reason, sent as the body
         * @throws IllegalArgumentException if {@code status} is not 4xx or 5xx
         */
        public Reject {
            if (status < 400 || status > 599)
                throw new IllegalArgumentException("a rejection is a 4xx or 5xx status, not " + status);
            headers = headers.asImmutable();
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Creates the connection that takes over once the 101 is written. */
    @FunctionalInterface
    interface ConnectionOpener {
        /**
         * Called once, before the 101 is written. The returned connection must implement
         * {@link Connection.UpgradeTo} — extend {@link UpgradedConnection} and that is done — or the
         * client gets {@code 500} instead of a 101, because bytes it may already have sent would
         * otherwise be lost.
         *
         * @param context the endpoint, request, accepted offer and body the connection starts from
         * @return the new connection, not yet opened: Jetty opens it after the 101
         * @throws IOException if the connection cannot be made; the client gets {@code 500}
         */
        Connection open(SwitchContext context) throws IOException;
    }

    /** An implementation that writes its own 101. */
    @FunctionalInterface
    interface Upgrader {
        /**
         * Switches the exchange, or leaves it untouched.
         *
         * @param request  the upgrade request
         * @param response its response, for the 101 (or the implementation's own refusal)
         * @param callback completed by the implementation once it took the exchange
         * @return {@code true} if it took the exchange (and will complete {@code callback}),
         *         {@code false} if it wrote nothing and left {@code callback} alone
         * @throws Exception if the implementation fails; the exchange fails with it
         */
        boolean upgrade(Request request, Response response, Callback callback) throws Exception;
    }

    private static void requireProtocol(String protocol) {
        Objects.requireNonNull(protocol, "protocol");
        // Checked in place, as UpgradeOffer.of would check it: every accept passes here.
        int slash = protocol.indexOf('/');
        boolean wellFormed = slash < 0
            ? Tokens.isToken(protocol)
            : Tokens.isToken(protocol, 0, slash) && Tokens.isToken(protocol, slash + 1, protocol.length());
        if (!wellFormed)
            UpgradeOffer.of(protocol);   // throws, with the offer's own message
    }
}
