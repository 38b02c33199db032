package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.switchboard.ServerLimits;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import picocli.CommandLine;

/** The sample's flags for issue 13: items 2 (head deadline, connection caps, backlog), 9 (retained buffers) and 10 (allowed hosts). */
class SampleServerLimitsTest {

    private static String websocketUpgrade(String host, String origin) {
        return "GET /echo HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin
            + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    private static SampleServer parse(String... args) {
        SampleServer sample = new SampleServer();
        new CommandLine(sample).parseArgs(args);
        return sample;
    }

    @Test
    void issue13_item10_dnsRebindingToTheEchoWebSocketGets421NotA101() throws Exception {
        Server server = parse("--port", "0", "--allowed-host", "127.0.0.1", "--allowed-host", "localhost").startServer();
        try {
            int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
                // Host and Origin both the attacker's name: same-origin, so the origin policy alone would switch.
                RawResponse response = client.send(websocketUpgrade("evil.example:" + port, "http://evil.example:" + port)).readResponse();
                assertThat(response.status()).isEqualTo(421);
                assertThat(response.body()).contains("evil.example");
            }
            for (String host : new String[] {"127.0.0.1", "localhost"}) {
                try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
                    RawResponse head = client.send(websocketUpgrade(host + ":" + port, "http://" + host + ":" + port)).readHead();
                    assertThat(head.status()).as(host).isEqualTo(101);
                }
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void issue13_item10_withoutTheFlagAnyHostIsServed() throws Exception {
        Server server = parse("--port", "0").startServer();
        try (RawUpgradeClient client = RawUpgradeClient.connect(((ServerConnector) server.getConnectors()[0]).getLocalPort())) {
            assertThat(client.send("GET /health HTTP/1.1\r\nHost: anything.example\r\n\r\n").readResponse().status()).isEqualTo(200);
        } finally {
            server.stop();
        }
    }

    @Test
    void issue13_items2_and9_flagsSetTheLimitsOfTheServer() throws Exception {
        SampleServer sample = parse("--port", "0", "--head-timeout", "300ms", "--max-connections", "500",
            "--max-connections-per-address", "20", "--accept-queue", "2048", "--max-retained-buffer-mib", "8");

        assertThat(sample.serverLimits()).isEqualTo(new ServerLimits(Duration.ofMillis(300), 500, 20, 2048, 8L << 20, 8L << 20));
        Server server = sample.startServer();
        try {
            assertThat(((ServerConnector) server.getConnectors()[0]).getAcceptQueueSize()).isEqualTo(2048);
            assertThat(server.getByteBufferPool()).isInstanceOf(ArrayByteBufferPool.class);
            // The deadline in action on the sample: a head that never ends gets 408.
            try (RawUpgradeClient client = RawUpgradeClient.connect(((ServerConnector) server.getConnectors()[0]).getLocalPort())) {
                client.send("GET / HTTP/1.1\r\nHost: x\r\n");
                assertThat(client.readResponse().status()).isEqualTo(408);
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void issue13_item2_theSampleDefaultsBoundEveryClient() {
        assertThat(parse().serverLimits())
            .isEqualTo(ServerLimits.DEFAULT.withMaxConnectionsPerAddress(256));
    }
}
