package org.switchboard.h2c;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.UpgradeHeaders;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.Verdict;
import org.switchboard.UpgradeLimits;
import org.switchboard.Switchboard;

/**
 * HTTP/2 over cleartext TCP, reached by {@code Upgrade: h2c} (RFC 7540 §3.2) or by prior knowledge,
 * on Jetty's HTTP/2 server.
 *
 * <p>Every h2c upgrade is decided by Switchboard's dispatcher, like any other protocol: the client's
 * preference order (SB1), route policies, metrics and logs all see it. Jetty's connection-level h2c
 * shortcut is kept for prior knowledge only ({@code PRI * HTTP/2.0}, as {@code curl
 * --http2-prior-knowledge} sends), which keeps working on the same port.
 * <ul>
 *   <li>H1: the offer is accepted only with exactly one {@code HTTP2-Settings}, listed in
 *       {@code Connection}, holding a valid base64url SETTINGS payload; otherwise it is declined and
 *       the request is served on HTTP/1.1 — never a 400 for merely offering h2c.</li>
 *   <li>H2: after the 101 the server's first frame is its SETTINGS, and the request is answered on
 *       stream 1 by the same application, which sees an HTTP/2 request (and which the dispatcher
 *       never tries to upgrade again, U11).</li>
 *   <li>H3, U9, U10: a request with a body ({@code Content-Length} or chunked) is upgraded too: the
 *       dispatcher reads the body first (sending {@code 100 Continue} if expected) and it reaches the
 *       application as stream 1's content. A body over
 *       {@link org.switchboard.UpgradeLimits#maxBodyBytes()} is not upgraded and is served, intact,
 *       on HTTP/1.1.</li>
 *   <li>H4: on a TLS connection the offer is declined (h2 is negotiated with ALPN there).</li>
 * </ul>
 * The HTTP/2 settings come from an {@link H2cConfig}; RFC 8441 extended CONNECT is on by default,
 * so WebSocket can run over HTTP/2 streams.
 *
 * <p>The connection factory this handler needs is added to every cleartext connector by
 * {@link org.switchboard.Switchboard#install}; without it, offers are declined.
 */
public final class H2cProtocolHandler implements ProtocolHandler {

    /** The protocol token, as in {@code Upgrade: h2c}. */
    public static final String PROTOCOL = "h2c";

    private final H2cConfig config;
    private final HttpConfiguration httpConfiguration;

    /** A handler with {@link H2cConfig#DEFAULT} and Jetty's default {@link HttpConfiguration}. */
    public H2cProtocolHandler() {
        this(H2cConfig.DEFAULT);
    }

    /**
     * A handler with {@code config} and Jetty's default {@link HttpConfiguration}.
     *
     * @param config the HTTP/2 settings of the connections it opens
     */
    public H2cProtocolHandler(H2cConfig config) {
        this(config, new HttpConfiguration());
    }

    /**
     * A handler whose HTTP/2 requests are served with a copy of {@code httpConfiguration} — pass the
     * HTTP/1.1 connector's, so that its customizers (forwarded headers, …) apply to upgraded
     * requests too. The copy's request header size is {@link H2cConfig#maxHeaderListSize()}.
     *
     * @param config            the HTTP/2 settings of the connections it opens
     * @param httpConfiguration the configuration to copy for the HTTP/2 requests
     */
    public H2cProtocolHandler(H2cConfig config, HttpConfiguration httpConfiguration) {
        this.config = Objects.requireNonNull(config, "config");
        this.httpConfiguration = Objects.requireNonNull(httpConfiguration, "httpConfiguration");
    }

    /**
     * The settings of the connections this handler opens.
     *
     * @return the configuration given to the constructor
     */
    public H2cConfig config() {
        return config;
    }

    /**
     * Non-blocking: negotiating decodes {@code HTTP2-Settings} and the switch builds Jetty's HTTP/2
     * connection; the replayed request is handled later, as an HTTP/2 stream, the way Jetty's HTTP/2
     * dispatches any stream.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    /** h2c replaces the HTTP/1.1 connection itself: it cannot run inside an HTTP/2 stream. */
    @Override
    public boolean reachableByExtendedConnect() {
        return false;
    }

    @Override
    public Verdict negotiate(UpgradeOffer offer, Request request) {
        if (request.getConnectionMetaData().isSecure())
            return Verdict.decline("h2c is cleartext only; over TLS, h2 is negotiated with ALPN (H4)");
        Connector connector = request.getConnectionMetaData().getConnector();
        H2cConnectionFactory factory = connector.getConnectionFactory(H2cConnectionFactory.class);
        if (factory == null)
            return Verdict.decline("no h2c connection factory on this connector: install Switchboard with Switchboard.install");
        // An HTTP/1.1 CONNECT has no HTTP/2 equivalent as stream 1 (RFC 9113 §8.5 forbids :scheme and :path).
        if (HttpMethod.CONNECT.is(request.getMethod()))
            return Verdict.decline("CONNECT is not replayable as an HTTP/2 stream");
        SettingsFrame settings;
        try {
            settings = Http2SettingsHeader.parse(request.getHeaders(), UpgradeHeaders.of(request));
        } catch (Http2SettingsHeader.Unusable x) {
            return Verdict.decline(x.getMessage());
        }
        return Verdict.accept(PROTOCOL, context -> factory.switchTo(context, settings));
    }

    /**
     * HTTP/2's graceful goodbye (RFC 9113 §6.8) on an upgraded connection: the session's
     * {@code shutdown()}, which sends a GOAWAY without error whose last stream id is 2^31-1, serves
     * the streams already started (and those the client sent before that GOAWAY reached it), then
     * sends the GOAWAY with the real last stream id and closes. Jetty's HTTP/2 connection is not
     * {@code Graceful}, and closing it would send the final GOAWAY at once. The future completes when
     * the session is closed; the server's stop timeout bounds the wait. Prior-knowledge connections,
     * which Jetty opens without the dispatcher, get the same goodbye from Jetty's own session container
     * on the connector.
     */
    @Override
    public CompletableFuture<Void> shutdown(Connection connection) {
        if (connection instanceof HTTP2Connection http2)
            return http2.getSession().shutdown();
        return ProtocolHandler.super.shutdown(connection);
    }

    /** A new h2c connection factory, which only switches prior-knowledge connections by itself. */
    @Override
    public List<ConnectionFactory> connectionFactories() {
        return List.of(new H2cConnectionFactory(config, httpConfiguration));
    }
}
