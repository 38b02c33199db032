package org.switchboard.internal;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/** Writes the dispatcher's own short answers (400, 426, rejections): a status, headers and a one-line reason. */
public final class PlainText {

    private PlainText() {
    }

    public static void write(Request request, Response response, Callback callback, int status, HttpFields headers, String reason) {
        response.setStatus(status);
        HttpFields.Mutable fields = response.getHeaders();
        for (var field : headers)
            fields.add(field);
        fields.put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        fields.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, "HEAD".equals(request.getMethod()) ? BufferUtil.EMPTY_BUFFER : BufferUtil.toBuffer(body), callback);
    }
}
