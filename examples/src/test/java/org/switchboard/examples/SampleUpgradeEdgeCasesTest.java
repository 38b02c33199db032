package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.UpgradeDispatcher;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.SwitchResets;

/**
 * Upgrade edge cases from other servers' bug reports, replayed against the whole sample: every
 * protocol it serves, both switch paths (Switchboard's own 101 for relay and h2c, Jetty's for
 * WebSocket).
 */
class SampleUpgradeEdgeCasesTest {

    private static final String WEBSOCKET_HEADERS = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    private static final String H2C_SETTINGS = "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n";

    @RegisterExtension
    final RunningSample sample = new RunningSample();

    private static String upgrade(String path, String connection, String upgrade, String headers) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: " + connection + "\r\nUpgrade: " + upgrade + "\r\n"
            + headers + "\r\n";
    }

    @Test
    void U4_connectionCloseIsNeverSwitchedOnAnyProtocolAndTheConnectionCloses() throws Exception {
        String[][] cases = {
            // path, Upgrade, extra headers, the status the sample answers without switching
            {"/relay", "relay/1", "", "426"},
            {"/echo", "websocket", WEBSOCKET_HEADERS, "200"},
            {"/", "h2c", H2C_SETTINGS, "200"},
        };
        for (String[] c : cases) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(sample.port())) {
                RawResponse response = client.send(upgrade(c[0], "close, Upgrade, HTTP2-Settings", c[1], c[2])).readResponse();

                assertThat(response.status()).as(c[1]).isEqualTo(Integer.parseInt(c[3]));
                assertThat(response.header("Connection")).as(c[1]).containsIgnoringCase("close");
                assertThat(client.closedWithin(Duration.ofMillis(5_000))).as(c[1]).isTrue();
            }
        }
    }

    @Test
    void U4_every101OfTheSampleCarriesExactlyConnectionUpgrade() throws Exception {
        String[][] cases = {
            {"/relay", "relay/1", ""},
            {"/echo", "websocket", WEBSOCKET_HEADERS},
            {"/", "h2c", H2C_SETTINGS},
        };
        for (String[] c : cases) {
            try (RawUpgradeClient client = RawUpgradeClient.connect(sample.port())) {
                RawResponse head = client.send(upgrade(c[0], "keep-alive, Upgrade, HTTP2-Settings", c[1], c[2])).readHead();

                assertThat(head.status()).as(c[1]).isEqualTo(101);
                assertThat(head.header("Connection")).as(c[1]).isEqualTo("Upgrade");
            }
        }
    }

    @Test
    void U2_SB1_onEchoTheClientsOrderChoosesBetweenH2cAndWebSocket() throws Exception {
        String both = WEBSOCKET_HEADERS + H2C_SETTINGS;
        try (RawUpgradeClient client = RawUpgradeClient.connect(sample.port())) {
            RawResponse head = client.send(upgrade("/echo", "Upgrade, HTTP2-Settings", "h2c, websocket", both)).readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("h2c");
            // The GET is answered on stream 1 over HTTP/2, as it is over HTTP/1.1.
            client.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            client.send(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
            assertThat(streamOneData(client)).startsWith("This is a WebSocket echo");
        }
        try (RawUpgradeClient client = RawUpgradeClient.connect(sample.port())) {
            RawResponse head = client.send(upgrade("/echo", "Upgrade, HTTP2-Settings", "websocket, h2c", both)).readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("websocket");
            assertThat(head.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
    }

    /** Reads HTTP/2 frames until stream 1's DATA ends; returns that data as text. */
    private static String streamOneData(RawUpgradeClient client) throws IOException {
        DataInputStream in = new DataInputStream(client.input());
        StringBuilder data = new StringBuilder();
        while (true) {
            int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            if (type == 0 && stream == 1) {
                data.append(new String(payload, StandardCharsets.UTF_8));
                if ((flags & 1) != 0)
                    return data.toString();
            }
            if (type == 3 && stream == 1)
                throw new IOException("stream 1 reset");
        }
    }

    @Test
    void SB6_connectionsResetDuringTheSwitchLeaveNoOpenConnectionNoRoomMemberAndNobodyToSayGoodbyeTo() throws Exception {
        SwitchResets.run(sample.port(), upgrade("/relay", "Upgrade", "relay/1", "") + "\u0001", 300, 16, 1);
        SwitchResets.run(sample.port(), upgrade("/", "Upgrade, HTTP2-Settings", "h2c", H2C_SETTINGS), 300, 16, 2);
        SwitchResets.run(sample.port(), upgrade("/echo", "Upgrade", "websocket", WEBSOCKET_HEADERS), 300, 16, 3);
        SwitchResets.run(sample.port(), upgrade("/chat", "Upgrade", "websocket", WEBSOCKET_HEADERS + "Sec-WebSocket-Protocol: chat\r\n"), 300, 16, 4);

        UpgradeDispatcher dispatcher = (UpgradeDispatcher) sample.server().getHandler();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode health = health();
            for (String protocol : new String[] {"relay", "h2c", "websocket"})
                assertThat(health.path("protocols").path(protocol).path("open").asLong()).as(protocol).isZero();
            assertThat(health.path("roomMembers").size()).as("room members: " + health.path("roomMembers")).isZero();
            assertThat(dispatcher.upgradedConnections()).isZero();
        });
        assertThat(health().path("protocols").path("relay").path("upgrades").asLong()).isPositive();
        assertThat(dispatcher.shutdown()).isCompleted();
    }

    @Test
    void SB6_offersNobodySpeaksNeverBecomeMetricKeys() throws Exception {
        Random random = new Random(4);
        for (int i = 0; i < 3; i++) {
            String madeUp = "made-up-" + Long.toHexString(random.nextLong());
            try (RawUpgradeClient client = RawUpgradeClient.connect(sample.port())) {
                assertThat(client.send(upgrade("/", "Upgrade", madeUp, "")).readResponse().status()).isEqualTo(200);
                assertThat(client.send(upgrade("/relay", "Upgrade", madeUp, "")).readResponse().status()).isEqualTo(426);
            }
        }
        JsonNode protocols = health().path("protocols");
        protocols.fieldNames().forEachRemaining(name -> assertThat(name).isIn("relay", "h2c", "websocket", "time", "other", "none"));
        assertThat(protocols.path("other").path("fallbacks").asLong()).isEqualTo(3);
        assertThat(protocols.path("other").path("upgradeRequired").asLong()).isEqualTo(3);
    }

    private JsonNode health() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sample.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }
}
