package org.switchboard.testing;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * The application behind the dispatcher when a test gives none: it answers {@code 200 text/plain}
 * with {@code <method> <path> <protocol> body=<the request body>}, so a test sees that a request (and
 * its body) reached the application as if {@code Upgrade} were absent (U7, SB3) — for example
 * {@code GET /chat HTTP/1.1 body=}. Its invocation type is Jetty's default (blocking), as most applications'.
 */
public final class RequestSummaryHandler extends Handler.Abstract {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Content.Source.asString(request, StandardCharsets.UTF_8, new Promise.Invocable.NonBlocking<>() {
            @Override
            public void succeeded(String body) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
                Content.Sink.write(response, true, request.getMethod() + " " + Request.getPathInContext(request) + " "
                    + request.getConnectionMetaData().getProtocol() + " body=" + body, callback);
            }

            @Override
            public void failed(Throwable x) {
                callback.failed(x);
            }
        });
        return true;
    }
}
