package org.switchboard.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A chat room whose relay/2 members can resume (PROTOCOL.md section 8), all in memory: the store a
 * test gives one server, or two servers at once. One log holds every message in room order; each
 * session's record says at which log position its server messages start (server message {@code k}
 * is log entry {@code start + k - 1}) and how many of its own messages the room holds. A member's
 * message {@code k} is appended once however often it arrives (exactly-once append), then
 * acknowledged (deferred-acknowledge mode); a resumed member gets the log from
 * {@code start + n} before anything live, all under the room's lock, so that no entry is missed
 * or sent twice between replay and live.
 */
final class ResumableRoom implements RelayListener, RelayResumption {

    /** Guarded by this. */
    private final List<String> log = new ArrayList<>();
    /** Guarded by this: session records by token. */
    private final Map<String, Record> records = new HashMap<>();
    /** Guarded by this: the connection each session is live on, and how far it got. */
    private final Map<Object, Member> members = new HashMap<>();

    private static final class Record {
        final long start;
        long stored;
        boolean expired;

        Record(long start) {
            this.start = start;
        }
    }

    private static final class Member {
        final RelaySession session;
        long next;

        Member(RelaySession session, long next) {
            this.session = session;
            this.next = next;
        }
    }

    @Override
    public synchronized CompletionStage<Decision> resume(String token, long received) {
        Record record = records.get(token);
        if (record == null)
            return CompletableFuture.completedFuture(new NotResumed("unknown session"));
        if (record.expired)
            return CompletableFuture.completedFuture(new NotResumed("session expired"));
        if (record.start + received > log.size())
            return CompletableFuture.completedFuture(new NotResumed("received " + received + " is ahead of the room"));
        return CompletableFuture.completedFuture(new Resumed(record.stored));
    }

    @Override
    public synchronized void onOpen(RelaySession session) {
        String token = session.sessionToken();
        long next;
        if (token == null) {
            next = log.size();
        } else if (session.resumed()) {
            next = records.get(token).start + session.peerReceivedAtResume();
        } else {
            records.put(token, new Record(log.size()));
            next = log.size();
        }
        // The connection this session had before, if still here, is replaced: it hears no more.
        Member member = new Member(session, next);
        members.put(key(session), member);
        deliver(member);
    }

    @Override
    public synchronized void onText(RelaySession session, String text) {
        String token = session.sessionToken();
        if (token == null) {
            append(text);
            return;
        }
        Record record = records.get(token);
        long count = session.received();
        if (count == record.stored + 1) {
            record.stored = count;
            append(text);
        }
        // count <= stored: a resend of a message the room has; acknowledged again, appended once.
        session.acknowledge(count);
    }

    @Override
    public synchronized void onClose(RelaySession session, int code, String reason) {
        Member member = members.get(key(session));
        if (member != null && member.session == session)
            members.remove(key(session));
    }

    /** Makes {@code token}'s session unresumable, as a record's expiry would. */
    synchronized void expire(String token) {
        records.get(token).expired = true;
    }

    /** The room's messages so far, in order. */
    synchronized List<String> log() {
        return List.copyOf(log);
    }

    private void append(String text) {
        log.add(text);
        for (Member member : members.values())
            deliver(member);
    }

    private void deliver(Member member) {
        while (member.next < log.size() && member.session.isOpen())
            member.session.sendText(log.get((int) member.next++));
    }

    private static Object key(RelaySession session) {
        return session.sessionToken() != null ? session.sessionToken() : session;
    }
}
