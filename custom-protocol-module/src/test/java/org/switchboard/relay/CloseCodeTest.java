package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.TestServer;

/**
 * PROTOCOL.md "Close codes" and section 6 ("CLOSE code not allowed … 1002"): which codes a CLOSE
 * frame may carry, as one table ({@link CloseCode#isValid}) that the server and {@link RelayClient}
 * both apply. A code outside the table is answered with CLOSE 1002, never echoed (issue 13 item 7).
 */
class CloseCodeTest {

    /** Written from PROTOCOL.md's text, independently of {@link CloseCode}: the codes a CLOSE frame may carry. */
    private static boolean allowedByTheSpec(int code) {
        return code == 1000 || code == 1001 || code == 1002 || code == 1009 || code == 1011
            || (code >= 3000 && code <= 3999)
            || code == 4001 || code == 4002;
    }

    private static final int[] FORBIDDEN = {0, 999, 1003, 1004, 1005, 1006, 1007, 1008, 1010, 1012, 1015, 2999, 4000, 4003, 4099, 4100, 4999, 5000, 65535};
    private static final int[] ALLOWED = {1000, 1001, 1002, 1009, 1011, 3000, 3999, 4001, 4002};

    @Test
    void closeCodes_everyOneOfThe65536CodesIsValidExactlyWhenPROTOCOLmdAllowsIt() {
        List<Integer> disagreements = new ArrayList<>();
        for (int code = 0; code <= 0xFFFF; code++) {
            if (CloseCode.isValid(code) != allowedByTheSpec(code))
                disagreements.add(code);
        }
        assertThat(disagreements).as("codes where CloseCode.isValid disagrees with PROTOCOL.md").isEmpty();
    }

    @Test
    void closeCodes_theTableInPROTOCOLmdListsExactlyTheCodesTheTestsExpect() throws Exception {
        // The rows of the "Close codes" table, except 1006 ("never sent"): what the test above is written from.
        String spec = Files.readString(Path.of("PROTOCOL.md"));
        String table = spec.substring(spec.indexOf("### Close codes"), spec.indexOf("## 5. Liveness"));
        Matcher row = Pattern.compile("(?m)^\\| (\\d{4})(?:–(\\d{4}))? \\|[^|]*\\| ([^|]*)\\|$").matcher(table);
        TreeSet<Integer> listed = new TreeSet<>();
        while (row.find()) {
            if (row.group(3).startsWith("never sent"))
                continue;
            int from = Integer.parseInt(row.group(1));
            int to = row.group(2) == null ? from : Integer.parseInt(row.group(2));
            for (int code = from; code <= to; code++)
                listed.add(code);
        }
        TreeSet<Integer> expected = new TreeSet<>();
        for (int code = 0; code <= 0xFFFF; code++) {
            if (allowedByTheSpec(code))
                expected.add(code);
        }
        assertThat(listed).isEqualTo(expected);
    }

    private static String upgrade() {
        return "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: relay/2\r\n\r\n";
    }

    @Test
    void closeCodes_section6_theServerAnswersAForbiddenCodeWith1002InsteadOfEchoingIt() throws Exception {
        try (TestServer server = TestServer.start(Switchboard.builder().handler(new RelayProtocolHandler(new RecordingListener())).build())) {
            for (int code : FORBIDDEN) {
                try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                    assertThat(client.send(upgrade()).readHead().status()).isEqualTo(101);
                    // 08 00000002 <code>: CLOSE with a 2-byte code and no reason.
                    client.send(ByteBuffer.allocate(7).put(RelayFrames.CLOSE).putInt(2).putShort((short) code).array());

                    WireFrames.Frame close = WireFrames.read(client);
                    assertThat(close.type()).isEqualTo(RelayFrames.CLOSE);
                    assertThat(close.closeCode()).as("the answer to CLOSE %d", code).isEqualTo(CloseCode.PROTOCOL_ERROR);
                    assertThat(close.closeReason()).isEqualTo("invalid close code " + code);
                }
            }
        }
    }

    @Test
    void closeCodes_section4_theServerEchoesEveryAllowedCode() throws Exception {
        try (TestServer server = TestServer.start(Switchboard.builder().handler(new RelayProtocolHandler(new RecordingListener())).build())) {
            for (int code : ALLOWED) {
                try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
                    assertThat(client.send(upgrade()).readHead().status()).isEqualTo(101);
                    client.send(WireFrames.close(code, ""));

                    WireFrames.Frame close = WireFrames.read(client);
                    assertThat(close.closeCode()).as("the answer to CLOSE %d", code).isEqualTo(code);
                    assertThat(close.closeReason()).isEmpty();
                    assertThat(client.closedWithin(Duration.ofMillis(5000))).isTrue();
                }
            }
        }
    }

    @Test
    void closeCodes_section6_theClientAnswersAForbiddenCodeFromTheServerWith1002() throws Exception {
        for (int code : new int[] {1005, 1003, 4000, 4003}) {
            byte[] frame = ByteBuffer.allocate(7).put(RelayFrames.CLOSE).putInt(2).putShort((short) code).array();
            ClientSide client = clientAnswerTo(frame);
            assertThat(client.sent()).as("the client's answer to CLOSE %d", code)
                .isEqualTo(WireFrames.close(CloseCode.PROTOCOL_ERROR, "invalid close code " + code));
            assertThat(client.reported()).isEqualTo(CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void closeCodes_section4_theClientEchoesAnAllowedCodeFromTheServer() throws Exception {
        for (int code : new int[] {1001, 3000, 4001, 4002}) {
            ClientSide client = clientAnswerTo(WireFrames.close(code, "why"));
            assertThat(client.sent()).as("the client's answer to CLOSE %d", code).isEqualTo(WireFrames.close(code, ""));
            assertThat(client.reported()).isEqualTo(code);
        }
    }

    /** What the client sent back, and the close code it reported to its application. */
    private record ClientSide(byte[] sent, int reported) {
    }

    /** Connects a {@link RelayClient} to a scripted server that sends {@code frame} after its 101. */
    private static ClientSide clientAnswerTo(byte[] frame) throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = fake.accept()) {
                    socket.setSoTimeout(10_000);
                    int state = 0;
                    while (state < 4) {
                        int b = socket.getInputStream().read();
                        if (b < 0)
                            throw new AssertionError("no request");
                        state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(WireFrames.concat("HTTP/1.1 101 Switching Protocols\r\nUpgrade: relay/1\r\nConnection: Upgrade\r\n\r\n", frame));
                    out.flush();
                    // Everything the client sends until it closes the connection.
                    return socket.getInputStream().readAllBytes();
                } catch (java.io.IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            });
            int reported;
            try (RelayClient client = RelayClient.connect(URI.create("http://127.0.0.1:" + fake.getLocalPort() + "/"), new RecordingListener(), 1)) {
                reported = client.closed().get(10, TimeUnit.SECONDS);
            }
            return new ClientSide(answer.get(10, TimeUnit.SECONDS), reported);
        }
    }
}
