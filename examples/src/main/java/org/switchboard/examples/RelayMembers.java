package org.switchboard.examples;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.relay.CloseCode;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelayResumption;
import org.switchboard.relay.RelaySession;

/**
 * {@code /relay}: relay sessions as room members. Text messages are chat lines ({@code name: text});
 * members receive {@code sender: text}. Sending never blocks: relay closes a member that cannot
 * keep up (4001) instead of buffering without bound. The server announces
 * {@link ChatRoom#MAX_INCOMING_BYTES} as its {@code Relay-Max-Message-Size} (bigger: 1009); a member
 * that announced less than a message it should hear is closed with 1009 and a reason.
 *
 * <p><b>relay/2 members resume</b> (custom-protocol-module's PROTOCOL.md section 8) over the room's
 * per-session records ({@link RoomLog#openSession}), in one JVM or across instances sharing Redis:
 * <ul>
 *   <li>Client to room: message {@code k} of a session is appended with
 *       {@link ChatRoom#postForSession} — exactly once however often it
 *       is resent — and acknowledged only once the append succeeded (deferred acknowledgement). Appends
 *       of one session run one after the other, so the record's count never skips a message. A
 *       message the room cannot store is not acknowledged: the session is closed with 1001, and the
 *       client resends it once it resumes, when the room is back.</li>
 *   <li>Room to client: every room message is one relay message, in room order, so relay message
 *       {@code k} of a session is the {@code k}-th room message after where the session started. The
 *       record's acknowledged position and count ({@link RoomLog#acknowledge}) map one relay message
 *       to its room position, the count stored plus one so that count 0 can be the position the
 *       session started after (the last one this instance heard; in a room it has heard nothing of,
 *       the session's first message gives the mapping instead). It moves forward on the client's
 *       ACKs. A client resuming with {@code received=n} gets the room after the {@code n}-th message,
 *       {@code n - count} messages after the recorded position, then live.</li>
 *   <li>Not resumed, explicitly: a session unknown or expired, a position trimmed from the history
 *       or of another epoch (a Redis that lost its data), a client claiming fewer messages than it
 *       acknowledged.</li>
 * </ul>
 * relay/1 members (no ids, no ACKs) are as before: a message the room cannot store is answered with a
 * {@code * not sent} line.
 */
final class RelayMembers implements RelayListener, RelayResumption {

    private static final Logger LOG = LoggerFactory.getLogger(RelayMembers.class);

    /** The most room messages replayed to a resuming member: what the room holds for one catching up. */
    static final int MAX_REPLAY = ChatRoom.MAX_HELD_WHILE_CATCHING_UP;
    /** The most messages sent to a relay/2 member and not yet acknowledged; more and it is closed with 4001. */
    static final int MAX_UNACKNOWLEDGED = 10_000;

    private final ChatRoom room;
    private final RoomLog log;
    private final Map<RelaySession, Member> members = new ConcurrentHashMap<>();
    /** Resumable members by token: a session resumed on this instance replaces its old connection. */
    private final Map<String, Member> byToken = new ConcurrentHashMap<>();
    /** Where a resumption this instance granted replays after, by token: set by {@link #resume}, taken by {@link #onOpen}. */
    private final Map<String, String> resumingAfter = new ConcurrentHashMap<>();

    RelayMembers(ChatRoom room) {
        this.room = room;
        this.log = room.log();
    }

    // RelayResumption: asked on a worker thread before the 101.

    @Override
    public CompletionStage<Decision> resume(String token, long received) {
        return log.session(token).thenCompose(found -> {
            if (found.isEmpty())
                return done(new NotResumed("session unknown or expired"));
            RoomLog.SessionRecord record = found.get();
            if (record.acknowledgedId() == null)
                return done(new NotResumed("the session has no position in the room yet"));
            long acknowledged = record.acknowledgedCount() - 1;
            if (received < acknowledged)
                return done(new NotResumed(received == 0 ? "the session had not received its first message"
                    : "received=" + received + " is below the " + acknowledged + " messages acknowledged"));
            long skip = received - acknowledged;
            if (skip >= MAX_REPLAY)
                return done(new NotResumed("more than " + MAX_REPLAY + " messages to skip"));
            // Read at least one: a position gone (trimmed, another epoch) says so even when nothing is skipped.
            return log.readAfter(record.acknowledgedId(), (int) Math.max(skip, 1)).thenApply(replay -> {
                if (replay instanceof RoomLog.Replay.Gone gone)
                    return new NotResumed(gone.reason());
                var entries = ((RoomLog.Replay.Entries) replay).messages();
                if (entries.size() < skip)
                    return new NotResumed("received=" + received + " is ahead of the room");
                resumingAfter.put(token, skip == 0 ? record.acknowledgedId() : entries.get((int) skip - 1).id());
                return new Resumed(record.messagesInRoom());
            });
        });
    }

