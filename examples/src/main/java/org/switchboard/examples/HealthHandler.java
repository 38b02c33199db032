package org.switchboard.examples;

import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.switchboard.UpgradeMetrics;

/**
 * {@code GET /health}: JSON with, per protocol, open upgraded connections, upgrades, fallbacks,
 * 426s, rejections by status and handler faults (SB6; every key bounded), the room's members per
 * protocol, and the room's engine: {@code "room": "in-memory"}, {@code "redis: up"} or
 * {@code "redis: down"}. {@code 200} with {@code "status": "up"}, or {@code 503} with
 * {@code "status": "down"} while the room's engine cannot be reached (posts are refused then; live
 * connections stay open).
 */
final class HealthHandler extends Handler.Abstract.NonBlocking {

    private final UpgradeMetrics metrics;
    private final ChatRoom room;

    HealthHandler(UpgradeMetrics metrics, ChatRoom room) {
        this.metrics = metrics;
        this.room = room;
    }

    /** One protocol's counters. */
    record ProtocolHealth(long open, long upgrades, long fallbacks, long upgradeRequired, long rejections,
                          long badRequests, Map<Integer, Long> rejectionsByStatus, long handlerFaults) {
    }

    /** The whole document. */
    record Health(String status, String room, Map<String, ProtocolHealth> protocols, Map<String, Integer> roomMembers) {
    }

    Health health() {
        UpgradeMetrics.Snapshot snapshot = metrics.snapshot();
        Map<String, ProtocolHealth> protocols = new TreeMap<>();
        java.util.Set<String> names = new java.util.TreeSet<>(snapshot.outcomes().keySet());
        names.addAll(snapshot.open().keySet());
        for (String protocol : names) {
            protocols.put(protocol, new ProtocolHealth(
                snapshot.open(protocol),
                snapshot.count(protocol, UpgradeMetrics.Outcome.UPGRADED),
                snapshot.count(protocol, UpgradeMetrics.Outcome.FALLBACK),
                snapshot.count(protocol, UpgradeMetrics.Outcome.UPGRADE_REQUIRED),
                snapshot.count(protocol, UpgradeMetrics.Outcome.REJECTED),
                snapshot.count(protocol, UpgradeMetrics.Outcome.BAD_REQUEST),
                new TreeMap<>(snapshot.rejections().getOrDefault(protocol, Map.of())),
                snapshot.handlerFaults(protocol)));
        }
        RoomLog.Status engine = room.log().status();
        return new Health(engine.up() ? "up" : "down", engine.text(), protocols, room.membersByProtocol());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Health health = health();
        boolean up = "up".equals(health.status());
        response.setStatus(up ? 200 : 503);
        if (!up)
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(MessagesHandler.RETRY_AFTER_SECONDS));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, Json.write(health), callback);
        return true;
    }
}
