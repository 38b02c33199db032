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

    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    public ChatRoom(Clock clock) {
        this.clock = clock;
    }

    /** Someone in the room. {@link #deliver} must not block: members queue and write asynchronously. */
    public interface Member {
        /** The protocol this member is connected over, for the health counters. */
        String protocol();

        /** Sends {@code message} to this member. */
        void deliver(ChatMessage message);
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
                // One broken member must not keep the message from the others.
                LOG.warn("dropping member {} after a failed delivery", member, x);
                members.remove(member);
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
        String sender = "anonymous";
        String text = line;
        Matcher named = NAMED.matcher(line);
        if (named.matches()) {
            sender = named.group(1);
            text = named.group(2);
        }
        return text.isBlank() ? null : post(sender, text, protocol);
    }

    /** How many members are in the room, per protocol. */
    public Map<String, Integer> membersByProtocol() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Member member : members)
            counts.merge(member.protocol(), 1, Integer::sum);
        return counts;
    }
}
