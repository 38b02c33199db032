package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.TestServer;

/**
 * PROTOCOL.md's example session, replayed from the document itself against a real server over a
 * raw socket: every byte the server sends must be the one the document shows, so the
 * specification and the implementation cannot drift apart.
 */
class ProtocolExampleTest {

    /** One direction's bytes: what the client writes at once, or what the server must send. */
    private record Step(boolean client, byte[] bytes, boolean eof) {
    }

    @Test
    void U4_U10_SB4_theExampleSessionOfProtocolMdHappensByteForByte() throws Exception {
        List<Step> steps = exampleSession();
        assertThat(steps).hasSizeGreaterThan(10);

        Server server = Switchboard.builder().discoverHandlers().build().newServer("127.0.0.1", 0, new RequestSummaryHandler());
        HttpConfiguration http = server.getConnectors()[0].getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        server.start();
        try (RawUpgradeClient client = RawUpgradeClient.connect(((NetworkConnector) server.getConnectors()[0]).getLocalPort())) {
            for (Step step : steps) {
                if (step.client())
                    client.send(step.bytes());
                else if (step.eof())
                    assertThat(client.closedWithin(Duration.ofMillis(5000))).as("the server ends the stream").isTrue();
                else
                    assertThat(HexFormat.of().formatHex(client.readExactly(step.bytes().length)))
                        .as("server bytes: %s", new String(step.bytes(), StandardCharsets.ISO_8859_1))
                        .isEqualTo(HexFormat.of().formatHex(step.bytes()));
            }
        } finally {
            server.stop();
        }
    }

    /** Parses the {@code relay-session} block of PROTOCOL.md into steps, joining consecutive lines of one direction. */
    static List<Step> exampleSession() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("PROTOCOL.md"));
        int start = lines.indexOf("```relay-session");
        assertThat(start).as("PROTOCOL.md has a relay-session block").isNotNegative();
        List<Step> steps = new ArrayList<>();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        Boolean direction = null;
        for (String raw : lines.subList(start + 1, lines.size())) {
            if (raw.equals("```"))
                break;
            boolean client = raw.startsWith("C:");
            String content = raw.substring(2).trim();
            if (direction != null && direction != client && pending.size() > 0) {
                steps.add(new Step(direction, pending.toByteArray(), false));
                pending.reset();
            }
            direction = client;
            if (content.startsWith("EOF")) {
                if (pending.size() > 0)
                    steps.add(new Step(client, pending.toByteArray(), false));
                pending.reset();
                steps.add(new Step(false, new byte[0], true));
            } else if (content.startsWith("\"")) {
                String text = content.substring(1, content.lastIndexOf('"')).replace("\\r", "\r").replace("\\n", "\n");
                pending.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                int comment = content.indexOf('#');
                String hex = (comment < 0 ? content : content.substring(0, comment)).replace(" ", "");
                pending.writeBytes(HexFormat.of().parseHex(hex));
            }
        }
        if (pending.size() > 0)
            steps.add(new Step(direction, pending.toByteArray(), false));
        return steps;
    }
}
