package org.switchboard.probe.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.internal.Parser;
import org.switchboard.probe.Check;
import org.switchboard.probe.Target;
import org.switchboard.probe.Verdict;
import org.switchboard.testing.ExtendedConnect;

/**
 * RFC 8441 extended CONNECT (rules C1–C4, and U11 over HTTP/2), with {@code --extended-connect}:
 * each check opens a prior-knowledge HTTP/2 connection to the target (cleartext, RFC 9113 §3.3)
 * with the test kit's {@link ExtendedConnect}, on Jetty's {@code HTTP2Client}, and sends one request
 * on one stream. Every wait is bounded by the timeout, and the check's connection is closed when its
 * time is up.
 */
final class ExtendedConnectChecks {

    private static final String NEEDS = "needs --extended-connect";
    /** Most WebSocket frames read while waiting for one. */
    private static final int MAX_FRAMES = 64;
    /** The text the WebSocket check sends and hopes to see echoed. */
    private static final String TEXT = "switchboard-probe over RFC 8441";

    private ExtendedConnectChecks() {}

    static List<Check> all(Target target) {
        List<Check> checks = new ArrayList<>();
        checks.add(connect("C3", "the server's SETTINGS enable extended CONNECT: SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3)", (t, connections) -> {
            try (ExtendedConnect stream = open(t, connections, t.path(), null, null)) {
                Integer enabled = stream.serverSettings().get(SettingsFrame.ENABLE_CONNECT_PROTOCOL);
                return enabled != null && enabled == 1 ? Verdict.pass("SETTINGS_ENABLE_CONNECT_PROTOCOL = 1")
                    : Verdict.fail("the server's SETTINGS " + stream.serverSettings() + " do not enable extended CONNECT (setting 8 is "
                        + enabled + ")");
            }
        }));
        checks.add(connect("C1", "a :protocol that is a list (websocket, " + Offers.UNKNOWN + ") → 400 with a one-line reason, not a reset: one offer only", (t, connections) -> {
            String path = routePath(t).orElse(t.path());
            try (ExtendedConnect stream = open(t, connections, path, "websocket, " + Offers.UNKNOWN, null)) {
                Answer answer = answer(stream);
                if (answer.status() != 400)
                    return Verdict.fail("a malformed :protocol on " + path + " needs 400 (RULES.md C1); got " + answer);
                String reason = answer.body().strip();
                if (reason.isEmpty() || reason.contains("\n"))
                    return Verdict.fail("the 400 must carry a one-line reason; got " + answer);
                return Verdict.pass("400: " + Bytes.oneLine(reason, 120));
            }
        }));
        checks.add(websocket("C3", "websocket: 200 without Upgrade or Connection, then WebSocket on the stream: a masked text frame is echoed (or, from an endpoint that does not echo, a ping gets its pong)", (t, connections, path) -> {
            try (ExtendedConnect stream = open(t, connections, path, "websocket", null)) {
                String problem = problemWith200(stream);
                if (problem != null)
                    return Verdict.fail(problem);
                stream.send(WebSocketFrames.masked(OpCode.TEXT, TEXT.getBytes(StandardCharsets.UTF_8)));
                stream.send(WebSocketFrames.masked(OpCode.PING, "probe".getBytes(StandardCharsets.US_ASCII)));
                Frames frames = new Frames(stream);
                for (int i = 0; i < MAX_FRAMES; i++) {
                    Frame frame = frames.next();
                    if (frame != null && frame.getOpCode() == OpCode.TEXT && TEXT.equals(frame.getPayloadAsUTF8()))
                        return Verdict.pass("200, then the text frame echoed");
                    if (frame != null && frame.getOpCode() == OpCode.PONG)
                        return Verdict.pass("200, then the ping's pong (the endpoint does not echo text)");
                    if (frame == null || frame.getOpCode() == OpCode.CLOSE)
                        return Verdict.fail("200, then " + WebSocketFrames.describe(frame) + " instead of an echo or a pong");
                }
                return Verdict.fail(MAX_FRAMES + " frames and neither the echo nor the pong");
            }
        }));
        checks.add(websocket("C3", "websocket: a ping sent in a DATA frame right behind the CONNECT, before the 200, reaches WebSocket: 200, then its pong (U10's analogue)", (t, connections, path) -> {
            byte[] ping = WebSocketFrames.masked(OpCode.PING, "sent-with-connect".getBytes(StandardCharsets.US_ASCII));
            try (ExtendedConnect stream = open(t, connections, path, "websocket", ping)) {
                String problem = problemWith200(stream);
                if (problem != null)
                    return Verdict.fail(problem);
                Frames frames = new Frames(stream);
                for (int i = 0; i < MAX_FRAMES; i++) {
                    Frame frame = frames.next();
                    if (frame != null && frame.getOpCode() == OpCode.PONG)
                        return "sent-with-connect".equals(frame.getPayloadAsUTF8()) ? Verdict.pass("200, then the pong")
                            : Verdict.fail("a pong with another payload: " + WebSocketFrames.describe(frame));
                    if (frame == null || frame.getOpCode() == OpCode.CLOSE)
                        return Verdict.fail("the ping sent with the CONNECT was lost: " + WebSocketFrames.describe(frame));
                }
                return Verdict.fail(MAX_FRAMES + " frames and no pong");
            }
        }));
        checks.add(connect("C4", "an unknown :protocol (" + Offers.UNKNOWN + ") on a route → 501 with Connect-Protocol listing what it speaks, on the stream, never a reset", (t, connections) -> {
            Optional<String> path = routePath(t);
            if (path.isEmpty())
                return Verdict.skip("needs a route: --websocket PATH or --upgrade TOKEN=PATH");
            return refused(t, connections, path.get());
        }));
        checks.add(connect("C4", "an unknown :protocol on the required route → 501 with Connect-Protocol (it replaces U8's 426), on the stream, never a reset", (t, connections) ->
            t.requiredPath().isPresent() ? refused(t, connections, t.requiredPath().get()) : Verdict.skip("needs --required PATH")));
        checks.add(connect("U11", "an HTTP/2 GET carrying Upgrade: websocket and a WebSocket key is never switched: a final status (or a reset: it is malformed), not 101 nor 2xx with the protocol", (t, connections) -> {
            String path = t.websocketPath().orElse(t.path());
            HttpFields fields = HttpFields.build()
                // A field without its HttpHeader, because HPACK's encoder drops a known Upgrade field (RFC 9113 §8.2.2).
                .add(new HttpField(null, "upgrade", "websocket"))
                .add(HttpHeader.SEC_WEBSOCKET_KEY, WebSocketFrames.newKey())
                .add(HttpHeader.SEC_WEBSOCKET_VERSION, "13");
            try (ExtendedConnect stream = connections.track(ExtendedConnect.send(t.address(), get(t, path, fields), null, t.timeout()))) {
                Integer reset = resetBeforeAnswer(stream);
                if (reset != null)
                    return Verdict.pass("the stream was reset (" + ErrorCode.toString(reset, "?") + "): not switched");
                int status = stream.status();
                if (status == 101 || status >= 500)
                    return Verdict.fail("a request over HTTP/2 is never upgraded (U11), nor fails: " + status + " " + stream.headers());
                if (status == 200 && stream.headers().contains(HttpHeader.SEC_WEBSOCKET_ACCEPT))
                    return Verdict.fail("200 with Sec-WebSocket-Accept: switched to WebSocket over HTTP/2 without CONNECT");
                return Verdict.pass("answered " + status + ", not switched");
            }
        }));
        for (Target.Upgrade upgrade : target.upgrades()) {
            checks.add(connect("C3", upgrade.token() + " on " + upgrade.path() + ": 200 without Upgrade or Connection; the stream stays open", (t, connections) -> {
                try (ExtendedConnect stream = open(t, connections, upgrade.path(), upgrade.token(), null)) {
                    String problem = problemWith200(stream);
                    if (problem != null)
                        return Verdict.fail(problem);
                    if (stream.endsWithin(UpgradeChecks.QUIET))
                        return Verdict.fail("200, then the stream ended at once" + (stream.resetCode() == null ? ""
                            : " (reset " + ErrorCode.toString(stream.resetCode(), "?") + ")"));
                    return Verdict.pass("200; the stream stays open");
                }
            }));
        }
        return checks;
    }

