package org.switchboard.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/** {@code GET /}: the chat page, read once from the class path. */
final class PageHandler extends Handler.Abstract.NonBlocking {

    private final byte[] page;

    PageHandler() {
        try (InputStream in = PageHandler.class.getResourceAsStream("index.html")) {
            page = in.readAllBytes();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
        response.write(true, BufferUtil.toBuffer(page), callback);
        return true;
    }
}
