package org.switchboard.examples;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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

    private final Set<Member> members = ConcurrentHashMap.newKeySet();
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
        /** The protocol this member is connected over, for the health counters. */
        String protocol();

        /** Sends {@code message} to this member, or closes its connection if it cannot take it. */
        void deliver(ChatMessage message);

        /**
         * {@link #deliver} threw (a bug): end the connection with the protocol's internal-error
         * close, which makes the member leave. By default nothing: the member stays in the room.
         */
        default void deliveryFailed(RuntimeException cause) {
        }
    }

    public void join(Member member) {
        members.add(member);
    }

    public void leave(Member member) {
        members.remove(member);
    }

    /** Stamps and sends a message to every member; returns it as sent. */
    public ChatMessage post(String sender, String text, String protocol) {
        ChatMessage message = new ChatMessage(sender, text, protocol, clock.instant());
        for (Member member : members) {
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
     * Posts a line of the plain-text chat format: {@code name: text} names the sender (up to 32
     * characters, no colon), anything else is from {@code anonymous}.
     *
     * @return the message as sent, or {@code null} if the text was blank (nothing is sent)
     */
    public ChatMessage postLine(String line, String protocol) {
        Line parsed = Line.parse(line);
        return parsed.text().isBlank() ? null : post(parsed.sender(), parsed.text(), protocol);
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
        for (Member member : members)
            counts.merge(member.protocol(), 1, Integer::sum);
        return counts;
    }
}
