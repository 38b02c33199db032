package org.switchboard.examples;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /members}: the room's members grouped by protocol, as server-sent events
 * ({@code text/event-stream}): one {@code data:} JSON {@link Roster} when the stream opens and one
 * after every join, leave or member speaking under a new name. Each event is the whole roster, so
 * a reader that misses some (disconnected {@value EventStreamEndpoint#MAX_QUEUED} events behind, then
 * reconnecting) is right again with the next. At most {@value #LISTED} members are listed per
 * protocol, all are counted. Members show by the name they last spoke as, never by address.
 */
final class RosterFeed extends EventStreamEndpoint {

    /** The most members listed by name per protocol; the rest are only counted. */
    static final int LISTED = 20;

    /**
     * The room's members.
     *
     * @param total  how many, over every protocol
     * @param groups one per protocol ({@link ChatRoom.Member#via()}), in order of first joining
     */
    record Roster(int total, List<Group> groups) {
    }

    /**
     * The members on one protocol.
     *
     * @param via     the protocol: {@code websocket}, {@code relay/2}, {@code sse-http1}, {@code sse-h2}…
     * @param count   how many
     * @param members the first {@value #LISTED} of them, in order of joining
     */
    record Group(String via, int count, List<ChatRoom.Presence> members) {
    }

    private final ChatRoom room;
    /** Guards building and queueing a roster, so that every stream gets them in the room's order. */
    private final Object lock = new Object();

    RosterFeed(ChatRoom room) {
        this.room = room;
        room.watch(this::changed);
    }

    private void changed() {
        synchronized (lock) {
            broadcast(current());
        }
    }

    private ByteBuffer current() {
        Map<String, List<ChatRoom.Presence>> byVia = new LinkedHashMap<>();
        List<ChatRoom.Presence> roster = room.roster();
        for (ChatRoom.Presence presence : roster)
            byVia.computeIfAbsent(presence.via(), via -> new ArrayList<>()).add(presence);
        List<Group> groups = byVia.entrySet().stream()
            .map(group -> new Group(group.getKey(), group.getValue().size(), List.copyOf(group.getValue().subList(0, Math.min(LISTED, group.getValue().size())))))
            .toList();
        return EventStream.encode("data: " + Json.write(new Roster(roster.size(), groups)) + "\n\n");
    }

    @Override
    protected void subscribe(Request request, Response response, Callback callback) {
        synchronized (lock) {
            open(request, response, callback, stream -> stream.send(current()));
        }
    }
}
