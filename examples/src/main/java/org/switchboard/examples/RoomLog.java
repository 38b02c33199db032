package org.switchboard.examples;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The room's ordered, bounded history: the engine every instance of the sample shares. It gives
 * each appended message its {@link RoomPosition} (the message's {@link ChatMessage#id()}), delivers
 * every message — appended here or by another instance — to its {@link #subscribe subscribers} in
 * one order, keeps the last {@code history} messages to replay after a position, and keeps a
 * {@link SessionRecord} per resumable session.
 *
 * <p>Two engines: {@link InMemoryRoomLog} (one JVM, the default) and {@link RedisRoomLog} (a Redis
 * stream shared by several instances). Both behave alike within one JVM.
 *
 * <p>Every method returns at once and never blocks the calling thread (Jetty I/O threads call
 * them); stages complete on the engine's threads, or at once for the in-memory engine. A stage fails
 * with {@link RoomUnavailableException} (a one-line reason) when the engine cannot be reached or
 * does not answer in time: nothing was stored then, as far as this instance knows.
 */
public interface RoomLog extends AutoCloseable {

    /** The default number of messages kept: what {@code --room-history} sets ({@code MAXLEN ~} for Redis). */
    int DEFAULT_HISTORY = 10_000;

    /** How long a session record is kept after its last use by default: 10 minutes. */
    Duration DEFAULT_SESSION_TTL = Duration.ofMinutes(10);

    /** What the start-up line and {@code /health} call this engine, e.g. {@code in-memory} or {@code redis redis://127.0.0.1:6379 stream room:lobby}. */
    String describe();

    /**
     * Whether the engine can be reached now, for {@code /health}.
     *
     * @return never {@code null}
     */
    Status status();

    /**
     * Appends {@code message} and completes with it at its position ({@link ChatMessage#id()} set). The
     * message reaches the {@link #subscribe subscribers} in the room's order — for the in-memory room
     * before the stage completes, for Redis when this instance's reader reads it back.
     *
     * @param message a message without an id
     * @return the message as stored; fails with {@link RoomUnavailableException} if it was not stored
     */
    CompletionStage<ChatMessage> append(ChatMessage message);

    /**
     * The messages after {@code position}, for a client that reconnects with the last id it saw.
     *
     * @param position a {@link ChatMessage#id()} as the client hands it back (any text: a malformed one is
     *                 {@link Replay.Gone})
     * @param limit    the most messages to answer, {@code >= 1}
     * @return {@link Replay.Entries} in room order (those after {@code position}, at most {@code limit};
     *         {@code more} if there were others after them), or {@link Replay.Gone} when {@code position}
     *         is malformed, of another epoch, unknown, or older than the history kept (trimmed)
     */
    default CompletionStage<Replay> readAfter(String position, int limit) {
        if (limit < 1)
            throw new IllegalArgumentException("limit is at least 1");
        Optional<RoomPosition> after = RoomPosition.parse(position);
        return after.isEmpty() ? CompletableFuture.completedFuture(Replay.Gone.NOT_A_POSITION) : readAfter(after.get(), limit);
    }

    /**
     * As {@link #readAfter(String, int)}, for a position already parsed.
     *
     * @param position a position (of any epoch: another one is {@link Replay.Gone})
     * @param limit    the most messages to answer, {@code >= 1}
     * @return as {@link #readAfter(String, int)}
     */
    CompletionStage<Replay> readAfter(RoomPosition position, int limit);

    /**
     * Adds a subscriber that receives every message from now on, from every instance, in the room's
     * one order, each once. It runs on the engine's thread (the appending thread in memory, the reader
     * thread for Redis): it must be quick and must not block.
     *
     * @param subscriber told each message, with its id
     */
    void subscribe(Consumer<ChatMessage> subscriber);

    /**
     * Where this instance's live delivery stands: the id of the last message it gave its
     * {@link #subscribe subscribers}, or, before the first, the position its delivery started after —
     * for an empty room the position before its first message ({@code <epoch>-0-0}), which
     * {@link #readAfter} answers with every message while none has been trimmed. A new resumable
     * session starts here, so that a client cut off before it heard anything can still be replayed
     * what it missed.
     *
     * @return the position's text form, or {@code null} while the engine has not yet been reached
     */
    String heard();

    /**
     * Creates (or replaces) the record of session {@code token}: no messages in the room, nothing
     * acknowledged. It expires after the session TTL without use.
     *
     * @param token the session's token: 1 to 128 characters of {@code [A-Za-z0-9_-]}
     * @return the new record
     * @throws IllegalArgumentException if {@code token} is not one
     */
    CompletionStage<SessionRecord> openSession(String token);

    /**
     * The record of session {@code token}, its expiry restarted.
     *
     * @param token any text (a malformed token is unknown)
     * @return the record, or empty if the session is unknown or expired
     */
    CompletionStage<Optional<SessionRecord>> session(String token);

    /**
     * Records that the client of session {@code token} has acknowledged the room up to
     * {@code position}, {@code count} messages in all, and restarts its expiry. A {@code count} not
     * above the recorded one changes nothing (acknowledgements only move forward).
     *
     * @param token    the session
     * @param position the {@link ChatMessage#id()} of the last room message the client acknowledged
     * @param count    how many room messages the client had acknowledged then
     * @return the record after the change, or empty if the session is unknown or expired
     */
    CompletionStage<Optional<SessionRecord>> acknowledge(String token, String position, long count);

    /**
     * Appends message number {@code number} of session {@code token} exactly once: only if the
     * session's record counts fewer than {@code number} messages in the room, and atomically with
     * raising that count to {@code number}. A client that resends after a lost acknowledgement is
     * answered {@link SessionAppend.AlreadyThere} rather than doubled.
     *
     * @param token   the session
     * @param number  the message's number in the session, from 1
     * @param message a message without an id
     * @return {@link SessionAppend.Appended} with the message as stored, {@link SessionAppend.AlreadyThere}
     *         or {@link SessionAppend.UnknownSession}; fails with {@link RoomUnavailableException} if
     *         the engine cannot be reached
     */
    CompletionStage<SessionAppend> appendForSession(String token, long number, ChatMessage message);

    /** Stops delivering and releases the engine's connections and threads; waits for them, boundedly. */
    @Override
    void close();

    /**
     * Whether the engine is reachable.
     *
     * @param up   {@code false} while the engine cannot be reached: appends fail with {@link RoomUnavailableException}
     * @param text for {@code /health}: {@code in-memory}, {@code redis: up} or {@code redis: down}
     */
    record Status(boolean up, String text) {
        public Status {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The answer of {@link #readAfter}: the messages missed, or an explicit "position gone". */
    sealed interface Replay permits Replay.Entries, Replay.Gone {

        /**
         * The position is known: these messages follow it.
         *
         * @param messages in room order, each with its id; empty if the client missed nothing
         * @param more     whether more messages follow the last of these (read again after it)
         */
        record Entries(List<ChatMessage> messages, boolean more) implements Replay {
            public Entries {
                messages = List.copyOf(messages);
            }
        }

        /**
         * The position cannot be resumed from: the client must start again from now (a reset).
         *
         * @param reason one line, e.g. {@code position trimmed from the room's history}
         */
        record Gone(String reason) implements Replay {

            /** The answer for a text that is not a position at all. */
            public static final Gone NOT_A_POSITION = new Gone("not a position of this room");

            public Gone {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /**
     * What the room keeps of a resumable session.
     *
     * @param token             the session's token
     * @param messagesInRoom    how many of the session's own messages are in the room (the highest
     *                          number {@link #appendForSession} appended)
     * @param acknowledgedId    the id of the last room message the session's client acknowledged, or
     *                          {@code null} if none yet
     * @param acknowledgedCount how many room messages the client had acknowledged then ({@code 0} if none)
     */
    record SessionRecord(String token, long messagesInRoom, String acknowledgedId, long acknowledgedCount) {
        public SessionRecord {
            Objects.requireNonNull(token, "token");
        }
    }

    /** The answer of {@link #appendForSession}. */
    sealed interface SessionAppend permits SessionAppend.Appended, SessionAppend.AlreadyThere, SessionAppend.UnknownSession {

        /**
         * Appended now.
         *
         * @param message the message as stored, with its id
         */
        record Appended(ChatMessage message) implements SessionAppend {
        }

        /**
         * Not appended: the room has it already.
         *
         * @param messagesInRoom the session's count of messages in the room, {@code >=} the number offered
         */
        record AlreadyThere(long messagesInRoom) implements SessionAppend {
        }

        /** Not appended: the session is unknown or expired. */
        record UnknownSession() implements SessionAppend {
        }
    }

    /**
     * {@code token}, if it is a session token (see {@link #isToken}).
     *
     * @throws IllegalArgumentException if it is not one
     */
    static String requireToken(String token) {
        if (!isToken(token))
            throw new IllegalArgumentException("a session token is 1 to 128 characters of [A-Za-z0-9_-]");
        return token;
    }

    /** Whether {@code token} is a session token: 1 to 128 characters of {@code [A-Za-z0-9_-]}. */
    static boolean isToken(String token) {
        if (token == null || token.isEmpty() || token.length() > 128)
            return false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'))
                return false;
        }
        return true;
    }
}
