package org.switchboard.examples;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Short plain-text answers of the sample's HTTP endpoints. */
final class Responses {

    private Responses() {
    }

    /** The longest answer text; a reason quoting client input is cut there. */
    private static final int MAX_TEXT = 512;

    /**
     * Answers {@code status} with {@code text} as one line: line breaks and other control characters
     * (a reason may quote the client, or a parser's multi-line message) become spaces.
     */
    static void text(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        Content.Sink.write(response, true, oneLine(text) + "\n", callback);
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
