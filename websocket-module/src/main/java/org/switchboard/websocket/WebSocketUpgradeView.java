package org.switchboard.websocket;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The upgrade request as Jetty's WebSocket server must see it: with {@code Upgrade: websocket} only
 * (RFC 6455 path), and with the {@code Sec-WebSocket-Extensions} offers it can honour only (both
 * paths).
 *
 * <p>Jetty's RFC 6455 negotiation reads the last {@code Upgrade} line and requires it to equal
 * {@code websocket} as a whole (case-insensitively), so {@code Upgrade: websocket, h2c} or
 * {@code Upgrade: foo, websocket} would not upgrade although the dispatcher chose websocket (SB1).
 *
 * <p>Jetty accepts a {@code permessage-deflate} offer whatever window it asks for, and refuses the
 * whole handshake ({@code 400}, or {@code 500}) for an unknown parameter or a malformed element; each
 * {@code Sec-WebSocket-Extensions} line is shown as {@link RFC7692Offers#filter} leaves it (W7, RFC
 * 7692 §7.1), and a line left empty is not shown at all.
 *
 * <p>Everything else, attributes included (Jetty sets the connection to switch to there), is the
 * real request.
 */
final class WebSocketUpgradeView extends Request.Wrapper {

    private final HttpFields headers;

    private WebSocketUpgradeView(Request request, HttpFields headers) {
        super(request);
        this.headers = headers;
    }

    /**
     * For an RFC 6455 (HTTP/1.1) handshake: {@code request} itself when Jetty would already take it,
     * as for nearly every client's {@code Upgrade: websocket} and extension offers; otherwise a view
     * with the {@code Upgrade} lines replaced and/or the extension offers filtered.
     */
    static Request of(Request request) {
        return of(request, true);
    }

    /**
     * For an RFC 8441 extended {@code CONNECT} (no {@code Upgrade} header): {@code request} itself
     * unless its extension offers need filtering.
     */
    static Request ofExtendedConnect(Request request) {
        return of(request, false);
    }

    private static Request of(Request request, boolean upgrade) {
        // One walk over the fields; a line's offers are parsed without allocating when all are kept.
        HttpFields fields = request.getHeaders();
        String lastUpgrade = null;
        boolean extensions = false;
        for (int i = 0, n = fields.size(); i < n; i++) {
            HttpField field = fields.getField(i);
            HttpHeader header = field.getHeader();
            if (header == HttpHeader.UPGRADE) {
                lastUpgrade = field.getValue();
            } else if (header == HttpHeader.SEC_WEBSOCKET_EXTENSIONS && !extensions) {
                String value = field.getValue();
                extensions = value != null && RFC7692Offers.filter(value) != value;
            }
        }
        boolean replaceUpgrade = upgrade && !WebSocketProtocolHandler.PROTOCOL.equalsIgnoreCase(lastUpgrade);
        if (!replaceUpgrade && !extensions)
            return request;

        HttpFields.Mutable view;
        if (extensions) {
            view = HttpFields.build(fields.size());
            for (int i = 0, n = fields.size(); i < n; i++) {
                HttpField field = fields.getField(i);
                if (field.getHeader() != HttpHeader.SEC_WEBSOCKET_EXTENSIONS || field.getValue() == null) {
                    view.add(field);
                } else {
                    String kept = RFC7692Offers.filter(field.getValue());
                    if (!kept.isEmpty())
                        view.add(HttpHeader.SEC_WEBSOCKET_EXTENSIONS, kept);
                }
            }
        } else {
            view = HttpFields.build(fields);
        }
        if (replaceUpgrade)
            view.put(HttpHeader.UPGRADE, WebSocketProtocolHandler.PROTOCOL);
        return new WebSocketUpgradeView(request, view.asImmutable());
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }
}
