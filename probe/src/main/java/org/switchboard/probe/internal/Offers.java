package org.switchboard.probe.internal;

import java.util.Locale;
import java.util.Optional;

import org.switchboard.probe.Target;
import org.switchboard.testing.RawResponse;

/** Upgrade requests the target should switch, built from the command line's options. */
final class Offers {

    /** A protocol name no server speaks: an offer nobody accepts. */
    static final String UNKNOWN = "x-switchboard-probe/1";

    private Offers() {}

    /**
     * A request offering one protocol the target switches, with {@code Connection} options
     * {@code connection} (h2c adds {@code HTTP2-Settings}; {@code null}: no {@code Connection} at all).
     *
     * @param protocol the protocol name the 101 must name
     * @param path     where it is offered
     * @param upgrade  the {@code Upgrade} value sent
     */
    record Offer(String protocol, String path, String upgrade) {

        RawRequest request(Target target, String connection) {
            RawRequest request = RawRequest.get(target, path);
            if (connection != null)
                request.header("Connection", protocol.equals("h2c") ? connection + ", HTTP2-Settings" : connection);
            request.header("Upgrade", upgrade);
            if (protocol.equals("websocket"))
                request.header("Sec-WebSocket-Key", WebSocketFrames.newKey()).header("Sec-WebSocket-Version", "13");
            if (protocol.equals("h2c"))
                request.header("HTTP2-Settings", Http2Frames.SETTINGS_HEADER);
            return request;
        }

        /** The request with {@code Connection: Upgrade}. */
        RawRequest request(Target target) {
            return request(target, "Upgrade");
        }
    }

    /** WebSocket on {@code --websocket}, else the first {@code --upgrade}, else h2c on the URL's path. */
    static Optional<Offer> any(Target target) {
        if (target.websocketPath().isPresent())
            return Optional.of(new Offer("websocket", target.websocketPath().get(), "websocket"));
        if (!target.upgrades().isEmpty())
            return Optional.of(token(target.upgrades().get(0)));
        if (target.h2c())
            return Optional.of(new Offer("h2c", target.path(), "h2c"));
        return Optional.empty();
    }

    /** A {@code --upgrade TOKEN=PATH} offer. */
    static Offer token(Target.Upgrade upgrade) {
        return new Offer(upgrade.protocolName().toLowerCase(Locale.ROOT), upgrade.path(), upgrade.token());
    }

    static final String NOTHING_TO_OFFER = "needs a protocol the target switches: --websocket, --upgrade or --h2c";

    /**
     * What is wrong with {@code head} as the 101 for an offer of {@code protocol} (U3, U4), or
     * {@code null} if nothing: status 101, {@code Upgrade} naming exactly the offered protocol,
     * {@code Connection: Upgrade}, no content.
     */
    static String problemWith101(RawResponse head, String protocol) {
        if (head.status() != 101)
            return "no 101 for " + protocol + ": " + ResponseHeads.proof(head);
        var upgrade = ResponseHeads.elements(head, "Upgrade");
        if (upgrade.size() != 1)
            return "the 101 must name exactly one protocol in Upgrade (U4): " + ResponseHeads.quoted(head);
        String name = upgrade.get(0).contains("/") ? upgrade.get(0).substring(0, upgrade.get(0).indexOf('/')) : upgrade.get(0);
        if (!name.equalsIgnoreCase(protocol))
            return "the 101 switches to " + upgrade.get(0) + ", which was not offered (U3): " + ResponseHeads.quoted(head);
        if (!ResponseHeads.has(head, "Connection", "upgrade"))
            return "the 101 has no Connection: Upgrade (U4): " + ResponseHeads.quoted(head);
        String length = head.header("Content-Length");
        if ((length != null && !length.equals("0")) || head.header("Transfer-Encoding") != null)
            return "a 101 has no content, yet it announces some (U4): " + ResponseHeads.quoted(head);
        return null;
    }
}
