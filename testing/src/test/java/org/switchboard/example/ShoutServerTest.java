package org.switchboard.example;

// --- README snippet starts ---
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.UpgradeDispatcher;
import org.switchboard.UpgradeMetrics.Outcome;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.SwitchboardServerExtension;

class ShoutServerTest {

    @RegisterExtension   // static: one server for the class; an instance field: one per test
    static final SwitchboardServerExtension server = SwitchboardServerExtension.of(new ShoutProtocolHandler());

    @Test
    void sb6_aSwitchOverARealSocketIsCounted(URI uri, UpgradeDispatcher dispatcher) throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(uri)) {
            client.send("GET /any HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: shout/1\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(101);
            assertThat(client.send("hi").readText(2)).isEqualTo("HI");
        }
        assertThat(dispatcher.metrics().snapshot().count("shout", Outcome.UPGRADED)).isEqualTo(1);
    }
}
// --- README snippet ends ---
