package org.switchboard.examples;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * {@code POST /messages}: posts to the room. The body is JSON {@code {"sender": "...", "text": "..."}}
 * or, with any other content type, a chat line ({@code name: text}, see {@link ChatRoom#postLine}). Answers
 * {@code 201} with the message as JSON, or {@code 400} with a reason.
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
        if (request.getLength() > MAX_BODY) {
            Responses.text(response, callback, 413, "a message body is at most " + MAX_BODY + " bytes");
            return true;
        }
        String protocol = request.getConnectionMetaData().getHttpVersion().is("HTTP/2.0") ? "h2" : "http";
        boolean json = String.valueOf(request.getHeaders().get(HttpHeader.CONTENT_TYPE)).startsWith("application/json");
        Content.Source.asString(request, StandardCharsets.UTF_8, new Promise.Invocable.NonBlocking<>() {
            @Override
            public void succeeded(String body) {
                try {
                    ChatMessage message;
                    if (json) {
                        JsonNode node = Json.MAPPER.readTree(body);
                        String text = node.path("text").asText("");
                        message = text.isBlank() ? null : room.post(node.path("sender").asText("anonymous"), text, protocol);
                    } else {
                        message = room.postLine(body.strip(), protocol);
                    }
                    if (message == null)
                        throw new IllegalArgumentException("the message has no text");
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    response.setStatus(201);
                    Content.Sink.write(response, true, Json.write(message), callback);
                } catch (Exception x) {
                    Responses.text(response, callback, 400, "bad message: " + x.getMessage());
                }
            }

            @Override
            public void failed(Throwable x) {
                callback.failed(x);
            }
        });
        return true;
    }
}
