package org.switchboard.internal;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Gives Jetty's own upgrade rejection a reason that says what is wrong.
 *
 * <p>Jetty's HTTP/1.1 connection answers any request that has {@code Upgrade} but no
 * {@code upgrade} option in {@code Connection} with {@code 400 Invalid h2c upgrade headers},
 * before any Handler runs, whatever the protocol. That is the behaviour U6 lets us choose (a 400),
 * but the reason misleads a WebSocket or relay client, so it is replaced by one that names the
 * missing {@code Connection: upgrade}. Every other error goes to the server's previous error
 * handler unchanged.
 */
public final class UpgradeErrorHandler implements Request.Handler {

    /** The reason Switchboard gives, here and in the dispatcher, for a missing {@code Connection: upgrade} (U6). */
    public static final String MISSING_CONNECTION_UPGRADE =
        "Upgrade requires 'Connection: upgrade' (RFC 9110 7.8)";

    private static final String JETTY_REASON = "Invalid h2c upgrade headers";

    private final Request.Handler next;

    public UpgradeErrorHandler(Request.Handler next) {
        this.next = next == null ? new ErrorHandler() : next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (JETTY_REASON.equals(request.getAttribute(ErrorHandler.ERROR_MESSAGE))) {
            PlainTextResponses.write(request, response, callback, 400, org.eclipse.jetty.http.HttpFields.EMPTY, MISSING_CONNECTION_UPGRADE);
            return true;
        }
        return next.handle(request, response, callback);
    }
}
