package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.DefaultHandler;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.UpgradePolicy;

/** README's snippets, compiled and run: a relay chat room on a required route, and two clients in it. */
class ChatRoomTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    @Test
    void SB3_twoClientsChatThroughARequiredRelayRoute() throws Exception {
        // README:begin server
        Switchboard switchboard = Switchboard.builder()
            .handler(new RelayProtocolHandler(new ChatRoom()))
            .route("/chat", UpgradePolicy.required("relay"))
            .build();
        Server server = switchboard.newServer("127.0.0.1", 0, new DefaultHandler()); // any Jetty Handler: serves what is not upgraded
        server.start();
        // README:end server
        int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        try {
            RecordingListener bob = new RecordingListener();
            try (RelayClient bobClient = RelayClient.connect(URI.create("http://127.0.0.1:" + port + "/chat"), bob)) {
                RecordingListener alice = new RecordingListener();
                // Bob hears his own message once the room has him.
                bobClient.sendText("bob is here");
                assertThat(bob.next()).isEqualTo("bob is here");
                // README:begin client
                try (RelayClient client = RelayClient.connect(URI.create("http://127.0.0.1:" + port + "/chat"), alice)) {
                    client.sendText("hello, room");
                }
                // README:end client
                assertThat(bob.next()).isEqualTo("hello, room");
                assertThat(alice.awaitClose()).isEqualTo("1000 ");
            }
            assertThat(bob.awaitClose()).isEqualTo("1000 ");
        } finally {
            server.stop();
        }
    }

    /**
     * PROTOCOL.md "Limits" and "Close codes" (1009), issue 13 item 6: a member that announced a
     * smaller Relay-Max-Message-Size than a message the room has for it is closed with 1009 and a
     * reason — not left connected and deaf — while the sender and the others still get the message.
     */
    @Test
    void limits_aMemberThatAnnouncedASmallerMaximumIsClosedWith1009NotLeftDeaf() throws Exception {
        Server server = Switchboard.builder().handler(new RelayProtocolHandler(new ChatRoom())).build()
            .newServer("127.0.0.1", 0, new DefaultHandler());
        server.start();
        int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        URI uri = URI.create("http://127.0.0.1:" + port + "/chat");
        try {
            RecordingListener small = new RecordingListener();
            RecordingListener big = new RecordingListener();
            try (RelayClient smallClient = RelayClient.connectWithMaxMessageSize(uri, small, 125, 2);
                 RelayClient bigClient = RelayClient.connect(uri, big)) {
                // Both are in the room once each has heard its own short message.
                smallClient.sendText("small");
                assertThat(small.next()).isEqualTo("small");
                assertThat(big.next()).isEqualTo("small");
                bigClient.sendText("big");
                assertThat(small.next()).isEqualTo("big");
                assertThat(big.next()).isEqualTo("big");

                String longText = "x".repeat(200);
                bigClient.sendText(longText);

                assertThat(big.next()).isEqualTo(longText);
                assertThat(small.awaitClose()).isEqualTo("1009 a message of 200 bytes is over your maximum");
                assertThat(smallClient.closed().get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(CloseCode.TOO_BIG);
                assertThat(small.messages).isEmpty();
                bigClient.sendText("still here");
                assertThat(big.next()).isEqualTo("still here");
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void theReadmeShowsTheSnippetsAsCompiledHere() throws Exception {
        List<String> blocks = JAVA_BLOCK.matcher(Files.readString(Path.of("README.md"))).results().map(m -> m.group(1)).toList();
        String test = Files.readString(Path.of("src/test/java/org/switchboard/relay/ChatRoomTest.java"));
        String room = Files.readString(Path.of("src/test/java/org/switchboard/relay/ChatRoom.java"));
        assertThat(blocks).contains(snippet(room, "chat-room", ""), snippet(test, "server", "        "), snippet(test, "client", "                "));
    }

    /** The lines between {@code // README:begin name} and {@code // README:end name}, without their indentation. */
    private static String snippet(String source, String name, String indent) {
        String begin = "// README:begin " + name + "\n";
        int start = source.indexOf(begin) + begin.length();
        String lines = source.substring(start, source.lastIndexOf("\n", source.indexOf("// README:end " + name)) + 1);
        return lines.lines().map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line).map(line -> line + "\n").reduce("", String::concat);
    }
}
