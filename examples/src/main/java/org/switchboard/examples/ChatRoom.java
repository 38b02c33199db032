package org.switchboard.examples;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample's one room: every member, whatever its protocol, receives every message posted by
 * any member or over HTTP — on this instance or, with a shared {@link RoomLog}, on any other. Posting
 * appends to the log; members hear what the log delivers, in its one order, each message once. A
 * member may join {@link #join(Member, String, int) after a position} it heard before: it gets what
 * it missed, then live, with no gap and no duplicate — or an explicit {@link Member#reset} first.
 */
public final class ChatRoom {

    private static final Logger LOG = LoggerFactory.getLogger(ChatRoom.class);

    private static final Pattern NAMED = Pattern.compile("([^:\\s][^:]{0,31}): (.*)", Pattern.DOTALL);

    /**
     * The largest message, in UTF-8 bytes, a member may send over WebSocket or relay: what
     * {@code /chat} announces as its {@code maxTextMessageSize} and {@code /relay} in
     * {@code Relay-Max-Message-Size}, each protocol closing with 1009 over it. A line without a
     * sender's name goes out as {@code anonymous: line}, so this is {@link ChatMessage#MAX_LINE_BYTES}
     * less that prefix: every message a protocol accepts, the room accepts too, and can deliver to
     * every member that accepts {@link ChatMessage#MAX_LINE_BYTES} (the relay default).
     */
    public static final int MAX_INCOMING_BYTES = ChatMessage.MAX_LINE_BYTES - "anonymous: ".length();

    /** The longest name {@link Presence} shows; a sender may name itself longer in JSON. */
    static final int MAX_SHOWN_NAME = 64;

    /** The most live messages held for a member while its replay is read; more and it is reset. */
    static final int MAX_HELD_WHILE_CATCHING_UP = 10_000;

    private final Map<Member, Presence> members = new ConcurrentHashMap<>();
    private final Map<Member, Feed> feeds = new ConcurrentHashMap<>();
    private final RoomLog log;
    private final AtomicLong nextId = new AtomicLong(1);
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public ChatRoom(Clock clock, RoomLog log) {
        this.clock = clock;
        this.log = log;
        log.subscribe(this::heard);
    }

    /** The engine behind the room. */
    public RoomLog log() {
        return log;
    }

    /**
     * Someone in the room. {@link #deliver} must not block: members queue and write asynchronously.
     * A member never stays connected without hearing the room: one that cannot take a message (too
     * big for what its client announced, too slow) closes its connection, with a reason, and leaves.
     */
    public interface Member {
        /** The protocol this member is connected over, for the health counters: a bounded key. */
        String protocol();

        /**
         * The protocol as the room shows it, on this member's messages and in the {@link #roster}:
         * with its version when it has one ({@code relay/2}); {@link #protocol()} by default.
         */
        default String via() {
            return protocol();
        }

        /** Sends {@code message} to this member, or closes its connection if it cannot take it. */
        void deliver(ChatMessage message);

        /**
         * Sends the messages a resuming member missed, before anything live: by default one
         * {@link #deliver} each. A member whose bound on queued messages would count a replay as
         * "too slow" sends them its own way (one write).
         */
        default void deliverAll(List<ChatMessage> missed) {
            missed.forEach(this::deliver);
        }

        /**
         * The position this member resumed from is gone (trimmed, another epoch, malformed) or could not
         * be read: it gets live messages from now, and its client should know that it missed some. Runs
         * before any live message. By default nothing.
         *
         * @param reason one line
         */
        default void reset(String reason) {
        }

        /**
         * {@link #deliver} threw (a bug): end the connection with the protocol's internal-error
         * close, which makes the member leave. By default nothing: the member stays in the room.
         */
        default void deliveryFailed(RuntimeException cause) {
        }
    }

    /**
     * A member as the others see it.
     *
     * @param id   the room's number for it, from 1 in order of joining
     * @param via  its {@link Member#via()}
     * @param name the sender name it last spoke as (at most {@value #MAX_SHOWN_NAME} characters),
     *             or {@code null} until it speaks
     */
    public record Presence(long id, String via, String name) {
    }

    /** Joins {@code member}: it hears every message from now on. */
    public void join(Member member) {
        join(member, null, 1);
    }

    /**
     * How a member that asked to resume joined.
     *
     * @param resumed  whether it got every message after its position ({@code false}: it was {@link Member#reset})
     * @param replayed how many missed messages it got before live ones
     * @param reason   why it was not resumed, one line; {@code null} if it was
     */
    public record Resume(boolean resumed, int replayed, String reason) {
    }

    /**
     * Joins {@code member} after {@code position}: first the messages after it ({@link Member#deliverAll}),
     * then live ones, each once; or, if the position is gone or more than {@code maxReplay} messages
     * follow it, {@link Member#reset} and live ones. Live messages that arrive meanwhile are held (at most
     * {@value #MAX_HELD_WHILE_CATCHING_UP}) and those already replayed dropped.
     *
     * @param position  the last {@link ChatMessage#id()} the member's client heard; {@code null} for live only
     * @param maxReplay the most missed messages to send, {@code >= 1}
     * @return completes once the member hears live messages
     */
    public CompletionStage<Resume> join(Member member, String position, int maxReplay) {
        Feed feed = new Feed(member, position);
        feeds.put(member, feed);
        members.put(member, new Presence(nextId.getAndIncrement(), member.via(), null));
        changed();
        if (position == null)
            return CompletableFuture.completedFuture(new Resume(true, 0, null));
        return log.readAfter(position, maxReplay).handle((replay, failure) -> {
            if (failure != null)
                return feed.caughtUp(List.of(), "the room cannot replay now: " + RoomUnavailableException.reasonOf(failure));
            if (replay instanceof RoomLog.Replay.Gone gone)
                return feed.caughtUp(List.of(), gone.reason());
            RoomLog.Replay.Entries entries = (RoomLog.Replay.Entries) replay;
            if (entries.more())
                return feed.caughtUp(List.of(), "more than " + maxReplay + " messages missed");
            return feed.caughtUp(entries.messages(), null);
        });
    }

    public void leave(Member member) {
        feeds.remove(member);
        if (members.remove(member) != null)
            changed();
    }

    /** What the log delivered: to every member, in the log's order. */
    private void heard(ChatMessage message) {
        RoomPosition position = RoomPosition.parse(message.id()).orElse(null);
        for (Feed feed : feeds.values())
            feed.offer(message, position);
    }

    /**
     * One member's delivery: the position it has heard up to (so that nothing reaches it twice, whichever
     * of replay and live brings it first) and, while its replay is read, the live messages held back.
     */
    private static final class Feed {
        private final Member member;
        /** Non-null while catching up (guarded by this). */
        private List<ChatMessage> held;
        private boolean overflowed;
        /** The last position delivered, or the one resumed after (guarded by this); null: none yet. */
        private RoomPosition heardUpTo;

        /** @param resumeAfter the position the member resumes after, or {@code null} for live only */
        Feed(Member member, String resumeAfter) {
            this.member = member;
            this.held = resumeAfter != null ? new ArrayList<>() : null;
            this.heardUpTo = RoomPosition.parse(resumeAfter).orElse(null);
        }

        synchronized void offer(ChatMessage message, RoomPosition position) {
            if (held != null) {
                if (held.size() < MAX_HELD_WHILE_CATCHING_UP)
                    held.add(message);
                else
                    overflowed = true;
                return;
            }
            if (position != null && !position.isAfter(heardUpTo))
                return;
            heardUpTo = position;
            deliver(member, message);
        }

        synchronized Resume caughtUp(List<ChatMessage> missed, String reset) {
            if (overflowed)
                reset = "more than " + MAX_HELD_WHILE_CATCHING_UP + " messages arrived while catching up";
            List<ChatMessage> send = new ArrayList<>();
            if (reset == null) {
                send.addAll(missed);
            } else {
                heardUpTo = null;
                member.reset(reset);
            }
            List<ChatMessage> live = held;
            held = null;
            if (!send.isEmpty()) {
                heardUpTo = RoomPosition.parse(send.get(send.size() - 1).id()).orElse(heardUpTo);
                try {
                    member.deliverAll(send);
                } catch (RuntimeException x) {
                    failed(member, x);
                }
            }
            for (ChatMessage message : live)
                offer(message, RoomPosition.parse(message.id()).orElse(null));
            return new Resume(reset == null, send.size(), reset);
        }
    }

    private static void deliver(Member member, ChatMessage message) {
        try {
            member.deliver(message);
        } catch (RuntimeException x) {
            failed(member, x);
        }
    }

    private static void failed(Member member, RuntimeException x) {
        // One broken member must not keep the message from the others, nor stay connected
        // but deaf (removed from the room with its connection open): it closes itself.
        LOG.warn("delivery to {} member {} failed: {}", member.protocol(), member, x.toString());
        LOG.debug("delivery failure", x);
        member.deliveryFailed(x);
    }

    /**
     * Runs {@code watcher} after every change of the {@link #roster}: a join, a leave, a member
     * speaking under a new name. It runs on the thread that changed the room, often an I/O thread:
     * it must be quick and must not block.
     */
    public void watch(Runnable watcher) {
        watchers.add(watcher);
    }

    /** Every member, in order of joining. */
    public List<Presence> roster() {
        return members.values().stream().sorted(Comparator.comparingLong(Presence::id)).toList();
    }

    private void changed() {
        for (Runnable watcher : watchers)
            watcher.run();
    }

    /**
     * Stamps a message and appends it to the room's log, which sends it to every member.
     *
     * @return completes with the message as stored (with its id), or fails with
     *         {@link RoomUnavailableException} if it was not stored
     * @throws ChatMessage.TooBigException if the message is over {@link ChatMessage#MAX_LINE_BYTES}
     */
    public CompletionStage<ChatMessage> post(String sender, String text, String protocol) {
        return log.append(new ChatMessage(null, sender, text, protocol, clock.instant()));
    }

    /**
     * As {@link #post(String, String, String)}, by a member: the message carries the member's
     * {@link Member#via()}, and the {@link #roster} shows the member under {@code sender}.
     */
    public CompletionStage<ChatMessage> post(Member from, String sender, String text) {
        CompletionStage<ChatMessage> message = post(sender, text, from.via());
        spokeAs(from, sender);
        return message;
    }

    /** The {@link #roster} shows {@code from} under {@code sender} from now on. */
    private void spokeAs(Member from, String sender) {
        String shown = sender.length() > MAX_SHOWN_NAME ? sender.substring(0, MAX_SHOWN_NAME) : sender;
        Presence before = members.get(from);
        if (before != null && !shown.equals(before.name()) && members.replace(from, before, new Presence(before.id(), before.via(), shown)))
            changed();
    }

    /**
     * As {@link #post(Member, String, String)}, for message number {@code number} of resumable session
     * {@code token}: appended exactly once however often it is resent ({@link RoomLog#appendForSession}).
     *
     * @return {@link RoomLog.SessionAppend.Appended} with the message as stored, {@link RoomLog.SessionAppend.AlreadyThere}
     *         or {@link RoomLog.SessionAppend.UnknownSession}; fails with {@link RoomUnavailableException} if it was not stored
     * @throws ChatMessage.TooBigException if the message is over {@link ChatMessage#MAX_LINE_BYTES}
     */
    public CompletionStage<RoomLog.SessionAppend> postForSession(Member from, String token, long number, String sender, String text) {
        CompletionStage<RoomLog.SessionAppend> appended = log.appendForSession(token, number,
            new ChatMessage(null, sender, text, from.via(), clock.instant()));
        spokeAs(from, sender);
        return appended;
    }

    /**
     * Posts a line of the plain-text chat format by a member, as {@link #post(Member, String, String)}:
     * {@code name: text} names the sender (up to 32 characters, no colon), anything else is from
     * {@code anonymous}.
     *
     * @return the message as stored, or {@code null} (completed) if the text was blank (nothing is sent)
     */
    public CompletionStage<ChatMessage> postLine(Member from, String line) {
        Line parsed = Line.parse(line);
        return parsed.text().isBlank() ? CompletableFuture.completedFuture(null) : post(from, parsed.sender(), parsed.text());
    }

    /** A line of the plain-text chat format, split into its sender and text. */
    record Line(String sender, String text) {
        static Line parse(String line) {
            Matcher named = NAMED.matcher(line);
            return named.matches() ? new Line(named.group(1), named.group(2)) : new Line("anonymous", line);
        }
    }

    /** How many members are in the room, per protocol. */
    public Map<String, Integer> membersByProtocol() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Member member : members.keySet())
            counts.merge(member.protocol(), 1, Integer::sum);
        return counts;
    }
}
