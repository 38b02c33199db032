package org.switchboard.probe.internal;

import java.util.List;

import org.switchboard.probe.Check;
import org.switchboard.probe.Target;
import org.switchboard.probe.Verdict;
import org.switchboard.testing.RawResponse;


/**
 * U2 and SB1: with two protocols the target switches on one path (WebSocket on {@code --websocket},
 * h2c everywhere with {@code --h2c}), the client's first choice wins. RFC 9110 only says the client
 * lists in order of preference and lets the server choose; SB1 makes the client's order decide,
 * so a server that picks otherwise FAILs.
 */
final class OrderChecks {

    private OrderChecks() {}

    static List<Check> all() {
        return List.of(order("websocket", "h2c"), order("h2c", "websocket"));
    }

    private static Check order(String first, String second) {
        return new RuleCheck("SB1", "Upgrade: " + first + ", " + second + " on the WebSocket path → 101 " + first + " (the client's order, U2)", (target, connections) -> {
            if (target.websocketPath().isEmpty() || !target.h2c())
                return Verdict.skip("needs --websocket PATH and --h2c (two protocols on one path)");
            RawResponse head = connections.exchange(request(target, first + ", " + second));
            String problem = Offers.problemWith101(head, first);
            return problem == null
                ? Verdict.pass("switched to " + head.header("Upgrade"))
                : Verdict.fail("SB1 (RFC 9110 lets a server choose; Switchboard follows the client): " + problem);
        });
    }

    /** Both offers valid in one request: WebSocket's fields and h2c's. */
    private static RawRequest request(Target target, String upgrade) {
        return RawRequest.get(target, target.websocketPath().get())
            .header("Connection", "Upgrade, HTTP2-Settings").header("Upgrade", upgrade)
            .header("HTTP2-Settings", Http2Frames.SETTINGS_HEADER)
            .header("Sec-WebSocket-Key", WebSocketFrames.newKey()).header("Sec-WebSocket-Version", "13");
    }
}
