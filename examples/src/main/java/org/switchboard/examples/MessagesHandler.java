package org.switchboard.examples;

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
 * {@code 201} with the message as JSON, or {@code 400} with a one-line reason. The body is read through
 * {@link RequestBodies}: at most {@value #MAX_BODY} bytes however it is framed ({@code 413} past that), UTF-8.
 */
final class MessagesHandler extends Handler.Abstract.NonBlocking {

    private static final int MAX_BODY = 16 * 1024;

    private final ChatRoom room;

    MessagesHandler(ChatRoom room) {
        this.room = room;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"POST".equals(request.getMethod()))
            return false;
        String protocol = request.getConnectionMetaData().getHttpVersion().is("HTTP/2.0") ? "h2" : "http";
        boolean json = String.valueOf(request.getHeaders().get(HttpHeader.CONTENT_TYPE)).startsWith("application/json");
        RequestBodies.readUtf8(request, response, callback, MAX_BODY, body -> {
            ChatMessage message;
            try {
                if (json) {
                    JsonNode node = Json.MAPPER.readTree(body);
                    String text = node.path("text").asText("");
                    message = text.isBlank() ? null : room.post(node.path("sender").asText("anonymous"), text, protocol);
                } else {
                    message = room.postLine(body.strip(), protocol);
                }
            } catch (JsonProcessingException x) {
                // Not Jackson's message: it spans lines and describes the parser's source, not the client's error.
                JsonLocation at = x.getLocation();
                Responses.text(response, callback, 400, "bad message: not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
                return;
            } catch (IllegalArgumentException x) {
                Responses.text(response, callback, 400, "bad message: " + x.getMessage());
                return;
            }
            if (message == null) {
                Responses.text(response, callback, 400, "bad message: the message has no text");
                return;
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.setStatus(201);
            Content.Sink.write(response, true, Json.write(message), callback);
        });
        return true;
    }
}
