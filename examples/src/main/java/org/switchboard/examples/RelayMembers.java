package org.switchboard.examples;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;

/**
 * {@code /relay}: relay sessions as room members. Text messages are chat lines ({@code name: text});
 * members receive {@code sender: text}. Sending never blocks: relay closes a member that cannot
 * keep up (4001) instead of buffering without bound.
 */
final class RelayMembers implements RelayListener {

    private final ChatRoom room;
    private final Map<RelaySession, ChatRoom.Member> members = new ConcurrentHashMap<>();

    RelayMembers(ChatRoom room) {
        this.room = room;
    }

    @Override
    public void onOpen(RelaySession session) {
        ChatRoom.Member member = new ChatRoom.Member() {
            @Override
            public String protocol() {
                return "relay";
            }

            @Override
            public void deliver(ChatMessage message) {
                session.sendText(message.line());
            }
        };
        members.put(session, member);
        room.join(member);
    }

    @Override
    public void onText(RelaySession session, String text) {
        room.postLine(text, "relay");
    }

    @Override
    public void onClose(RelaySession session, int code, String reason) {
        ChatRoom.Member member = members.remove(session);
        if (member != null)
            room.leave(member);
    }
}
