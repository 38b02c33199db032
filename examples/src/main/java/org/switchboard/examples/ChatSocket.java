package org.switchboard.examples;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
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
 *       {@code {"id", "sender", "text", "protocol", "sentAt"}}, {@code id} being the message's place in
 *       the room.</li>
 * </ul>
 * A client that reconnects with {@code /chat?after=ID} (the last {@code id} it received) first gets the
 * messages it missed (at most {@value #MAX_REPLAY}), then live ones; if that position is gone it gets a
 * reset notice first: {@code {"event": "reset", "reason"}} in {@code superchat}, a {@code * reset: reason}
 * line in {@code chat}. A message the room cannot store now (Redis down) is answered with
 * {@code {"event": "refused", "reason", "text"}}, or a {@code * not sent: reason} line: never silence.
 * A member that falls {@value #MAX_PENDING} messages behind is closed with 1008 rather than
 * buffered without bound. A text over {@link ChatRoom#MAX_INCOMING_BYTES} (the endpoint's
 * {@code maxTextMessageSize}) is closed with 1009 by Jetty (W8). WebSocket clients announce no
 * limit of their own: one that cannot take a message closes the session itself, and leaves.
 */
public final class ChatSocket implements Session.Listener.AutoDemanding, ChatRoom.Member {

    static final int MAX_PENDING = 256;

    /** The most missed messages sent to a client reconnecting with {@code ?after=}; more: a reset. */
    static final int MAX_REPLAY = 1000;

    private final ChatRoom room;
    private final String after;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Session session;
    private volatile boolean json;

    /**
     * @param after the position the client resumes after ({@code ?after=}), or {@code null} for live only
     */
    ChatSocket(ChatRoom room, String after) {
        this.room = room;
        this.after = after;
    }

    /** The {@code after} query parameter of a {@code /chat} request, {@code null} if none, empty if the query is not well-formed (then not a position: a reset). */
    static String resumeAfter(org.eclipse.jetty.server.Request request) {
        try {
            return org.eclipse.jetty.server.Request.extractQueryParameters(request).getValue("after");
        } catch (RuntimeException x) {
            return "";
        }
    }

    @Override
    public String protocol() {
        return "websocket";
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.json = "superchat".equals(session.getUpgradeResponse().getAcceptedSubProtocol());
        if (after == null)
            room.join(this);
        else
            room.join(this, after, MAX_REPLAY);
    }

    @Override
    public void onWebSocketText(String message) {
        try {
            if (!json) {
                refusedIfNotStored(room.postLine(this, message), message);
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
                refusedIfNotStored(room.post(this, node.path("sender").asText("anonymous"), text), text);
        } catch (ChatMessage.TooBigException x) {
            // The endpoint's maxTextMessageSize (ChatRoom.MAX_INCOMING_BYTES) keeps this from
            // happening; should it, it is still "too big" (W8: 1009) with a one-line reason, not a 1011.
            session.close(StatusCode.MESSAGE_TOO_LARGE, x.getMessage(), Callback.NOOP);
        }
    }

    /** Tells the client when the room could not store what it sent (Redis down): it must not think it was said. */
    private void refusedIfNotStored(CompletionStage<ChatMessage> stored, String text) {
        stored.whenComplete((message, failure) -> {
            Session current = session;
            if (failure == null || current == null || !current.isOpen())
                return;
            String reason = "not sent: " + RoomUnavailableException.reasonOf(failure);
            current.sendText(json ? Json.write(Map.of("event", "refused", "reason", reason, "text", text)) : "* " + reason, Callback.NOOP);
        });
    }

    @Override
    public void reset(String reason) {
        Session current = session;
        if (current != null && current.isOpen())
            current.sendText(json ? Json.write(Map.of("event", "reset", "reason", reason)) : "* reset: " + reason, Callback.NOOP);
    }

    @Override
    public void deliverAll(List<ChatMessage> missed) {
        // A replay is bounded (MAX_REPLAY) and sent at once: not counted as falling behind.
        Session current = session;
        if (current == null || !current.isOpen())
            return;
        for (ChatMessage message : missed)
            current.sendText(json ? Json.write(message) : message.line(), Callback.NOOP);
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