    /** What a check that needs {@code --websocket} does on its path. */
    @FunctionalInterface
    private interface WebSocketBody {
        Verdict run(Target target, CheckConnections connections, String path) throws Exception;
    }

    /** A check body that may throw what the kit's client throws. */
    @FunctionalInterface
    private interface Body {
        Verdict run(Target target, CheckConnections connections) throws Exception;
    }

    /** A check that needs {@code --extended-connect}; the kit's failures become one-line FAILs. */
    private static Check connect(String id, String name, Body body) {
        return new RuleCheck(id, name, (target, connections) -> {
            if (!target.extendedConnect())
                return Verdict.skip(NEEDS);
            try {
                return body.run(target, connections);
            } catch (IOException e) {
                throw e;
            } catch (ExecutionException e) {
                throw new IOException(describe(e.getCause() == null ? e : e.getCause()), e);
            } catch (TimeoutException e) {
                throw new IOException("no answer within the timeout of " + target.timeout().toMillis() + " ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (Exception e) {
                throw new IOException(describe(e), e);
            }
        });
    }

    /** A check that needs {@code --extended-connect} and {@code --websocket}. */
    private static Check websocket(String id, String name, WebSocketBody body) {
        return connect(id, name, (target, connections) -> target.websocketPath().isPresent()
            ? body.run(target, connections, target.websocketPath().get()) : Verdict.skip("needs --websocket PATH"));
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Where an unknown protocol meets a route: {@code --websocket}, else the first {@code --upgrade}'s path. */
    private static Optional<String> routePath(Target target) {
        if (target.websocketPath().isPresent())
            return target.websocketPath();
        return target.upgrades().stream().map(Target.Upgrade::path).findFirst();
    }

    /** A {@code GET} of {@code path} on the target, its {@code :authority} the URL's host and port. */
    private static MetaData.Request get(Target target, String path, HttpFields fields) {
        return new MetaData.Request("GET", HttpURI.build().scheme(HttpScheme.HTTP).host(target.url().getHost())
            .port(target.address().getPort()).path(path), HttpVersion.HTTP_2, fields);
    }

    /**
     * A CONNECT with {@code :protocol protocol} on {@code path} ({@code null}: a stream that only
     * brings the server's SETTINGS, a GET), its connection closed with the check's.
     */
    private static ExtendedConnect open(Target target, CheckConnections connections, String path, String protocol, byte[] sentWithRequest)
        throws Exception {
        MetaData.Request request;
        if (protocol == null)
            request = get(target, path, HttpFields.EMPTY);
        else {
            HttpFields fields = protocol.startsWith("websocket") ? HttpFields.build().add(HttpHeader.SEC_WEBSOCKET_VERSION, "13") : HttpFields.EMPTY;
            request = new MetaData.ConnectRequest(HttpScheme.HTTP, new HostPortHttpField(target.authority()), path, fields, protocol);
        }
        return connections.track(ExtendedConnect.send(target.address(), request, sentWithRequest, target.timeout()));
    }

    /** The stream's reset code if it was reset before any answer, else {@code null} (after waiting for the answer). */
    private static Integer resetBeforeAnswer(ExtendedConnect stream) throws Exception {
        try {
            stream.status();
            return null;
        } catch (ExecutionException e) {
            if (stream.resetCode() != null)
                return stream.resetCode();
            throw e;
        }
    }

    /** A refusal's status, headers and body. */
    private record Answer(int status, HttpFields headers, String body) {
        @Override
        public String toString() {
            return Bytes.oneLine(status + " " + headers.toString().strip().replace("\r\n", ", ") + " body: " + body, 400);
        }
    }

    /** The answer to a request that is to be refused: a reset before a status FAILs (C4). */
    private static Answer answer(ExtendedConnect stream) throws Exception {
        Integer reset = resetBeforeAnswer(stream);
        if (reset != null)
            throw new IOException("the stream was reset (" + ErrorCode.toString(reset, "?") + ") instead of answered: a refusal is a status (RULES.md C4)");
        int status = stream.status();
        HttpFields headers = stream.headers();
        if (status == 200)
            return new Answer(status, headers, "(a stream, not read)");
        String body = stream.body();
        return new Answer(status, headers, body.length() > 400 ? body.substring(0, 400) + "…" : body);
    }

    /** C4 on {@code path}: 501 with a one-line reason and {@code Connect-Protocol} listing protocol tokens. */
    private static Verdict refused(Target target, CheckConnections connections, String path) throws Exception {
        try (ExtendedConnect stream = open(target, connections, path, Offers.UNKNOWN, null)) {
            Answer answer = answer(stream);
            if (answer.status() == 200)
                return Verdict.fail("200 to a protocol nobody speaks leaves a stream nobody reads; RULES.md C4 answers 501: " + answer);
            if (answer.status() != 501)
                return Verdict.fail("differs from Switchboard's rules (RFC 8441 leaves it open; RULES.md C4 answers 501): " + answer);
            List<String> offered = answer.headers().getCSV("Connect-Protocol", false);
            if (offered.isEmpty() || !offered.stream().allMatch(Tokens::isProtocol))
                return Verdict.fail("the 501 must list the route's protocols as tokens in Connect-Protocol: " + answer);
            if (answer.body().isBlank() || answer.body().strip().contains("\n"))
                return Verdict.fail("the 501 must carry a one-line reason: " + answer);
            return Verdict.pass("501, Connect-Protocol: " + String.join(", ", offered));
        }
    }

    /** Null if the answer is a 200 without {@code Upgrade} and {@code Connection} (C3), else what is wrong. */
    private static String problemWith200(ExtendedConnect stream) throws Exception {
        Integer reset = resetBeforeAnswer(stream);
        if (reset != null)
            return "the stream was reset (" + ErrorCode.toString(reset, "?") + ") instead of answered 200";
        int status = stream.status();
        if (status != 200)
            return "an accepted extended CONNECT is answered 200 (RFC 8441 §5); got " + status + " " + Bytes.oneLine(stream.headers().toString(), 300)
                + (status >= 300 ? " body: " + Bytes.oneLine(stream.body(), 200) : "");
        HttpFields headers = stream.headers();
        if (headers.contains(HttpHeader.UPGRADE) || headers.contains(HttpHeader.CONNECTION))
            return "the 200 carries Upgrade or Connection, which HTTP/2 forbids (RFC 9113 §8.2.2, RULES.md C3): " + Bytes.oneLine(headers.toString(), 300);
        return null;
    }

    /** The server's WebSocket frames on the stream, parsed by Jetty's codec. */
    private static final class Frames {
        private final ExtendedConnect stream;
        private final Parser parser = WebSocketFrames.newParser();
        private final ByteBuffer buffer = WebSocketFrames.newBuffer();

        Frames(ExtendedConnect stream) {
            this.stream = stream;
        }

        /** The next frame, or {@code null} if the stream ended first. */
        Frame next() throws IOException {
            return WebSocketFrames.read(more -> {
                byte[] bytes;
                try {
                    bytes = stream.readAvailable();
                } catch (IOException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException(describe(e), e);
                }
                return bytes.length > 0 && CheckConnections.append(more, bytes);
            }, parser, buffer);
        }
    }
}
