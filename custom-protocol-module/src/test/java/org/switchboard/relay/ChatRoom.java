package org.switchboard.relay;

// README:begin chat-room
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A chat room: every text a member sends goes to every member, the sender included. */
public final class ChatRoom implements RelayListener {

    private final Set<RelaySession> members = ConcurrentHashMap.newKeySet();

    @Override
    public void onOpen(RelaySession session) {
        members.add(session);
    }

    @Override
    public void onText(RelaySession from, String text) {
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        for (RelaySession member : members) {
            if (size > member.peerMaxMessageSize())  // what it announced: tell it, never leave it deaf
                member.close(CloseCode.TOO_BIG, "a message of " + size + " bytes is over your maximum");
            else
                member.sendText(text);      // never blocks: a member that cannot keep up is closed with 4001
        }
    }

    @Override
    public void onClose(RelaySession session, int code, String reason) {
        members.remove(session);
    }
}
// README:end chat-room
