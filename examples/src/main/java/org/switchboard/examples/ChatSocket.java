package org.switchboard.examples;

import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * {@code /chat}: a room member over WebSocket. Two subprotocols (W6):
 * <ul>
 *   <li>{@code chat} — plain text lines; {@code name: text} names the sender, anything else is
 *       from {@code anonymous}; members receive {@code sender: text} lines;</li>
 *   <li>{@code superchat} — JSON: send {@code {"sender": "...", "text": "..."}}, receive
 *       {@code {"sender", "text", "protocol", "sentAt"}}.</li>
 * </ul>
 * A member that falls {@value #MAX_PENDING} messages behind is closed with 1008 rather than
 * buffered without bound. A text over {@link ChatRoom#MAX_INCOMING_BYTES} (the endpoint's
 * {@code maxTextMessageSize}) is closed with 1009 by Jetty (W8). WebSocket clients announce no
 * limit of their own: one that cannot take a message closes the session itself, and leaves.
 */
public final class ChatSocket implements Session.Listener.AutoDemanding, ChatRoom.Member {

    static final int MAX_PENDING = 256;

    private final ChatRoom room;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Session session;
    private volatile boolean json;

    ChatSocket(ChatRoom room) {
        this.room = room;
    }

    @Override
    public String protocol() {
        return "websocket";
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.json = "superchat".equals(session.getUpgradeResponse().getAcceptedSubProtocol());
        room.join(this);
    }

    @Override
    public void onWebSocketText(String message) {
        try {
            if (!json) {
                room.postLine(this, message);
                return;
            }
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(message);
            } catch (Exception x) {
                session.close(StatusCode.BAD_DATA, "not a superchat JSON message", Callback.NOOP);
                return;
            }
            String text = node.path("text").asText("");
            if (!text.isBlank())
                room.post(this, node.path("sender").asText("anonymous"), text);
        } catch (ChatMessage.TooBigException x) {
            // The endpoint's maxTextMessageSize (ChatRoom.MAX_INCOMING_BYTES) keeps this from
            // happening; should it, it is still "too big" (W8: 1009) with a one-line reason, not a 1011.
            session.close(StatusCode.MESSAGE_TOO_LARGE, x.getMessage(), Callback.NOOP);
        }
    }

    @Override
    public void deliver(ChatMessage message) {
        Session current = session;
        if (current == null || !current.isOpen())
            return;
        if (pending.incrementAndGet() > MAX_PENDING) {
            current.close(StatusCode.POLICY_VIOLATION, "too slow", Callback.NOOP);
            return;
        }
        current.sendText(json ? Json.write(message) : message.line(),
            Callback.from(pending::decrementAndGet, x -> pending.decrementAndGet()));
    }

    @Override
    public void deliveryFailed(RuntimeException cause) {
        Session current = session;
        if (current != null)
            current.close(StatusCode.SERVER_ERROR, "internal error", Callback.NOOP);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        room.leave(this);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        room.leave(this);
    }
}
