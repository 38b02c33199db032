package org.switchboard.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.switchboard.Negotiation;
import org.switchboard.UpgradeDispatcher;

/**
 * {@code GET /negotiate?path=/chat&upgrade=websocket,%20relay/2}: what the server would decide for
 * an HTTP/1.1 {@code GET path} with that {@code Upgrade} field, from a browser-like client — a dry
 * run of the dispatcher serving this server ({@link UpgradeDispatcher#dryRun}: the real routes,
 * limits, negotiator and handlers), with nothing switched, written, counted or shown in
 * {@code /negotiations}. Answers {@code 200} with JSON {@link DryRun}: the request tried, every
 * header of it, and the {@link Negotiation}.
 *
 * <p>The request tried carries what the page's own WebSocket would send beside the typed value:
 * {@code Host} (this request's), {@code Connection: Upgrade}, a valid {@code Sec-WebSocket-Key},
 * {@code Sec-WebSocket-Version: 13}, and this page's {@code Origin}. It carries no
 * {@code HTTP2-Settings}, as browsers never offer h2c, so an {@code h2c} offer is declined (H1).
 * A blank {@code upgrade} tries a plain GET (no {@code Upgrade}, no {@code Connection}).
 *
 * <p>Input is bounded and checked, each problem answered {@code 400} with a one-line reason:
 * {@code upgrade} is required, at most {@value #MAX_UPGRADE} characters, without control
 * characters; {@code path} is one of {@link #PATHS} ({@code /} if absent); each given once.
 */
final class NegotiateHandler extends Handler.Abstract.NonBlocking {

    /** The longest {@code upgrade} tried: the dispatcher's own default limit (SB5). */
    static final int MAX_UPGRADE = 1024;
    /** The paths a dry run may try: the sample's upgrade routes and the page. */
    static final List<String> PATHS = List.of("/", "/echo", "/chat", "/relay");
    /** A valid key (RFC 6455 4.1's example): nothing is switched, so no secret is needed. */
    static final String WEBSOCKET_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /**
     * A dry run's answer.
     *
     * @param path        the path tried
     * @param headers     every header of the request tried, in order: the typed {@code Upgrade} and what was assumed
     * @param negotiation what the dispatcher would do; its {@code status} 0 means the application would answer
     */
    record DryRun(String path, Map<String, String> headers, Negotiation negotiation) {
    }

    private UpgradeDispatcher dispatcher;

    @Override
    protected void doStart() throws Exception {
        // The dispatcher that serves this server: its routes, limits and handlers decide the dry run.
        dispatcher = getServer().getDescendant(UpgradeDispatcher.class);
        if (dispatcher == null)
            throw new IllegalStateException("/negotiate needs a Switchboard dispatcher in front of it");
        super.doStart();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"GET".equals(request.getMethod()))
            return false;
        Fields query;
        try {
            query = Request.extractQueryParameters(request);
        } catch (RuntimeException x) {
            Responses.text(response, callback, 400, "bad query: not percent-encoded UTF-8");
            return true;
        }
        List<String> upgrades = query.getValuesOrEmpty("upgrade");
        List<String> paths = query.getValuesOrEmpty("path");
        String problem = upgrades.isEmpty() ? "upgrade is missing: /negotiate?path=/chat&upgrade=websocket"
            : upgrades.size() > 1 || paths.size() > 1 ? "give upgrade and path once each"
            : upgrades.get(0).length() > MAX_UPGRADE ? "upgrade is " + upgrades.get(0).length() + " characters; at most " + MAX_UPGRADE
            : upgrades.get(0).chars().anyMatch(Character::isISOControl) ? "upgrade may not contain control characters"
            : !paths.isEmpty() && !PATHS.contains(paths.get(0)) ? "path must be one of " + String.join(" ", PATHS)
            : null;
        if (problem != null) {
            Responses.text(response, callback, 400, "bad dry run: " + problem);
            return true;
        }
        String path = paths.isEmpty() ? "/" : paths.get(0);
        Request tried = tried(request, path, upgrades.get(0).strip());
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField field : tried.getHeaders())
            headers.put(field.getName(), field.getValue());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, Json.write(new DryRun(path, headers, dispatcher.dryRun(tried))), callback);
        return true;
    }

    /** {@code request} as the HTTP/1.1 {@code GET path} a browser would send with {@code Upgrade: upgrade}. */
    private static Request tried(Request request, String path, String upgrade) {
        String host = Request.getServerName(request) + ":" + Request.getServerPort(request);
        HttpURI uri = HttpURI.build(request.getHttpURI()).pathQuery(path).asImmutable();
        HttpFields.Mutable headers = HttpFields.build().put(HttpHeader.HOST, host);
        if (!upgrade.isEmpty()) {
            headers.put(HttpHeader.CONNECTION, "Upgrade")
                .put(HttpHeader.UPGRADE, upgrade)
                .put(HttpHeader.SEC_WEBSOCKET_KEY, WEBSOCKET_KEY)
                .put(HttpHeader.SEC_WEBSOCKET_VERSION, "13")
                .put(HttpHeader.ORIGIN, uri.getScheme() + "://" + host);
        }
        HttpFields fields = headers.asImmutable();
        // Tried as HTTP/1.1 even when this request came over HTTP/2, which never upgrades (U11).
        ConnectionMetaData http11 = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
            @Override
            public HttpVersion getHttpVersion() {
                return HttpVersion.HTTP_1_1;
            }

            @Override
            public String getProtocol() {
                return HttpVersion.HTTP_1_1.asString();
            }
        };
        // The server's context, as the dispatcher in front of every route sees it: this request's is
        // the /negotiate mapping's, which cannot place another path.
        Context context = request.getConnectionMetaData().getConnector().getServer().getContext();
        return new Request.Wrapper(request) {
            @Override
            public Context getContext() {
                return context;
            }

            @Override
            public String getMethod() {
                return "GET";
            }

            @Override
            public HttpURI getHttpURI() {
                return uri;
            }

            @Override
            public HttpFields getHeaders() {
                return fields;
            }

            @Override
            public ConnectionMetaData getConnectionMetaData() {
                return http11;
            }

            @Override
            public long getLength() {
                return 0;
            }
        };
    }
}
