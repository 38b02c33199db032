package org.switchboard.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The room in this JVM only: the default. Its epoch is random per start; positions count
 * {@code n-0} from 1; the last {@code history} messages are kept. Everything happens under one lock,
 * synchronously, so every subscriber hears one order and every stage is complete when returned.
 * Session records expire after the TTL without use (checked on use, and swept as sessions open).
 */
public final class InMemoryRoomLog implements RoomLog {

    private final String epoch = RoomPosition.newEpoch();
    private final int history;
    private final Duration sessionTtl;
    private final Clock clock;
    private final Object lock = new Object();
    /** The last {@link #history} messages, oldest first (guarded by {@link #lock}). */
    private final ArrayDeque<ChatMessage> kept = new ArrayDeque<>();
    private final RoomSubscribers subscribers = new RoomSubscribers();
    /** Guarded by {@link #lock}. */
    private final Map<String, Session> sessions = new HashMap<>();
    /** The number the next message gets (guarded by {@link #lock}). */
    private long next = 1;
    /** The number of the last message trimmed from {@link #kept}, 0 if none (guarded by {@link #lock}). */
    private long trimmed;
    private Instant nextSweep = Instant.MIN;

    /**
     * @param history    the most messages kept, {@code >= 1}
     * @param sessionTtl how long a session record lives without use
     * @param clock      for session expiry
     */
    public InMemoryRoomLog(int history, Duration sessionTtl, Clock clock) {
        if (history < 1)
            throw new IllegalArgumentException("the room's history is at least 1 message");
        this.history = history;
        this.sessionTtl = sessionTtl;
        this.clock = clock;
    }

    /** A session's mutable record (guarded by {@link #lock}). */
    private static final class Session {
        long messagesInRoom;
        String acknowledgedId;
        long acknowledgedCount;
        Instant expires;

        SessionRecord record(String token) {
            return new SessionRecord(token, messagesInRoom, acknowledgedId, acknowledgedCount);
        }
    }

    @Override
    public String describe() {
        return "in-memory (history " + history + ")";
    }

    @Override
    public Status status() {
        return new Status(true, "in-memory");
    }

    @Override
    public CompletionStage<ChatMessage> append(ChatMessage message) {
        synchronized (lock) {
            return CompletableFuture.completedFuture(appendLocked(message));
        }
    }

    private ChatMessage appendLocked(ChatMessage message) {
        ChatMessage stored = message.at(new RoomPosition(epoch, next++, 0));
        kept.addLast(stored);
        while (kept.size() > history) {
            kept.removeFirst();
            trimmed++;
        }
        // Under the lock, so that every subscriber hears the one order of the numbers.
        subscribers.tell(stored);
        return stored;
    }

    @Override
    public CompletionStage<Replay> readAfter(RoomPosition after, int limit) {
        if (limit < 1)
            throw new IllegalArgumentException("limit is at least 1");
        synchronized (lock) {
            Replay replay;
            if (!after.epoch().equals(epoch))
                replay = new Replay.Gone("position from another epoch of the room (it restarted)");
            else if (after.minor() != 0 || after.major() >= next)
                replay = new Replay.Gone("position unknown to the room");
            else if (after.major() < trimmed)
                replay = new Replay.Gone("position trimmed from the room's history");
            else
                replay = entriesAfter(after.major(), limit);
            return CompletableFuture.completedFuture(replay);
        }
    }

    private Replay entriesAfter(long number, int limit) {
        List<ChatMessage> messages = new ArrayList<>();
        long firstKept = trimmed + 1;
        long skip = number + 1 - firstKept;
        boolean more = false;
        for (ChatMessage message : kept) {
            if (skip-- > 0)
                continue;
            if (messages.size() == limit) {
                more = true;
                break;
            }
            messages.add(message);
        }
        return new Replay.Entries(messages, more);
    }

    @Override
    public CompletionStage<SessionRecord> openSession(String token) {
        RoomLog.requireToken(token);
        synchronized (lock) {
            sweep();
            Session session = new Session();
            session.expires = clock.instant().plus(sessionTtl);
            sessions.put(token, session);
            return CompletableFuture.completedFuture(session.record(token));
        }
    }

    /** Drops expired sessions, at most once per TTL, so that memory is bounded by the sessions opened in two TTLs. */
    private void sweep() {
        Instant now = clock.instant();
        if (now.isBefore(nextSweep))
            return;
        sessions.values().removeIf(session -> !session.expires.isAfter(now));
        nextSweep = now.plus(sessionTtl);
    }

    /** The live session {@code token} with its expiry restarted, or {@code null} (guarded by {@link #lock}). */
    private Session live(String token) {
        Session session = sessions.get(token);
        if (session == null)
            return null;
        Instant now = clock.instant();
        if (!session.expires.isAfter(now)) {
            sessions.remove(token);
            return null;
        }
        session.expires = now.plus(sessionTtl);
        return session;
    }

    @Override
    public CompletionStage<Optional<SessionRecord>> session(String token) {
        synchronized (lock) {
            Session session = live(token);
            return CompletableFuture.completedFuture(Optional.ofNullable(session == null ? null : session.record(token)));
        }
    }

    @Override
    public CompletionStage<Optional<SessionRecord>> acknowledge(String token, String position, long count) {
        synchronized (lock) {
            Session session = live(token);
            if (session == null)
                return CompletableFuture.completedFuture(Optional.empty());
            if (count > session.acknowledgedCount) {
                session.acknowledgedCount = count;
                session.acknowledgedId = position;
            }
            return CompletableFuture.completedFuture(Optional.of(session.record(token)));
        }
    }

    @Override
    public CompletionStage<SessionAppend> appendForSession(String token, long number, ChatMessage message) {
        synchronized (lock) {
            Session session = live(token);
            if (session == null)
                return CompletableFuture.completedFuture(new SessionAppend.UnknownSession());
            if (session.messagesInRoom >= number)
                return CompletableFuture.completedFuture(new SessionAppend.AlreadyThere(session.messagesInRoom));
            session.messagesInRoom = number;
            return CompletableFuture.completedFuture(new SessionAppend.Appended(appendLocked(message)));
        }
    }

    @Override
    public void subscribe(Consumer<ChatMessage> subscriber) {
        subscribers.add(subscriber);
    }

    @Override
    public String heard() {
        synchronized (lock) {
            return new RoomPosition(epoch, next - 1, 0).toString();
        }
    }

    @Override
    public void close() {
        subscribers.clear();
    }
}
