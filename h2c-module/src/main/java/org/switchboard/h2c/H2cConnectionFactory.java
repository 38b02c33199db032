package org.switchboard.h2c;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.HTTP2Stream;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.api.server.ServerSessionListener;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PrefaceFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http2.parser.ServerParser;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.switchboard.spi.SwitchContext;
import org.switchboard.spi.UpgradeHeaders;

/**
 * Jetty's h2c connection factory with its connection-level upgrade taken away: Jetty would switch a
 * request whose {@code Upgrade} is exactly {@code h2c} before any handler runs (pre-empting the
 * client's preference, SB1), drop requests with a {@code Content-Length} body and misparse chunked
 * ones. Here only prior knowledge ({@code PRI * HTTP/2.0}) is switched at connection level; every
 * HTTP/1.1 upgrade goes to Switchboard's dispatcher, which calls {@link #switchTo} when h2c wins.
 *
 * <p>{@link #switchTo} does what {@code HTTP2ServerConnection.upgrade} does, plus the body (H3): the
 * request becomes stream 1, with HEADERS without end-of-stream and one DATA frame carrying the body
 * that the dispatcher read before the 101 (U10).
 */
final class H2cConnectionFactory extends HTTP2CServerConnectionFactory {

    /** Hop-by-hop or already answered over HTTP/1.1: not part of the HTTP/2 request (RFC 9113 §8.2.2). */
    private static final Set<HttpHeader> NOT_REPLAYED = EnumSet.of(HttpHeader.CONNECTION, HttpHeader.UPGRADE,
        HttpHeader.HTTP2_SETTINGS, HttpHeader.KEEP_ALIVE, HttpHeader.PROXY_CONNECTION, HttpHeader.TRANSFER_ENCODING,
        HttpHeader.TE, HttpHeader.EXPECT, HttpHeader.CONTENT_LENGTH);

    /** Bodies waiting for the session listener that {@link #newConnection} is about to create for their endpoint. */
    private final Map<EndPoint, ByteBuffer> pendingBodies = new ConcurrentHashMap<>();

    H2cConnectionFactory(H2cConfig config, HttpConfiguration base) {
        super(httpConfiguration(config, base));
        setMaxConcurrentStreams(config.maxConcurrentStreams());
        setInitialSessionRecvWindow(config.initialSessionRecvWindow());
        setInitialStreamRecvWindow(config.initialStreamRecvWindow());
        setConnectProtocolEnabled(config.connectProtocolEnabled());
    }

    // A copy: Jetty's HTTP/2 factory adds its own customizer to the configuration it gets, and announces
    // and enforces the request header size of this configuration as SETTINGS_MAX_HEADER_LIST_SIZE.
    private static HttpConfiguration httpConfiguration(H2cConfig config, HttpConfiguration base) {
        HttpConfiguration http = new HttpConfiguration(base);
        http.setRequestHeaderSize(config.maxHeaderListSize());
        return http;
    }

    /**
     * Jetty's connection-level shortcut: only the prior-knowledge preface is switched here; for any
     * other request {@code null} lets it reach the handlers, so the dispatcher decides.
     */
    @Override
    public Connection upgradeConnection(Connector connector, EndPoint endPoint, MetaData.Request request,
                                        HttpFields.Mutable response101) {
        if (HttpMethod.PRI.is(request.getMethod()))
            return super.upgradeConnection(connector, endPoint, request, response101);
        return null;
    }

    /**
     * The HTTP/2 connection that takes over after the dispatcher's 101: it first sends the server
     * preface (H2), applies the client's {@code HTTP2-Settings}, and serves the upgrade request as
     * stream 1, half-closed from the client, with its body.
     */
    Connection switchTo(SwitchContext context, SettingsFrame clientSettings) {
        ByteBuffer body = context.body();
        boolean hasBody = body.hasRemaining();
        HeadersFrame streamOne = new HeadersFrame(1, streamOneRequest(context.request(), body.remaining()), null, !hasBody);

        EndPoint endPoint = context.endPoint();
        if (hasBody)
            pendingBodies.put(endPoint, body);
        HTTP2Connection connection;
        try {
            connection = (HTTP2Connection) newConnection(context.connector(), endPoint);
        } finally {
            pendingBodies.remove(endPoint);
        }

        HTTP2Session session = connection.getSession();
        // The 101 stands for the client's connection preface: the preface the client sends next
        // must not make the server send its SETTINGS a second time.
        ((ServerParser) session.getParser()).standardUpgrade();
        connection.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection opened) {
                // Jetty's own h2c upgrade replays the same frames in onOpen too: after the session
                // is accepted, before the connection reads its first byte.
                session.onFrame(new PrefaceFrame());
                session.onFrame(clientSettings);
                session.onFrame(streamOne);
            }
        });
        return connection;
    }

    @Override
    protected ServerSessionListener newSessionListener(Connector connector, EndPoint endPoint) {
        return new StreamOneListener(endPoint, pendingBodies.remove(endPoint));
    }

    /** The upgrade request as an HTTP/2 request: hop-by-hop fields removed, {@code Content-Length} exact. */
    static MetaData.Request streamOneRequest(Request request, int bodyLength) {
        HttpFields headers = request.getHeaders();
        // The fields Connection names are hop-by-hop too (RFC 9110 §7.6.1); its options come lower-cased.
        List<String> connectionOptions = UpgradeHeaders.of(request).connectionOptions();
        boolean declaredBody = headers.contains(HttpHeader.CONTENT_LENGTH) || headers.contains(HttpHeader.TRANSFER_ENCODING);

        HttpFields.Mutable fields = HttpFields.build(headers.size());
        for (HttpField field : headers) {
            if ((field.getHeader() != null && NOT_REPLAYED.contains(field.getHeader())) || connectionOptions.contains(field.getLowerCaseName()))
                continue;
            fields.add(field);
        }
        long contentLength = -1;
        if (declaredBody || bodyLength > 0) {
            contentLength = bodyLength;
            fields.put(HttpHeader.CONTENT_LENGTH, bodyLength);
        }
        return new MetaData.Request(request.getMethod(), request.getHttpURI(), HttpVersion.HTTP_2, fields, contentLength);
    }

    /**
     * Jetty's session listener, which also gives stream 1 the upgrade request's body. The body must
     * be queued on the stream before the application's task for it exists: queued later, a
     * blocking reader could miss the data notification and hang.
     */
    private final class StreamOneListener extends HTTPServerSessionListener {

        private ByteBuffer body;

        StreamOneListener(EndPoint endPoint, ByteBuffer body) {
            super(endPoint);
            this.body = body;
        }

        @Override
        public Stream.Listener onNewStream(Stream stream, HeadersFrame frame) {
            ByteBuffer replayed = body;
            if (replayed != null && stream.getId() == 1) {
                body = null;
                queue((HTTP2Stream) stream, replayed);
            }
            return super.onNewStream(stream, frame);
        }

        private void queue(HTTP2Stream stream, ByteBuffer replayed) {
            HTTP2Session session = stream.getSession();
            int length = replayed.remaining();
            // The client sent these bytes over HTTP/1.1, not against HTTP/2 flow control: widen the
            // windows first, so that receiving them leaves the windows where the client believes they are.
            session.updateRecvWindow(length);
            stream.updateRecvWindow(length);
            session.onData(new Stream.Data(new DataFrame(stream.getId(), replayed, true)) {
            });
        }
    }
}
