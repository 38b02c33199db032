package org.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.websocket.HandshakeTest.handshake;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import org.junit.jupiter.api.Test;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.Switchboard;
import org.switchboard.guice.SwitchboardModule;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.TestServer;

/** The three ways to register the handler: ServiceLoader, Guice, and the builder (used everywhere else). */
class RegistrationTest {

    @Test
    void serviceLoaderFindsTheHandlerWithTheEndpointsJarsContribute() throws Exception {
        Switchboard switchboard = Switchboard.builder().discoverHandlers().build();

        assertThat(switchboard.handlers()).extracting(ProtocolHandler::protocol).contains("websocket");
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(handshake("/discovered")).readHead().status()).isEqualTo(101);
            assertThat(Frames.read(client.send(Frames.text("found"))).text()).isEqualTo("FOUND");
        }
    }

    @Test
    void anExplicitHandlerWinsOverTheDiscoveredOne() {
        WebSocketProtocolHandler mine = WebSocketProtocolHandler.builder().endpoint("/mine", (rq, rs, cb) -> new EchoEndpoint()).build();

        Switchboard switchboard = Switchboard.builder().handler(mine).discoverHandlers().build();

        assertThat(switchboard.handlers()).filteredOn(h -> h.protocol().equals("websocket")).containsExactly(mine);
    }

    @Test
    void guiceBindsTheHandlerLikeAnyOther() throws Exception {
        Switchboard switchboard = Guice.createInjector(new SwitchboardModule(), new AbstractModule() {
            @Override
            protected void configure() {
                SwitchboardModule.addHandler(binder()).toInstance(WebSocketProtocolHandler.builder()
                    .endpoint("/guice", (rq, rs, cb) -> new EchoEndpoint())
                    .build());
            }
        }).getInstance(Switchboard.class);

        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(handshake("/guice")).readHead().status()).isEqualTo(101);
            assertThat(Frames.read(client.send(Frames.text("bound"))).text()).isEqualTo("bound");
        }
    }

    @Test
    void twoEndpointsAtOnePathAreRefusedWhenBuilt() {
        WebSocketProtocolHandler.Builder builder = WebSocketProtocolHandler.builder()
            .endpoint("/same", (rq, rs, cb) -> new EchoEndpoint())
            .endpoint("/same", (rq, rs, cb) -> new ShoutEndpoint());

        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(builder::build).withMessageContaining("/same");
    }
}
