package org.switchboard.examples;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.switchboard.relay.CloseCode;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;

/**
 * {@code /relay}: relay sessions as room members. Text messages are chat lines ({@code name: text});
 * members receive {@code sender: text}. Sending never blocks: relay closes a member that cannot
 * keep up (4001) instead of buffering without bound. The server announces
 * {@link ChatRoom#MAX_INCOMING_BYTES} as its {@code Relay-Max-Message-Size} (bigger: 1009); a member
 * that announced less than a message it should hear is closed with 1009 and a reason.
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
                session.sendText(line);
            }

            @Override
            public void deliveryFailed(RuntimeException cause) {
                leave(session);
                session.close(CloseCode.INTERNAL_ERROR, "internal error");
            }

            @Override
            public String toString() {
                return "relay " + session.remoteAddress();
            }
        };
        members.put(session, member);
        room.join(member);
    }

    @Override
    public void onText(RelaySession session, String text) {
        ChatRoom.Member member = members.get(session);
        if (member == null)
            return;  // closed already: it has left the room
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

    @Override
    public void onClose(RelaySession session, int code, String reason) {
        leave(session);
    }

    private void leave(RelaySession session) {
        ChatRoom.Member member = members.remove(session);
        if (member != null)
            room.leave(member);
    }
}
