package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.UpgradePolicy;
import org.switchboard.testing.TestServer;

/** README's snippets, compiled and run: a relay chat room on a required route, and two clients in it. */
class ChatRoomTest {

    @Test
    void SB3_twoClientsChatThroughARequiredRelayRoute() throws Exception {
        // README:begin server
        Switchboard switchboard = Switchboard.builder()
            .handler(new RelayHandler(new ChatRoom()))
            .route("/chat", UpgradePolicy.required("relay"))
            .build();
        Server server = switchboard.newServer("127.0.0.1", 0, TestServer.application());
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
}
