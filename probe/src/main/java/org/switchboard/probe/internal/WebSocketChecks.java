package org.switchboard.probe.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.internal.Parser;
import org.switchboard.probe.Check;
import org.switchboard.probe.Target;
import org.switchboard.probe.Verdict;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

import static org.switchboard.probe.internal.ResponseHeads.proof;

/** The WebSocket opening handshake and closing rules (W1–W8, RFC 6455) on {@code --websocket PATH}. */
final class WebSocketChecks {

    private static final String NEEDS = "needs --websocket PATH";

    private WebSocketChecks() {}

    /** A valid handshake on {@code path} with {@code key}: GET, HTTP/1.1, Host, Upgrade, Connection, key, version 13 (W1). */
    static RawRequest handshake(Target target, String path, String key) {
        return RawRequest.get(target, path)
            .header("Connection", "Upgrade").header("Upgrade", "websocket")
            .header("Sec-WebSocket-Key", key).header("Sec-WebSocket-Version", "13");
    }

    static List<Check> all() {
        List<Check> checks = new ArrayList<>();
        checks.add(websocket("W1", "a valid handshake → 101 with Upgrade: websocket, Connection: Upgrade, no content (U4)", (target, connections, path) -> {
            RawResponse head = connections.exchange(handshake(target, path, WebSocketFrames.newKey()));
            String problem = Offers.problemWith101(head, "websocket");
            return problem == null ? Verdict.pass("101") : Verdict.fail(problem);
        }));
        checks.add(websocket("W2", "Sec-WebSocket-Accept = base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11))", (target, connections, path) -> {
            String key = WebSocketFrames.newKey();
            RawResponse head = connections.exchange(handshake(target, path, key));
            if (head.status() != 101)
                return Verdict.fail("no 101 to check: " + proof(head));
            List<String> accept = head.headers("Sec-WebSocket-Accept");
            String expected = WebSocketFrames.accept(key);
            if (accept.size() != 1 || !accept.get(0).equals(expected))
                return Verdict.fail("key " + key + " needs Sec-WebSocket-Accept: " + expected + "; " + ResponseHeads.quoted(head));
            return Verdict.pass("Sec-WebSocket-Accept: " + expected);
        }));
        checks.add(websocket("U1", "Upgrade: , WebSocket , (case, empty elements) with Connection: keep-alive, Upgrade → 101 (U1, U6, W1)", (target, connections, path) -> {
            RawResponse head = connections.exchange(RawRequest.get(target, path)
                .header("Connection", "keep-alive, Upgrade").header("Upgrade", ", WebSocket ,")
                .header("Sec-WebSocket-Key", WebSocketFrames.newKey()).header("Sec-WebSocket-Version", "13"));
            String problem = Offers.problemWith101(head, "websocket");
            return problem == null ? Verdict.pass("101") : Verdict.fail(problem);
        }));
        checks.add(websocket("U4", "after the 101 the connection stays open and speaks WebSocket: a ping gets its pong (RFC 6455 §5.5.2)", (target, connections, path) -> {
            byte[] payload = "switchboard-probe".getBytes(StandardCharsets.US_ASCII);
            RawUpgradeClient client = switched(target, connections, path, new byte[0]);
            client.send(WebSocketFrames.masked(OpCode.PING, payload));
            Frame frame = firstControl(client);
            if (frame == null || frame.getOpCode() != OpCode.PONG)
                return Verdict.fail("a ping needs a pong; got " + WebSocketFrames.describe(frame));
            if (!ByteBuffer.wrap(payload).equals(frame.getPayload()))
                return Verdict.fail("the pong must carry the ping's payload");
            return Verdict.pass("pong with the ping's payload");
        }));
        checks.add(websocket("U10", "a close frame sent in the same write as the handshake reaches WebSocket: 101, then a close frame", (target, connections, path) -> {
            Frame frame = firstControl(switched(target, connections, path, WebSocketFrames.close(1000, "pipelined")));
            if (frame == null || frame.getOpCode() != OpCode.CLOSE)
                return Verdict.fail("the pipelined close frame was lost: " + WebSocketFrames.describe(frame));
            return Verdict.pass("answered with " + WebSocketFrames.describe(frame));
        }));
        checks.add(websocket("W8", "a close frame (1000) is answered with a close frame whose code RFC 6455 §7.4 allows on the wire", (target, connections, path) -> {
            Frame frame = afterClose(target, connections, path, WebSocketFrames.close(1000, "bye"));
            if (frame == null || frame.getOpCode() != OpCode.CLOSE)
                return Verdict.fail("a close frame needs a close frame; got " + WebSocketFrames.describe(frame));
            int code = WebSocketFrames.closeCode(frame);
            if (code != -1 && !transmittable(code))
                return Verdict.fail("answered with a code not allowed on the wire: " + WebSocketFrames.describe(frame));
            return Verdict.pass("answered with " + WebSocketFrames.describe(frame));
        }));
        checks.add(websocket("W8", "a close frame with the reserved code 1005 fails the connection: close 1002 or the connection dropped (RFC 6455 §7.4.1)", (target, connections, path) -> {
            Frame frame = afterClose(target, connections, path, WebSocketFrames.close(1005, ""));
            if (frame == null)
                return Verdict.pass("connection dropped");
            if (frame.getOpCode() == OpCode.CLOSE && WebSocketFrames.closeCode(frame) == 1002)
                return Verdict.pass("answered with " + WebSocketFrames.describe(frame));
            return Verdict.fail("1005 must never be sent: a protocol error (1002), not " + WebSocketFrames.describe(frame));
        }));
        checks.add(websocket("W3", "a handshake without Sec-WebSocket-Key → 4xx, never 101", (target, connections, path) ->
            badHandshake(connections, handshake(target, path, "").without("Sec-WebSocket-Key"))));
        checks.add(websocket("W3", "a Sec-WebSocket-Key that is not 16 bytes in base64 (dGhpcyBpcyBub3QgMTY=) → 4xx, never 101", (target, connections, path) ->
            badHandshake(connections, handshake(target, path, "dGhpcyBpcyBub3QgMTY="))));
        checks.add(websocket("W3", "a handshake with POST instead of GET → 4xx, never 101", (target, connections, path) ->
            badHandshake(connections, handshake(target, path, WebSocketFrames.newKey()).method("POST").header("Content-Length", "0"))));
        checks.add(websocket("W3", "a handshake without Host → 400, never 101 (RFC 9112 §3.2: MUST be 400)", (target, connections, path) -> {
            RawResponse head = connections.exchange(handshake(target, path, WebSocketFrames.newKey()).without("Host"));
            return head.status() == 400 ? Verdict.pass("answered 400 " + Bytes.oneLine(head.reason(), 80))
                : Verdict.fail("a request without Host needs 400; " + proof(head));
        }));
        checks.add(websocket("W3", "a handshake without Sec-WebSocket-Version → 4xx, never 101", (target, connections, path) ->
            badHandshake(connections, handshake(target, path, WebSocketFrames.newKey()).without("Sec-WebSocket-Version"))));
        checks.add(websocket("W4", "unsupported Sec-WebSocket-Version (8) → 426 with Sec-WebSocket-Version: 13", (target, connections, path) -> {
            RawResponse head = connections.exchange(handshake(target, path, WebSocketFrames.newKey())
                .without("Sec-WebSocket-Version").header("Sec-WebSocket-Version", "8"));
            if (head.status() != 426)
                return Verdict.fail("version 8 needs 426; " + proof(head));
            if (!ResponseHeads.has(head, "Sec-WebSocket-Version", "13"))
                return Verdict.fail("the 426 must name version 13 in Sec-WebSocket-Version: " + ResponseHeads.quoted(head));
            return Verdict.pass("426 with Sec-WebSocket-Version: " + String.join(", ", head.headers("Sec-WebSocket-Version")));
        }));
        checks.add(new RuleCheck("W5", "a handshake from an origin the endpoint refuses (--origin) → 403", (target, connections) -> {
            if (target.websocketPath().isEmpty() || target.origin().isEmpty())
                return Verdict.skip("needs --websocket PATH and --origin URL (an origin the endpoint refuses)");
            RawResponse head = connections.exchange(handshake(target, target.websocketPath().get(), WebSocketFrames.newKey())
                .header("Origin", target.origin().get()));
            return head.status() == 403 ? Verdict.pass("403") : Verdict.fail("Origin: " + target.origin().get() + " needs 403; " + proof(head));
        }));
        checks.add(websocket("W6", "Sec-WebSocket-Protocol: the 101 echoes at most one offered value, never another", (target, connections, path) -> {
            List<String> offered = List.of("x-switchboard-probe-a", "x-switchboard-probe-b");
            RawResponse head = connections.exchange(handshake(target, path, WebSocketFrames.newKey())
                .header("Sec-WebSocket-Protocol", String.join(", ", offered)));
            if (head.status() != 101)
                return Verdict.pass("not switched (" + head.status() + "): no subprotocol chosen");
            List<String> chosen = ResponseHeads.elements(head, "Sec-WebSocket-Protocol");
            if (chosen.isEmpty())
                return Verdict.pass("none chosen");
            if (chosen.size() > 1 || !offered.contains(chosen.get(0)))
                return Verdict.fail("chose " + String.join(", ", chosen) + " from " + offered + ": " + ResponseHeads.quoted(head));
            return Verdict.pass("chose " + chosen.get(0));
        }));
        checks.add(websocket("W6", "no Sec-WebSocket-Protocol offered → none in the 101", (target, connections, path) -> {
            RawResponse head = connections.exchange(handshake(target, path, WebSocketFrames.newKey()));
            if (head.status() != 101)
                return Verdict.fail("no 101: " + proof(head));
            return head.headers("Sec-WebSocket-Protocol").isEmpty()
                ? Verdict.pass("none")
                : Verdict.fail("answered a subprotocol nobody offered: " + ResponseHeads.quoted(head));
        }));
        checks.add(websocket("W7", "Sec-WebSocket-Extensions: the 101 lists only offered extensions, with valid parameters", (target, connections, path) -> {
            RawResponse head = connections.exchange(handshake(target, path, WebSocketFrames.newKey())
                .header("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits, x-switchboard-probe"));
            if (head.status() != 101)
                return Verdict.fail("no 101: " + proof(head));
            for (String extension : ResponseHeads.elements(head, "Sec-WebSocket-Extensions")) {
                String problem = extensionProblem(extension);
                if (problem != null)
                    return Verdict.fail(problem + ": " + ResponseHeads.quoted(head));
            }
            List<String> accepted = head.headers("Sec-WebSocket-Extensions");
            return Verdict.pass(accepted.isEmpty() ? "none accepted" : "accepted " + String.join(", ", accepted));
        }));
        return checks;
    }

