package org.switchboard.websocket;

import java.util.List;
import java.util.Objects;

import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.switchboard.Switchboard;

/**
 * One WebSocket endpoint: where it lives, what creates its Jetty endpoint objects, and the
 * handshake policy Switchboard applies before handing the connection to Jetty.
 *
 * <p>The application's code is plain Jetty WebSocket API: {@code creator} returns an annotated
 * ({@code @WebSocket}) object or a {@code Session.Listener}, and may look at the upgrade request or
 * refuse it as any Jetty creator can. Build one with {@link #builder(String, WebSocketCreator)}.
 *
 * @param pathSpec         where the endpoint lives, in the path language of routes
 *                         ({@link org.switchboard.Switchboard.Builder#route}): {@code /chat}, {@code /rooms/*},
 *                         {@code uri-template|/rooms/{id}} or {@code regex|^/r/\d+$}
 * @param creator          creates the Jetty endpoint object for each accepted handshake
 * @param origins          which {@code Origin}s may connect (W5)
 * @param subprotocols     the subprotocols the endpoint speaks, in its order of preference (W6); empty for none
 * @param subprotocolOrder whose order picks among subprotocols both sides speak (W6)
 * @param compression      whether {@code permessage-deflate} (RFC 7692) is negotiated when the client offers it (W7)
 * @param limits           message, frame and idle limits of each session
 */
public record WebSocketEndpoint(String pathSpec, WebSocketCreator creator, OriginPolicy origins,
                                List<String> subprotocols, SubprotocolOrder subprotocolOrder,
                                boolean compression, WebSocketLimits limits) {

    /**
     * Checks that nothing is missing and copies the subprotocols.
     *
     * @param pathSpec         where the endpoint lives
     * @param creator          creates the Jetty endpoint object for each accepted handshake
     * @param origins          which {@code Origin}s may connect
     * @param subprotocols     the subprotocols spoken, most preferred first
     * @param subprotocolOrder whose order picks the subprotocol
     * @param compression      whether {@code permessage-deflate} is negotiated
     * @param limits           the session limits
     * @throws NullPointerException if any argument is null
     */
    public WebSocketEndpoint {
        Objects.requireNonNull(pathSpec, "pathSpec");
        Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(origins, "origins");
        subprotocols = List.copyOf(subprotocols);
        Objects.requireNonNull(subprotocolOrder, "subprotocolOrder");
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * An endpoint at {@code pathSpec} with the defaults: same-origin or no {@code Origin}, no
     * subprotocol, server order, compression on, {@link WebSocketLimits#DEFAULT}.
     *
     * @param pathSpec where the endpoint lives, in the path language of routes; checked when the
     *                 handler is built
     * @param creator  creates the Jetty endpoint object for each accepted handshake
     * @return a builder with those defaults
     */
    public static Builder builder(String pathSpec, WebSocketCreator creator) {
        return new Builder(pathSpec, creator);
    }

    /** Builds a {@link WebSocketEndpoint}. Not thread-safe. */
    public static final class Builder {

        private final String pathSpec;
        private final WebSocketCreator creator;
        private OriginPolicy origins = OriginPolicy.SAME_ORIGIN;
        private List<String> subprotocols = List.of();
        private SubprotocolOrder subprotocolOrder = SubprotocolOrder.SERVER_PREFERENCE;
        private boolean compression = true;
        private WebSocketLimits limits = WebSocketLimits.DEFAULT;

        private Builder(String pathSpec, WebSocketCreator creator) {
            this.pathSpec = pathSpec;
            this.creator = creator;
        }

        /**
         * Which {@code Origin}s may connect; {@link OriginPolicy#SAME_ORIGIN} by default.
         *
         * @param origins the policy (W5)
         * @return this builder
         */
        public Builder origins(OriginPolicy origins) {
            this.origins = origins;
            return this;
        }

        /**
         * The subprotocols spoken, most preferred first; none by default.
         *
         * @param subprotocols subprotocol tokens, as in {@code Sec-WebSocket-Protocol} (W6)
         * @return this builder
         */
        public Builder subprotocols(String... subprotocols) {
            this.subprotocols = List.of(subprotocols);
            return this;
        }

        /**
         * Whose order picks the subprotocol; {@link SubprotocolOrder#SERVER_PREFERENCE} by default.
         *
         * @param order the order (W6)
         * @return this builder
         */
        public Builder subprotocolOrder(SubprotocolOrder order) {
            this.subprotocolOrder = order;
            return this;
        }

        /**
         * Whether {@code permessage-deflate} is negotiated when offered; on by default.
         *
         * @param compression true to negotiate it (W7)
         * @return this builder
         */
        public Builder compression(boolean compression) {
            this.compression = compression;
            return this;
        }

        /**
         * Session limits; {@link WebSocketLimits#DEFAULT} by default.
         *
         * @param limits the limits (W8)
         * @return this builder
         */
        public Builder limits(WebSocketLimits limits) {
            this.limits = limits;
            return this;
        }

        /**
         * The endpoint as configured.
         *
         * @return a new, immutable endpoint
         * @throws NullPointerException if a setting was set to null
         */
        public WebSocketEndpoint build() {
            return new WebSocketEndpoint(pathSpec, creator, origins, subprotocols, subprotocolOrder, compression, limits);
        }
    }
}
