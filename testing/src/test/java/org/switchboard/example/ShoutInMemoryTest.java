package org.switchboard.example;

// --- README snippet starts ---
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.InMemoryServer;
import org.switchboard.testing.RawConnection;
import org.switchboard.testing.RawResponse;

class ShoutInMemoryTest {

    @Test
    void u10_bytesSentWithTheRequestReachShout() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(new ShoutProtocolHandler()).build();
        try (InMemoryServer server = InMemoryServer.start(switchboard);
             RawConnection connection = server.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: shout\r\n\r\nhello")) {
            RawResponse response = connection.readResponse();     // the 101's head: what follows is shout's
            assertThat(response.status()).isEqualTo(101);
            assertThat(response.header("Upgrade")).isEqualTo("shout/1");
            assertThat(connection.readText(5)).isEqualTo("HELLO");  // sent in the request's write (U10)

            assertThat(connection.send("again").readText(5)).isEqualTo("AGAIN");
            connection.shutdownOutput();                            // shout closes when the client does
            assertThat(connection.closedWithin(Duration.ofSeconds(10))).isTrue();
        }
    }
}
// --- README snippet ends ---
