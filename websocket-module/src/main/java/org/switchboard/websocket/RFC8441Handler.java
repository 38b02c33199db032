package org.switchboard.websocket;

import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Callback;
import org.switchboard.internal.PlainTextResponses;
import org.switchboard.spi.Verdict;

/**
 * WebSocket over HTTP/2 (RFC 8441): extended {@code CONNECT} with {@code :protocol websocket} opens
 * the same endpoints as the HTTP/1.1 handshake, with the same W4/W5 rules and the same W7 filtering
 * of {@code permessage-deflate} offers ({@link RFC7692Offers}); everything else goes to the
 * application. Created by {@link WebSocketProtocolHandler#overHttp2}.
 */
final class RFC8441Handler extends Handler.Wrapper {

    private final WebSocketProtocolHandler websocket;

    RFC8441Handler(WebSocketProtocolHandler websocket, Handler application) {
        super(application);
        this.websocket = websocket;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        TunnelSupport tunnel = request.getTunnelSupport();
        if (!HttpMethod.CONNECT.is(request.getMethod()) || tunnel == null
            || !WebSocketProtocolHandler.PROTOCOL.equalsIgnoreCase(tunnel.getProtocol()))
            return super.handle(request, response, callback);
        WebSocketEndpoint endpoint = websocket.endpointAt(Request.getPathInContext(request));
        if (endpoint == null)
            return super.handle(request, response, callback);

        Verdict.Reject problem = RFC6455Handshake.versionProblem(request.getHeaders());
        if (problem == null)
            problem = WebSocketProtocolHandler.originProblem(endpoint, request);
        if (problem != null) {
            // The same answer as the HTTP/1.1 dispatcher writes for this rejection.
            PlainTextResponses.reject(request, response, callback, problem);
            return true;
        }
        // W7: the same permessage-deflate filtering as on HTTP/1.1 (Jetty negotiates both alike).
        if (websocket.container(request).upgrade(WebSocketProtocolHandler.creator(endpoint),
            WebSocketUpgradeView.ofExtendedConnect(request), response, callback))
            return true;
        return super.handle(request, response, callback);
    }
}
