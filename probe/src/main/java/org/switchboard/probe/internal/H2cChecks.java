package org.switchboard.probe.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.switchboard.probe.Check;
import org.switchboard.probe.Target;
import org.switchboard.probe.Verdict;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

import static org.switchboard.probe.internal.ResponseHeads.proof;

/** The h2c rules (H1–H4, RFC 7540 §3.2) on the URL's path, with {@code --h2c}; and U11 on the stream the upgrade opens. */
final class H2cChecks {

    private static final String NEEDS = "needs --h2c";
    /** Most frames read while waiting for one: SETTINGS, WINDOW_UPDATE, PING… come first. */
    private static final int MAX_FRAMES = 64;

    private H2cChecks() {}

    /** A valid h2c offer on {@code path} (H1). */
    static RawRequest offer(Target target, String path) {
        return RawRequest.get(target, path)
            .header("Connection", "Upgrade, HTTP2-Settings").header("Upgrade", "h2c")
            .header("HTTP2-Settings", Http2Frames.SETTINGS_HEADER);
    }

    static List<Check> all() {
        List<Check> checks = new ArrayList<>();
        checks.add(h2c("H1", "a valid offer (Upgrade: h2c, Connection: Upgrade, HTTP2-Settings, one HTTP2-Settings) → 101 naming h2c (U4)", (target, connections) -> {
            RawResponse head = connections.exchange(offer(target, target.path()));
            String problem = Offers.problemWith101(head, "h2c");
            return problem == null ? Verdict.pass("101") : Verdict.fail(problem);
        }));
        checks.add(h2c("H2", "after the 101 the server's first frame is SETTINGS; the request, now stream 1, is answered on stream 1", (target, connections) -> {
            Http2Frames frames = switched(target, connections);
            Frame first = frames.next();
            if (!(first instanceof SettingsFrame settings) || settings.isReply())
                return Verdict.fail("the first frame after the 101 must be the server's SETTINGS; got " + Http2Frames.describe(first));
            return Verdict.pass("SETTINGS, then stream 1 answered " + streamOneStatus(frames));
        }));
        checks.add(h2c("U11", "stream 1 (the upgraded request, still carrying Upgrade: h2c) is never upgraded again: a final status, not 101", (target, connections) -> {
            int status = streamOneStatus(switched(target, connections));
            return status >= 200 ? Verdict.pass("stream 1 answered " + status) : Verdict.fail("stream 1 answered " + status + " over HTTP/2");
        }));
        checks.add(h2c("U10", "the HTTP/2 preface sent in the same write as the request is read after the 101: our SETTINGS is acknowledged", (target, connections) -> {
            try (RawUpgradeClient client = connections.open()) {
                client.send(offer(target, target.path()).then(Http2Frames.clientPreface()).bytes());
                RawResponse head = CheckConnections.finalHead(client);
                if (head.status() != 101)
                    return Verdict.fail("no 101: " + proof(head));
                Http2Frames frames = new Http2Frames(client);
                for (int i = 0; i < MAX_FRAMES; i++) {
                    Frame frame = frames.next();
                    if (frame instanceof SettingsFrame settings && settings.isReply())
                        return Verdict.pass("SETTINGS acknowledged");
                    if (frame == null || frame instanceof GoAwayFrame)
                        return Verdict.fail("the pipelined preface was lost: " + Http2Frames.describe(frame));
                }
                return Verdict.fail(MAX_FRAMES + " frames and no SETTINGS acknowledgement");
            }
        }));
        checks.add(h2c("H1", "an h2c offer without HTTP2-Settings is not upgraded: answered over HTTP/1.1", (target, connections) ->
            notUpgraded(connections.exchange(offer(target, target.path()).without("HTTP2-Settings")))));
        checks.add(h2c("H1", "an h2c offer with two HTTP2-Settings fields is not upgraded: answered over HTTP/1.1", (target, connections) ->
            notUpgraded(connections.exchange(offer(target, target.path()).header("HTTP2-Settings", Http2Frames.SETTINGS_HEADER)))));
        checks.add(h2c("H3", "a POST with a chunked body offering h2c: served over HTTP/1.1, or upgraded only after the body (no GOAWAY, stream 1 answered)", (target, connections) -> {
            try (RawUpgradeClient client = connections.open()) {
                client.send(offer(target, target.path()).method("POST").header("Transfer-Encoding", "chunked")
                    .header("Content-Type", "text/plain").body("5\r\nhello\r\n0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).bytes());
                RawResponse head = CheckConnections.finalHead(client);
                if (head.status() != 101)
                    return notUpgraded(head);
                client.send(Http2Frames.clientPreface());
                return Verdict.pass("upgraded after the body; stream 1 answered " + streamOneStatus(new Http2Frames(client)));
            }
        }));
        checks.add(h2c("U9", "a POST offering h2c with Expect: 100-continue and a body: 100 Continue before any 101 (or a final status: not upgraded, H3)", (target, connections) -> {
            byte[] body = "switchboard-probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            try (RawUpgradeClient client = connections.open()) {
                client.send(offer(target, target.path()).method("POST").header("Content-Type", "text/plain")
                    .header("Content-Length", Integer.toString(body.length)).header("Expect", "100-continue").head());
                RawResponse first = client.readHead();
                if (first.status() == 101)
                    return Verdict.fail("101 before the 100 Continue and the body: " + ResponseHeads.quoted(first));
                if (first.status() != 100)
                    return notUpgraded(first);
                client.send(body);
                RawResponse head = CheckConnections.finalHead(client);
                if (head.status() != 101)
                    return notUpgraded(head);
                String problem = Offers.problemWith101(head, "h2c");
                return problem == null ? Verdict.pass("100, then 101 after the body") : Verdict.fail(problem);
            }
        }));
        checks.add(new RuleCheck("H4", "h2c is ignored on TLS connections", (target, connections) ->
            Verdict.skip("the probe speaks cleartext (http://) only: a TLS port cannot be checked")));
        return checks;
    }

    /** A check that needs {@code --h2c}. */
    private static Check h2c(String id, String name, RuleCheck.Body body) {
        return new RuleCheck(id, name, (target, connections) -> target.h2c() ? body.run(target, connections) : Verdict.skip(NEEDS));
    }

    private static Verdict notUpgraded(RawResponse head) {
        if (head.status() == 101 || head.status() >= 500)
            return Verdict.fail("must not upgrade (H1), nor fail: " + proof(head));
        return Verdict.pass("answered " + head.status() + " over HTTP/1.1");
    }

    /** A valid offer on the URL's path, switched, the client's preface sent: the server's frames from the first. */
    private static Http2Frames switched(Target target, CheckConnections connections) throws IOException {
        RawUpgradeClient client = connections.open();
        client.send(offer(target, target.path()).bytes());
        RawResponse head = CheckConnections.finalHead(client);
        if (head.status() != 101)
            throw new IOException("no 101: " + proof(head));
        client.send(Http2Frames.clientPreface());
        return new Http2Frames(client);
    }

    /** The status of the response on stream 1. */
    private static int streamOneStatus(Http2Frames frames) throws IOException {
        return ((MetaData.Response) streamOneResponse(frames).getMetaData()).getStatus();
    }

    /** The HEADERS that answer stream 1, skipping other frames. */
    private static HeadersFrame streamOneResponse(Http2Frames frames) throws IOException {
        for (int i = 0; i < MAX_FRAMES; i++) {
            Frame frame = frames.next();
            if (frame instanceof HeadersFrame headers && headers.getStreamId() == 1 && headers.getMetaData() instanceof MetaData.Response)
                return headers;
            if (frame == null || frame instanceof GoAwayFrame || (frame instanceof ResetFrame reset && reset.getStreamId() == 1))
                throw new IOException("stream 1 was not answered: " + Http2Frames.describe(frame));
        }
        throw new IOException(MAX_FRAMES + " frames and no response on stream 1");
    }
}
