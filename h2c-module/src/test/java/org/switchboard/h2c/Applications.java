package org.switchboard.h2c;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Collectors;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Test applications behind the dispatcher whose small responses prove what reached them. */
final class Applications {

    private Applications() {
    }

    /** Answers {@code <protocol> <length>:<sha-256 prefix>} of the request body: big bodies, small responses. */
    static Handler bodyDigest() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                MessageDigest sha = sha256();
                long[] length = {0};
                readAll(request, sha, length, () -> {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                    Content.Sink.write(response, true, request.getConnectionMetaData().getProtocol() + " "
                        + length[0] + ":" + HexFormat.of().formatHex(sha.digest()).substring(0, 16), callback);
                }, callback);
                return true;
            }
        };
    }

    /** Answers the id of the connection the request came on, and its protocol. */
    static Handler connectionId() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Sink.write(response, true, request.getConnectionMetaData().getProtocol() + " "
                    + request.getConnectionMetaData().getId(), callback);
                return true;
            }
        };
    }

    /** Answers the request's header names, lower-cased and sorted, then its Content-Length, as seen by the application. */
    static Handler headerNames() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String names = request.getHeaders().stream().map(f -> f.getLowerCaseName()).sorted().distinct()
                    .collect(Collectors.joining(","));
                Content.Sink.write(response, true, names + " length=" + request.getLength(), callback);
                return true;
            }
        };
    }

    static String digest(byte[] body) {
        return body.length + ":" + HexFormat.of().formatHex(sha256().digest(body)).substring(0, 16);
    }

    private static void readAll(Request request, MessageDigest sha, long[] length, Runnable done, Callback callback) {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(() -> readAll(request, sha, length, done, callback));
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                callback.failed(chunk.getFailure());
                return;
            }
            ByteBuffer buffer = chunk.getByteBuffer();
            length[0] += buffer.remaining();
            sha.update(buffer);
            chunk.release();
            if (chunk.isLast()) {
                done.run();
                return;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException x) {
            throw new AssertionError(x);
        }
    }
}
