package org.switchboard.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Short plain-text answers of the sample's HTTP endpoints. */
final class Responses {

    private Responses() {
    }

    /** The longest answer text; a reason quoting client input is cut there. */
    private static final int MAX_TEXT = 512;

    /** {@code Content-Type: text/plain;charset=utf-8}, encoded once by Jetty. */
    private static final HttpField TEXT_PLAIN = MimeTypes.Type.TEXT_PLAIN_UTF_8.getContentTypeField();

    /**
     * Answers {@code status} with {@code text} as one line: line breaks and other control characters
     * (a reason may quote the client, or a parser's multi-line message) become spaces.
     */
    static void text(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(TEXT_PLAIN);
        Content.Sink.write(response, true, oneLine(text) + "\n", callback);
    }

    /**
     * A handler that answers every request {@code 200} with {@code text} as one line, its bytes and
     * headers encoded once here rather than per request: for a route a benchmark or a health check
     * calls in a loop.
     */
    static Handler fixedText(String text) {
        byte[] body = (oneLine(text) + "\n").getBytes(StandardCharsets.UTF_8);
        HttpField length = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                HttpFields.Mutable headers = response.getHeaders();
                headers.put(TEXT_PLAIN);
                headers.put(length);
                response.write(true, ByteBuffer.wrap(body).asReadOnlyBuffer(), callback);
                return true;
            }
        };
    }

    static String oneLine(String text) {
        StringBuilder line = new StringBuilder(Math.min(text.length(), MAX_TEXT));
        for (int i = 0; i < text.length() && line.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            line.append(Character.isISOControl(c) ? ' ' : c);
        }
        return line.toString().strip();
    }
}
