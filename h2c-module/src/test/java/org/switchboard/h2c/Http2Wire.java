package org.switchboard.h2c;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PrefaceFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http2.frames.WindowUpdateFrame;
import org.eclipse.jetty.http2.generator.Generator;
import org.eclipse.jetty.http2.parser.Parser;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.switchboard.testing.RawConnection;

/**
 * The HTTP/2 side of a raw-socket test: encodes client frames with Jetty's own generator and
 * decodes what the server sends with Jetty's own parser, so tests check real frames without
 * hand-writing HPACK. Not thread-safe; one per connection.
 */
final class Http2Wire {

    /** The client's SETTINGS payload used in {@code HTTP2-Settings}: empty, a valid SETTINGS payload. */
    static final String EMPTY_SETTINGS = "";
    /** {@code SETTINGS_MAX_CONCURRENT_STREAMS=100, SETTINGS_INITIAL_WINDOW_SIZE=65535}, base64url as curl and nghttp send it. */
    static final String CURL_SETTINGS = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(new byte[]{0, 3, 0, 0, 0, 100, 0, 4, 0, 0, (byte) 0xff, (byte) 0xff});

    private final InputStream in;
    private final OutputStream out;
    private final Generator generator = new Generator(ByteBufferPool.NON_POOLING);
    private final Parser parser = new Parser(ByteBufferPool.NON_POOLING, 64 * 1024);
    private final Deque<Frame> received = new ArrayDeque<>();
    private final List<Frame> all = new ArrayList<>();
    private final Map<Integer, StreamResponse> responses = new HashMap<>();

    /** Frames over what {@code client} has still to read (the bytes after the 101 first) and writes. */
    Http2Wire(RawConnection client) {
        this.in = client.input();
        this.out = client.output();
        parser.init(new Parser.Listener() {
            @Override
            public void onData(DataFrame frame) {
                ByteBuffer copy = ByteBuffer.allocate(frame.remaining());
                copy.put(frame.getByteBuffer().slice()).flip();
                received.add(new DataFrame(frame.getStreamId(), copy, frame.isEndStream()));
            }

            @Override
            public void onHeaders(HeadersFrame frame) {
                received.add(frame);
            }

            @Override
            public void onSettings(SettingsFrame frame) {
                received.add(frame);
            }

            @Override
            public void onReset(ResetFrame frame) {
                received.add(frame);
            }

            @Override
            public void onGoAway(GoAwayFrame frame) {
                received.add(frame);
            }

            @Override
            public void onWindowUpdate(WindowUpdateFrame frame) {
                received.add(frame);
            }

            @Override
            public void onConnectionFailure(int error, String reason) {
                throw new AssertionError("bad HTTP/2 from the server: " + reason);
            }
        });
    }

    /** The client connection preface (RFC 9113 §3.4): the magic string, then an empty SETTINGS frame. */
    byte[] preface() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(PrefaceFrame.PREFACE_BYTES);
        bytes.writeBytes(encode(new SettingsFrame(Map.of(), false)));
        return bytes.toByteArray();
    }

    /** A GET for {@code path} on {@code streamId}, ending the stream. */
    byte[] get(int streamId, int port, String path) {
        MetaData.Request request = new MetaData.Request("GET", HttpURI.from("http://127.0.0.1:" + port + path),
            HttpVersion.HTTP_2, HttpFields.EMPTY);
        return encode(new HeadersFrame(streamId, request, null, true));
    }

    byte[] encode(Frame frame) {
        RetainableByteBuffer.Mutable accumulator = new RetainableByteBuffer.DynamicCapacity();
        try {
            generator.control(accumulator, frame);
        } catch (Exception x) {
            throw new AssertionError(x);
        }
        return accumulator.takeByteArray();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame from the server (reading the socket as needed); an {@link IOException} at EOF or timeout. */
    Frame next() throws IOException {
        byte[] chunk = new byte[16 * 1024];
        while (received.isEmpty()) {
            int n = in.read(chunk);
            if (n < 0)
                throw new IOException("EOF from the server after frames " + all);
            parser.parse(ByteBuffer.wrap(chunk, 0, n));
        }
        Frame frame = received.poll();
        all.add(frame);
        if (frame instanceof SettingsFrame settings && !settings.isReply())
            send(encode(new SettingsFrame(Map.of(), true)));
        if (frame instanceof HeadersFrame headers)
            responses.computeIfAbsent(headers.getStreamId(), id -> new StreamResponse()).headers(headers);
        if (frame instanceof DataFrame data)
            responses.computeIfAbsent(data.getStreamId(), id -> new StreamResponse()).data(data);
        return frame;
    }

    /** Reads frames until the response on {@code streamId} is complete. */
    StreamResponse response(int streamId) throws IOException {
        while (true) {
            StreamResponse response = responses.get(streamId);
            if (response != null && response.complete)
                return response;
            Frame frame = next();
            if (frame instanceof ResetFrame reset && reset.getStreamId() == streamId)
                throw new AssertionError("stream " + streamId + " reset: " + reset);
            // A graceful GOAWAY (no error) lets streams already started finish.
            if (frame instanceof GoAwayFrame goAway && goAway.getError() != 0)
                throw new AssertionError("GOAWAY: " + goAway);
        }
    }

    /** Every frame read so far, in order. */
    List<Frame> frames() {
        return all;
    }

    /** A response as received on one stream. */
    static final class StreamResponse {
        private MetaData.Response meta;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private boolean complete;

        private void headers(HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response response)
                meta = response;
            complete |= frame.isEndStream();
        }

        private void data(DataFrame frame) {
            ByteBuffer buffer = frame.getByteBuffer().slice();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            body.writeBytes(bytes);
            complete |= frame.isEndStream();
        }

        int status() {
            return meta.getStatus();
        }

        HttpFields headers() {
            return meta.getHttpFields();
        }

        String body() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }
}
