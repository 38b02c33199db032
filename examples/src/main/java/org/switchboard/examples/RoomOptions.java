package org.switchboard.examples;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Which room the sample serves and on what engine: {@code --redis}, {@code --room}, {@code --room-history}.
 *
 * @param redis      {@code redis://HOST:PORT} of the Redis whose stream holds the room, or {@code null}
 *                   for the in-memory room (the default)
 * @param room       the room's name ({@code lobby} by default): the stream is {@code room:NAME}; 1 to 64
 *                   characters of {@code [A-Za-z0-9_.-]}
 * @param history    the most messages kept for replay, {@code >= 1} (Redis: {@code MAXLEN ~}, so
 *                   approximately, never fewer)
 * @param sessionTtl how long a session record is kept after its last use
 */
public record RoomOptions(String redis, String room, int history, Duration sessionTtl) {

    /** The in-memory {@code lobby}, {@value RoomLog#DEFAULT_HISTORY} messages kept, sessions for 10 minutes. */
    public static final RoomOptions DEFAULT = new RoomOptions(null, "lobby", RoomLog.DEFAULT_HISTORY, RoomLog.DEFAULT_SESSION_TTL);

    public RoomOptions {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        if (!room.matches("[A-Za-z0-9_.-]{1,64}"))
            throw new IllegalArgumentException("a room name is 1 to 64 characters of [A-Za-z0-9_.-]: " + Responses.oneLine(room));
        if (history < 1)
            throw new IllegalArgumentException("the room's history is at least 1 message");
        if (sessionTtl.isNegative() || sessionTtl.isZero())
            throw new IllegalArgumentException("the session TTL is positive");
    }

    /** These options on the Redis at {@code uri}. */
    public RoomOptions onRedis(String uri) {
        return new RoomOptions(uri, room, history, sessionTtl);
    }

    /** These options keeping {@code messages} for replay. */
    public RoomOptions withHistory(int messages) {
        return new RoomOptions(redis, room, messages, sessionTtl);
    }

    /** These options for the room named {@code name}. */
    public RoomOptions named(String name) {
        return new RoomOptions(redis, name, history, sessionTtl);
    }

    /**
     * Opens the engine these options name: connects to Redis, if any.
     *
     * @throws RoomUnavailableException if Redis cannot be reached at start (one line, naming it)
     */
    RoomLog open(Clock clock) {
        return redis == null ? new InMemoryRoomLog(history, sessionTtl, clock) : RedisRoomLog.connect(this);
    }
}
