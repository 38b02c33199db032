package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.example.ShoutProvider;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.TestServer;
import org.switchboard.spi.ProtocolHandlerProvider;
import org.switchboard.spi.ProtocolHandler;

/** ServiceLoader discovery: a provider on the class path adds a protocol with no code (SB2). */
class DiscoveryTest {

    @TempDir
    Path plugin;

    private ClassLoader pluginOnClassPath() throws Exception {
        Path services = plugin.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ProtocolHandlerProvider.class.getName()), "# a plugin jar's registration\n" + ShoutProvider.class.getName() + "\n");
        return new URLClassLoader(new URL[]{plugin.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void SB2_aProviderFoundByServiceLoaderServesUpgradesOnARealServer() throws Exception {
        Switchboard switchboard = Switchboard.builder().discoverHandlers(pluginOnClassPath()).build();

        assertThat(switchboard.handlers()).extracting(ProtocolHandler::protocol).containsExactly("shout");
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: shout/1\r\n\r\n");
            assertThat(client.readHead().header("Upgrade")).isEqualTo("shout/1");
            assertThat(client.send("quiet").readText(5)).isEqualTo("QUIET");
        }
    }

    @Test
    void anExplicitlyRegisteredHandlerWinsOverADiscoveredOneForTheSameProtocol() throws Exception {
        LineEchoProtocolHandler explicit = LineEchoProtocolHandler.accepting("shout", "1");
        Switchboard switchboard = Switchboard.builder().handler(explicit).discoverHandlers(pluginOnClassPath()).build();

        assertThat(switchboard.handlers()).containsExactly(explicit);
    }

    @Test
    void withNoProviderOnTheClassPathNothingIsDiscovered() {
        assertThat(Switchboard.builder().discoverHandlers().build().handlers()).isEmpty();
    }
}
