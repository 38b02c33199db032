package org.switchboard.examples;

import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /messages}: posts to the room. The body is JSON {@code {"sender": "...", "text": "..."}}
 * or, with any other content type, a chat line ({@code name: text}, see {@link ChatRoom#postLine}). Answers
 * {@code 201} with the message as JSON (its {@code id} the room's position for it) only once the room has
 * stored it; {@code 503} with {@code Retry-After} and a one-line reason if the room's engine cannot store
 * it now (Redis down or not answering); {@code 400} with a one-line reason for a bad message. The body is read through
 * {@link RequestBodies}: at most {@value #MAX_BODY} bytes however it is framed ({@code 413} past that), UTF-8.
 */
final class MessagesHandler extends Handler.Abstract.NonBlocking {

    private static final int MAX_BODY = 16 * 1024;

    /** The {@code Retry-After} of a {@code 503}, in seconds: about how long Redis takes to come back after a restart. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final ChatRoom room;

    MessagesHandler(ChatRoom room) {
        this.room = room;
    }

    /**
     * A posted body: its sender and text, or the one-line reason it is no message.
     *
     * @param problem {@code null}, or why the body is refused (400)
     */
    record Post(String sender, String text, String problem) {

        /** Parses {@code body}: JSON {@code {"sender", "text"}} if {@code json}, else a chat line. Never throws. */
        static Post parse(String body, boolean json) {
            String sender;
            String text;
            if (json) {
                JsonNode node;
                try {
                    node = Json.MAPPER.readTree(body);
                } catch (JsonProcessingException x) {
                    // Not Jackson's message: it spans lines and describes the parser's source, not the client's error.
                    JsonLocation at = x.getLocation();
                    return refused("not valid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
                }
                if (node == null)
                    return refused("not valid JSON: the body is empty");
                sender = node.path("sender").asText("anonymous");
                text = node.path("text").asText("");
            } else {
                ChatRoom.Line line = ChatRoom.Line.parse(body.strip());
                sender = line.sender();
                text = line.text();
            }
            return text.isBlank() ? refused("the message has no text") : new Post(sender, text, null);
        }

        private static Post refused(String problem) {
            return new Post(null, null, problem);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"POST".equals(request.getMethod()))
            return false;
        String protocol = request.getConnectionMetaData().getHttpVersion().is("HTTP/2.0") ? "h2" : "http";
        boolean json = String.valueOf(request.getHeaders().get(HttpHeader.CONTENT_TYPE)).startsWith("application/json");
        RequestBodies.readUtf8(request, response, callback, MAX_BODY, body -> {
            Post post = Post.parse(body, json);
            if (post.problem() != null) {
                Responses.text(response, callback, 400, "bad message: " + post.problem());
                return;
            }
            CompletionStage<ChatMessage> stored;
            try {
                stored = room.post(post.sender(), post.text(), protocol);
            } catch (IllegalArgumentException x) {
                Responses.text(response, callback, 400, "bad message: " + x.getMessage());
                return;
            }
            // Answered when the room has stored it (or not): no thread waits meanwhile.
            stored.whenComplete((message, failure) -> {
                if (failure != null) {
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS));
                    Responses.text(response, callback, 503, "the message was not stored: " + RoomUnavailableException.reasonOf(failure));
                    return;
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.setStatus(201);
                Content.Sink.write(response, true, Json.write(message), callback);
            });
        });
        return true;
    }
}
