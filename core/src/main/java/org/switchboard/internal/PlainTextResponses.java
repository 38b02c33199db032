package org.switchboard.internal;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.switchboard.spi.Verdict;

/**
 * Every answer Switchboard writes itself instead of a 101: a status, its headers and a one-line
 * {@code text/plain} reason — 400 (U6, SB5), 408, 421, 426 (U8), a handler's rejection (SB3) and
 * 500. One writer for the HTTP/1.1 dispatcher and the RFC 8441 path, so that a client sees the
 * same answer however it asked. A reason may quote the client: it is written as one line, never
 * logged above debug.
 */
public final class PlainTextResponses {

    private PlainTextResponses() {
    }

    /** {@code status} with {@code headers} and {@code reason} as the body; no body for {@code HEAD}. */
    public static void write(Request request, Response response, Callback callback, int status, HttpFields headers, String reason) {
        response.setStatus(status);
        HttpFields.Mutable fields = response.getHeaders();
        for (var field : headers)
            fields.add(field);
        fields.put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        byte[] body = (oneLine(reason) + "\n").getBytes(StandardCharsets.UTF_8);
        fields.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, "HEAD".equals(request.getMethod()) ? BufferUtil.EMPTY_BUFFER : BufferUtil.toBuffer(body), callback);
    }

    /** A handler's rejection (SB2, SB3): its status, headers and reason. */
    public static void reject(Request request, Response response, Callback callback, Verdict.Reject reject) {
        write(request, response, callback, reject.status(), reject.headers(), reject.reason());
    }

    /** 426 Upgrade Required with {@code Upgrade: advertised} and {@code Connection: Upgrade} (U8). */
    public static void upgradeRequired(Request request, Response response, Callback callback, String advertised) {
        HttpFields headers = HttpFields.build()
            .put(HttpHeader.UPGRADE, advertised)
            .put(HttpHeader.CONNECTION, "Upgrade");
        write(request, response, callback, HttpStatus.UPGRADE_REQUIRED_426, headers,
            "This resource requires an upgrade to one of: " + advertised);
    }

    /** A client error Switchboard found itself (400, 408, 421, 431…); the connection closes after it when {@code close}. */
    public static void clientError(Request request, Response response, Callback callback, int status, String reason, boolean close) {
        write(request, response, callback, status, close ? HttpFields.build().put(HttpHeader.CONNECTION, "close") : HttpFields.EMPTY, reason);
    }

    /** 500: a handler could not take the connection it accepted. */
    public static void serverError(Request request, Response response, Callback callback, String reason) {
        write(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, HttpFields.EMPTY, reason);
    }

    private static String oneLine(String reason) {
        if (reason.indexOf('\n') < 0 && reason.indexOf('\r') < 0)
            return reason;
        return reason.replace('\r', ' ').replace('\n', ' ');
    }
}
