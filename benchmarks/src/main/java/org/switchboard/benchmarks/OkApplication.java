package org.switchboard.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The application behind both Jetty-based servers: {@code 200 text/plain "ok"}, what Netty's h2c responder sends too. */
final class OkApplication extends Handler.Abstract.NonBlocking {

    static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, OK.length);
        response.write(true, ByteBuffer.wrap(OK), callback);
        return true;
    }
}
