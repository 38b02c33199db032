package org.switchboard.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * SSE readers over one HTTP/2 connection of Jetty's {@link HTTP2Client}, reached by an h2c upgrade
 * (the client writes the HTTP/1.1 request, reads the 101, then hands the socket to Jetty's client
 * with the request as stream 1, as Jetty's own {@code HttpClient} does) or by prior knowledge. A
 * reader can pause: it then stops reading, so the bytes it does not release keep its stream's
 * flow-control window closed and the server cannot send more.
 */
final class H2SseClient implements AutoCloseable {

    private final HTTP2Client client;
    private final int port;
    private final List<GoAwayFrame> goAways = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final List<Reader> readers = new ArrayList<>();
    private Session session;

    private H2SseClient(int port, int streamWindow) throws Exception {
        this.port = port;
        this.client = new HTTP2Client();
        client.setInitialStreamRecvWindow(streamWindow);
        client.start();
    }

    /** Upgrades {@code GET /events} to h2c: the events come on stream 1. */
    static H2SseClient upgrade(int port, int streamWindow) throws Exception {
        H2SseClient sse = new H2SseClient(port, streamWindow);
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        // The same SETTINGS the client sends in its preface: the server applies these to stream 1.
        ByteBuffer settings = ByteBuffer.allocate(6).putShort((short) SettingsFrame.INITIAL_WINDOW_SIZE).putInt(streamWindow).flip();
        String http2Settings = Base64.getUrlEncoder().withoutPadding().encodeToString(settings.array());
        channel.write(ByteBuffer.wrap(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
            + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: " + http2Settings + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1)));
        String head = readHead(channel.socket().getInputStream());
        if (!head.startsWith("HTTP/1.1 101 "))
            throw new IOException("not upgraded: " + head);
        Reader reader = sse.newReader();
        CompletableFuture<Session> session = new CompletableFuture<>();
        sse.client.accept(null, channel, sse.new Listener() {
            @Override
            public Map<Integer, Integer> onPreface(Session opened) {
                // Before the connection reads its first byte: stream 1 is the upgrade request, half-closed by us.
                reader.stream = ((HTTP2Session) opened).newUpgradeStream(new HeadersFrame(1, request(port), null, true), reader, reader.ended::completeExceptionally);
                return null;
            }
        }, Promise.from(session));
        sse.session = session.get(5, TimeUnit.SECONDS);
        reader.stream.demand();
        return sse;
    }

    /** Connects with prior knowledge; open streams with {@link #open()}. */
    static H2SseClient priorKnowledge(int port, int streamWindow) throws Exception {
        H2SseClient sse = new H2SseClient(port, streamWindow);
        sse.session = sse.client.connect(new InetSocketAddress("127.0.0.1", port), sse.new Listener()).get(5, TimeUnit.SECONDS);
        return sse;
    }

    /** A new {@code GET /events} stream on this connection. */
    Reader open() throws Exception {
        Reader reader = newReader();
        reader.stream = session.newStream(new HeadersFrame(request(port), null, true), reader).get(5, TimeUnit.SECONDS);
        return reader;
    }

    /** The reader of stream 1 after an upgrade, or the first one opened. */
    Reader first() {
        return readers.get(0);
    }

    /** Every GOAWAY the server sent, in order. */
    List<GoAwayFrame> goAways() {
        return goAways;
    }

    /** Completes when the connection is closed. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }

    private Reader newReader() {
        Reader reader = new Reader();
        readers.add(reader);
        return reader;
    }

    private static MetaData.Request request(int port) {
        return new MetaData.Request("GET", HttpURI.from("http://127.0.0.1:" + port + "/events"), HttpVersion.HTTP_2, HttpFields.EMPTY);
    }

    private static String readHead(InputStream in) throws IOException {
        // Byte by byte: whatever follows the 101's blank line is HTTP/2 and belongs to Jetty's client.
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0)
                throw new IOException("EOF in the response head: " + head.toString(StandardCharsets.ISO_8859_1));
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private class Listener implements Session.Listener {
        @Override
        public void onGoAway(Session session, GoAwayFrame frame) {
            goAways.add(frame);
        }

        @Override
        public void onClose(Session session, GoAwayFrame frame, Callback callback) {
            closed.complete(null);
            callback.succeeded();
        }
    }

    /** One SSE stream: its text as received; {@link #ended} completes at END_STREAM, fails at a reset. */
    static final class Reader implements Stream.Listener {

        final CompletableFuture<Void> ended = new CompletableFuture<>();
        final CompletableFuture<Integer> status = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private volatile boolean paused;
        volatile Stream stream;

        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response response)
                status.complete(response.getStatus());
            if (frame.isEndStream())
                ended.complete(null);
            else
                stream.demand();
        }

        @Override
        public void onDataAvailable(Stream stream) {
            if (paused)
                return; // nothing read, nothing released: no WINDOW_UPDATE
            Stream.Data data = stream.readData();
            if (data == null) {
                stream.demand();
                return;
            }
            ByteBuffer bytes = data.frame().getByteBuffer();
            synchronized (text) {
                text.append(StandardCharsets.UTF_8.decode(bytes));
            }
            data.release();
            if (data.frame().isEndStream())
                ended.complete(null);
            else
                stream.demand();
        }

        @Override
        public void onReset(Stream stream, ResetFrame frame, Callback callback) {
            ended.completeExceptionally(new IOException("stream " + stream.getId() + " reset: error " + frame.getError()));
            callback.succeeded();
        }

        @Override
        public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
            ended.completeExceptionally(new IOException("stream " + stream.getId() + " failed: " + reason, failure));
            callback.succeeded();
        }

        void pause() {
            paused = true;
        }

        void resume() {
            paused = false;
            stream.demand();
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        /** The {@code data:} lines received so far, without the prefix. */
        List<String> events() {
            List<String> events = new ArrayList<>();
            String text = text();
            // Complete lines only: an event may be cut between two DATA frames.
            for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n"))
                if (line.startsWith("data: "))
                    events.add(line.substring("data: ".length()));
            return events;
        }
    }
}