    /** A check that needs {@code --websocket}; {@code body} gets its path. */
    private static Check websocket(String id, String name, PathBody body) {
        return new RuleCheck(id, name, (target, connections) -> target.websocketPath().isEmpty()
            ? Verdict.skip(NEEDS)
            : body.run(target, connections, target.websocketPath().get()));
    }

    @FunctionalInterface
    private interface PathBody {
        Verdict run(Target target, CheckConnections connections, String path) throws java.io.IOException;
    }

    /** W3: a 4xx, never a 101 or a 5xx. */
    private static Verdict badHandshake(CheckConnections connections, RawRequest request) throws java.io.IOException {
        RawResponse head = connections.exchange(request);
        if (head.status() >= 400 && head.status() < 500)
            return Verdict.pass("answered " + head.status() + " " + Bytes.oneLine(head.reason(), 80));
        return Verdict.fail("an invalid handshake needs an error status such as 400; " + proof(head));
    }

    /**
     * A connection switched to WebSocket: a valid handshake on {@code path}, {@code pipelined} in the
     * same write; its 101 read. The connection closes with the check.
     *
     * @throws java.io.IOException "no 101" with the head, if the server does not switch
     */
    private static RawUpgradeClient switched(Target target, CheckConnections connections, String path, byte[] pipelined) throws java.io.IOException {
        RawUpgradeClient client = connections.open();
        client.send(handshake(target, path, WebSocketFrames.newKey()).then(pipelined).bytes());
        RawResponse head = CheckConnections.finalHead(client);
        if (head.status() != 101)
            throw new java.io.IOException("no 101: " + proof(head));
        return client;
    }