    private static CompletionStage<Decision> done(Decision decision) {
        return CompletableFuture.completedFuture(decision);
    }

    // RelayListener: on the connection's I/O thread.

    @Override
    public void onOpen(RelaySession session) {
        String token = session.sessionToken();
        Member member = new Member(session, token);
        members.put(session, member);
        if (token == null) {
            room.join(member);
            return;
        }
        Member previous = byToken.put(token, member);
        if (previous != null && previous.session.isOpen())
            previous.session.close(CloseCode.NORMAL, "session resumed on another connection");
        String after;
        if (session.resumed()) {
            after = resumingAfter.remove(token);
            member.recorded = CompletableFuture.completedFuture(true);
        } else {
            after = log.heard();
            // Count 0 is where the session starts: relay message k is the k-th room message after it.
            member.recorded = log.openSession(token)
                .thenCompose(opened -> after == null ? CompletableFuture.completedFuture(null) : log.acknowledge(token, after, 1))
                .handle((ignored, failure) -> {
                    if (failure != null)
                        member.goAway("the room cannot record this session now: " + RoomUnavailableException.reasonOf(failure));
                    return failure == null;
                });
        }
        synchronized (member) {
            member.appended = member.recorded;
            member.positioned = after != null;
        }
        if (after == null) {
            if (session.resumed()) {
                member.goAway("no position to resume from");
                return;
            }
            room.join(member);
        } else {
            room.join(member, after, MAX_REPLAY);
        }
    }

    @Override
    public void onText(RelaySession session, String text) {
        Member member = members.get(session);
        if (member == null)
            return;  // closed already: it has left the room
        if (member.token == null) {
            postLine(session, member, text);
            return;
        }
        long number = session.received();
        member.append(number, text);
    }

    @Override
    public void onAcknowledged(RelaySession session, long acknowledged) {
        Member member = members.get(session);
        if (member != null && member.token != null)
            member.acknowledged(acknowledged);
    }

    @Override
    public void onClose(RelaySession session, int code, String reason) {
        Member member = members.remove(session);
        if (member == null)
            return;
        room.leave(member);
        if (member.token != null)
            byToken.remove(member.token, member);
    }

    private void postLine(RelaySession session, Member member, String text) {
        try {
            room.postLine(member, text).whenComplete((stored, failure) -> {
                // Not stored (Redis down): say so, rather than let the client think it was said.
                if (failure != null && members.containsKey(session))
                    session.sendText("* not sent: " + RoomUnavailableException.reasonOf(failure));
            });
        } catch (ChatMessage.TooBigException x) {
            // Relay-Max-Message-Size (ChatRoom.MAX_INCOMING_BYTES) keeps this from happening;
            // should it, it is still "too big" (1009) with a one-line reason, not a 1011.
            session.close(CloseCode.TOO_BIG, x.getMessage());
        }
    }

    private void leave(RelaySession session) {
        Member member = members.remove(session);
        if (member != null)
            room.leave(member);
    }

    /** One relay session in the room. */
    private final class Member implements ChatRoom.Member {
        final RelaySession session;
        /** The session's token; null for a session that cannot resume (relay/1). */
        final String token;
        /** Completes with whether the session's record is in the room's store; set in onOpen, before any message. */
        volatile CompletionStage<Boolean> recorded;
        /** The last append of this session's messages, and whether all so far succeeded (guarded by this). */
        CompletionStage<Boolean> appended;
        /** Whether the record has a room position for the session yet (guarded by this). */
        boolean positioned;
        /** Room positions of the messages sent and not yet acknowledged, by their count in the session (guarded by this). */
        private final Deque<Sent> unacknowledged = new ArrayDeque<>();

        Member(RelaySession session, String token) {
            this.session = session;
            this.token = token;
        }

        @Override
        public String protocol() {
            return "relay";
        }

        @Override
        public String via() {
            return "relay/" + session.version();
        }

