package org.switchboard.examples;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample's one room: every member, whatever its protocol, receives every message posted by
 * any member or over HTTP.
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

    private final Map<Member, Presence> members = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public ChatRoom(Clock clock) {
        this.clock = clock;
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

    public void join(Member member) {
        members.put(member, new Presence(nextId.getAndIncrement(), member.via(), null));
        changed();
    }

    public void leave(Member member) {
        if (members.remove(member) != null)
            changed();
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

    /** Stamps and sends a message to every member; returns it as sent. */
    public ChatMessage post(String sender, String text, String protocol) {
        ChatMessage message = new ChatMessage(sender, text, protocol, clock.instant());
        for (Member member : members.keySet()) {
            try {
                member.deliver(message);
            } catch (RuntimeException x) {
                // One broken member must not keep the message from the others, nor stay connected
                // but deaf (removed from the room with its connection open): it closes itself.
                LOG.warn("delivery to {} member {} failed: {}", member.protocol(), member, x.toString());
                LOG.debug("delivery failure", x);
                member.deliveryFailed(x);
            }
        }
        return message;
    }

    /**
     * As {@link #post(String, String, String)}, by a member: the message carries the member's
     * {@link Member#via()}, and the {@link #roster} shows the member under {@code sender}.
     */
    public ChatMessage post(Member from, String sender, String text) {
        ChatMessage message = post(sender, text, from.via());
        String shown = sender.length() > MAX_SHOWN_NAME ? sender.substring(0, MAX_SHOWN_NAME) : sender;
        Presence before = members.get(from);
        if (before != null && !shown.equals(before.name()) && members.replace(from, before, new Presence(before.id(), before.via(), shown)))
            changed();
        return message;
    }

    /**
     * Posts a line of the plain-text chat format by a member, as {@link #post(Member, String, String)}:
     * {@code name: text} names the sender (up to 32 characters, no colon), anything else is from
     * {@code anonymous}.
     *
     * @return the message as sent, or {@code null} if the text was blank (nothing is sent)
     */
    public ChatMessage postLine(Member from, String line) {
        Line parsed = Line.parse(line);
        return parsed.text().isBlank() ? null : post(from, parsed.sender(), parsed.text());
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
