package org.switchboard.probe;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The server under test and what the command line says about it. The address is resolved once,
 * from the URL's host: no other name is ever looked up or contacted.
 *
 * @param url           the target as given, {@code http://HOST[:PORT][/PATH]}
 * @param address       the resolved address connections go to
 * @param authority     the {@code Host} field sent: the URL's host and port as written
 * @param path          the URL's path ({@code /} when it has none): where the generic checks send their requests
 * @param websocketPath {@code --websocket}: a WebSocket endpoint (any: no check needs it to echo)
 * @param requiredPath  {@code --required}: a path where an upgrade is required (426 otherwise)
 * @param h2c           {@code --h2c}: the server upgrades to h2c at {@code path}
 * @param extendedConnect {@code --extended-connect}: the server speaks prior-knowledge HTTP/2 on the same port and takes
 *                      RFC 8441 extended CONNECT (the C checks)
 * @param upgrades      {@code --upgrade TOKEN=PATH}: other protocols and where they are offered
 * @param origin        {@code --origin}: an origin the WebSocket endpoint must refuse (W5)
 * @param timeout       {@code --timeout}: the bound on each check's connection, from connect to last byte
 */
public record Target(URI url, InetSocketAddress address, String authority, String path,
                     Optional<String> websocketPath, Optional<String> requiredPath, boolean h2c,
                     boolean extendedConnect, List<Upgrade> upgrades, Optional<String> origin, Duration timeout) {

    /**
     * A protocol the target switches to on a path.
     *
     * @param token the {@code Upgrade} token offered: {@code name} or {@code name/version}
     * @param path  the request path it is offered on
     */
    public record Upgrade(String token, String path) {

        /**
         * The protocol name offered.
         *
         * @return what comes before {@code /} in the token, or the whole token
         */
        public String protocolName() {
            int slash = token.indexOf('/');
            return slash < 0 ? token : token.substring(0, slash);
        }
    }

    /**
     * A target, {@code upgrades} copied.
     *
     * @param url           the target as given
     * @param address       the resolved address
     * @param authority     the {@code Host} field sent
     * @param path          the URL's path, {@code /} at least
     * @param websocketPath {@code --websocket}, if given
     * @param requiredPath  {@code --required}, if given
     * @param h2c           {@code --h2c}
     * @param extendedConnect {@code --extended-connect}
     * @param upgrades      {@code --upgrade}s, in order
     * @param origin        {@code --origin}, if given
     * @param timeout       each check's bound
     */
    public Target {
        upgrades = List.copyOf(upgrades);
    }
}
