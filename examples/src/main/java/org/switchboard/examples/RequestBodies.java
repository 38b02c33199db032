package org.switchboard.examples;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * How the sample's handlers read a request body: every one that reads a body goes through here, so
 * its limit holds on the bytes actually read, whatever the framing ({@code Content-Length} or
 * chunked), and client input never becomes a 5xx.
 *
 * <ul>
 *   <li>A declared {@code Content-Length} over the limit: {@code 413} before reading anything.</li>
 *   <li>A body that grows over the limit as it is read (chunked): reading stops there,
 *       {@code 413} and the connection closes.</li>
 *   <li>A body that stops arriving: the connector's idle timeout fails the read; {@code 408} and
 *       the connection closes.</li>
 *   <li>Bytes that are not UTF-8: {@code 400}.</li>
 * </ul>
 * Every answer is one line ({@link Responses#text}); none is logged above debug.
 */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * Reads {@code request}'s body as UTF-8 text of at most {@code limit} bytes and passes it to
     * {@code onText}; otherwise answers as above and completes {@code callback}.
     */
    static void readUtf8(Request request, Response response, Callback callback, int limit, Consumer<String> onText) {
        if (request.getLength() > limit) {
            tooLarge(response, callback, limit);
            return;
        }
        Content.Source.asByteArrayAsync(answeredHere(request), limit, new Promise.Invocable.NonBlocking<>() {
            @Override
            public void succeeded(byte[] body) {
                String text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(body))
                        .toString();
                } catch (CharacterCodingException x) {
                    Responses.text(response, callback, 400, "bad message: the body is not UTF-8 text");
                    return;
                }
                onText.accept(text);
            }

            @Override
            public void failed(Throwable x) {
                // Bytes read so far count whoever read them (the dispatcher may have buffered a prefix).
                if (Request.getContentBytesRead(request) > limit) {
                    tooLarge(response, callback, limit);
                } else if (x instanceof TimeoutException || x.getCause() instanceof TimeoutException) {
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                    Responses.text(response, callback, 408, "the request body stopped arriving before it was complete");
                } else {
                    // The client went away mid-body: there is no one left to answer.
                    callback.failed(x);
                }
            }
        });
    }

    /**
     * {@code request}'s content, minus {@code fail}. After failing the promise (408, 413), Jetty's
     * reader also fails the content it read; by then the answer may be written and the exchange
     * completed, and failing a completed request throws inside Jetty (a WARN with a stack trace a
     * client could cause at will). Every failure is answered here with the connection closing, so
     * nothing more is read either way.
     */
    private static Content.Source answeredHere(Request request) {
        return new Content.Source() {
            @Override
            public Content.Chunk read() {
                return request.read();
            }

            @Override
            public void demand(Runnable demandCallback) {
                request.demand(demandCallback);
            }

            @Override
            public long getLength() {
                return request.getLength();
            }

            @Override
            public void fail(Throwable failure) {
                // Answered by the promise's failed(): see above.
            }
        };
    }

    private static void tooLarge(Response response, Callback callback, int limit) {
        // The rest of the body is never read: say so, and Jetty closes the connection after the answer.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        Responses.text(response, callback, 413, "a message body is at most " + limit + " bytes");
    }
}