    /** Switches, sends {@code close}, returns the first control frame the server answers with (null: connection closed). */
    private static Frame afterClose(Target target, CheckConnections connections, String path, byte[] close) throws java.io.IOException {
        RawUpgradeClient client = switched(target, connections, path, new byte[0]);
        client.send(close);
        return firstControl(client);
    }

    /** The server's next control frame, data frames skipped (an endpoint may greet first). */
    private static Frame firstControl(RawUpgradeClient client) throws java.io.IOException {
        Parser parser = WebSocketFrames.newParser();
        ByteBuffer buffer = WebSocketFrames.newBuffer();
        for (int frames = 0; frames < 64; frames++) {
            Frame frame = WebSocketFrames.read(client, parser, buffer);
            if (frame == null || OpCode.isControlFrame(frame.getOpCode()))
                return frame;
        }
        throw new java.io.IOException("64 data frames and no control frame");
    }

    /** RFC 6455 §7.4: codes an endpoint may send. */
    private static boolean transmittable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private static final Set<String> DEFLATE_PARAMETERS = Set.of(
        "server_no_context_takeover", "client_no_context_takeover", "server_max_window_bits", "client_max_window_bits");

    /** What is wrong with one accepted extension for the offer {@code permessage-deflate; client_max_window_bits, x-switchboard-probe}. */
    private static String extensionProblem(String extension) {
        String[] parts = extension.split(";");
        String name = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!name.equals("permessage-deflate"))
            return "accepted " + Bytes.oneLine(name, 80) + ", which was not offered (or the probe's unknown one)";
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            String key = parameter[0].trim().toLowerCase(Locale.ROOT);
            if (!DEFLATE_PARAMETERS.contains(key) || !seen.add(key))
                return "permessage-deflate with an unknown or repeated parameter " + Bytes.oneLine(key, 80) + " (RFC 7692 §7)";
            if (key.endsWith("_max_window_bits")) {
                String value = parameter.length == 2 ? parameter[1].trim().replace("\"", "") : "";
                if (!value.matches("8|9|1[0-5]"))
                    return key + " needs a value 8 to 15 in a response (RFC 7692 §7.1.2)";
            } else if (parameter.length == 2) {
                return key + " takes no value (RFC 7692 §7.1.1)";
            }
        }
        return null;
    }
}