        @Override
        public void deliver(ChatMessage message) {
            String line = message.line();
            int size = ChatMessage.utf8Length(line);
            if (size > session.peerMaxMessageSize()) {
                // Too big for what this client announced: tell it (PROTOCOL.md "Limits": 1009
                // with a reason) rather than leave it connected and missing messages.
                leave(session);
                session.close(CloseCode.TOO_BIG, "a message of " + size + " bytes is over your Relay-Max-Message-Size "
                    + session.peerMaxMessageSize());
                return;
            }
            Sent first = null;
            synchronized (this) {
                if (!session.sendText(line) || token == null)
                    return;
                if (unacknowledged.size() >= MAX_UNACKNOWLEDGED) {
                    leave(session);
                    session.close(CloseCode.SLOW_CONSUMER, "over " + MAX_UNACKNOWLEDGED + " messages unacknowledged");
                    return;
                }
                Sent sent = new Sent(session.sent(), message.id());
                unacknowledged.addLast(sent);
                if (!positioned) {
                    positioned = true;
                    first = sent;
                }
            }
            if (first != null)
                // The session started without a known room position: its first message gives it one.
                record(first.position(), first.count());
        }

        @Override
        public void reset(String reason) {
            // The 101 said "resumed", but the position went in the meantime: the client comes back
            // and is told "not resumed" then.
            if (token != null && session.resumed())
                goAway(reason);
        }

        @Override
        public void deliveryFailed(RuntimeException cause) {
            leave(session);
            session.close(CloseCode.INTERNAL_ERROR, "internal error");
        }

        /**
         * Appends the session's message {@code number} once every earlier one is in, then acknowledges
         * it. The log is called outside this member's lock: the in-memory log delivers to members
         * under its own lock, and a member's lock is taken inside that.
         */
        void append(long number, String text) {
            CompletableFuture<Boolean> next = new CompletableFuture<>();
            CompletionStage<Boolean> previous;
            synchronized (this) {
                previous = appended;
                appended = next;
            }
            previous.thenCompose(allIn -> allIn ? store(number, text) : CompletableFuture.completedFuture(false))
                .whenComplete((allIn, failure) -> next.complete(failure == null && allIn));
        }

        private CompletionStage<Boolean> store(long number, String text) {
            ChatRoom.Line line = ChatRoom.Line.parse(text);
            if (line.text().isBlank()) {
                // Nothing to store (as postLine), but the message is handled.
                session.acknowledge(number);
                return CompletableFuture.completedFuture(true);
            }
            CompletionStage<RoomLog.SessionAppend> stored;
            try {
                stored = room.postForSession(this, token, number, line.sender(), line.text());
            } catch (ChatMessage.TooBigException x) {
                // Relay-Max-Message-Size keeps this from happening; should it, 1009 with a reason.
                session.close(CloseCode.TOO_BIG, x.getMessage());
                return CompletableFuture.completedFuture(false);
            }
            return stored.handle((result, failure) -> {
                if (failure != null) {
                    goAway("the room cannot store messages now: " + RoomUnavailableException.reasonOf(failure));
                    return false;
                }
                if (result instanceof RoomLog.SessionAppend.UnknownSession) {
                    goAway("the session expired in the room");
                    return false;
                }
                // Appended now, or already there (a resend after a lost ACK): handled.
                session.acknowledge(number);
                return true;
            });
        }

        /** The client acknowledged {@code count} of the session's messages: the record moves to that message's position. */
        void acknowledged(long count) {
            Sent last = null;
            synchronized (this) {
                while (!unacknowledged.isEmpty() && unacknowledged.peekFirst().count() <= count)
                    last = unacknowledged.removeFirst();
            }
            if (last != null)
                record(last.position(), count);
        }

        /**
         * Records that relay message {@code count} of the session is the room message at {@code position}
         * (stored as {@code count + 1}: count 0 is where the session started); the record only moves forward.
         */
        private void record(String position, long count) {
            recorded.thenCompose(ok -> ok ? log.acknowledge(token, position, count + 1) : CompletableFuture.completedFuture(null))
                .whenComplete((ignored, failure) -> {
                    if (failure != null)
                        LOG.debug("recording relay session {} at {} failed: {}", token, position, failure.toString());
                });
        }

        /** Ends the connection so that the client resumes (PROTOCOL.md section 8: CLOSE 1001). */
        void goAway(String reason) {
            leave(session);
            session.close(CloseCode.GOING_AWAY, reason);
        }

        @Override
        public String toString() {
            return "relay " + session.remoteAddress();
        }
    }

    /** A room message sent to a member: its count in the session and its room position. */
    private record Sent(long count, String position) {
    }
}
