package org.switchboard.h2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.Switchboard;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.TestServer;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;

/** The handler is found by ServiceLoader, bound with Guice, and its connection factory lands on the connector. */
class H2cRegistrationTest {

    @Test
    void serviceLoaderFindsTheH2cHandler() {
        Switchboard switchboard = Switchboard.builder().discoverHandlers().build();

        assertThat(switchboard.handlers()).singleElement().isInstanceOf(H2cProtocolHandler.class)
            .satisfies(h -> assertThat(((H2cProtocolHandler) h).config()).isEqualTo(H2cConfig.DEFAULT));
    }

    @Test
    void guiceBindsTheHandlerIntoASetOfProtocolHandlers() throws Exception {
        Injector injector = Guice.createInjector(binder -> {
            // Guice builds it with its no-argument constructor (H2cConfig.DEFAULT); bind an instance for another config.
            Multibinder.newSetBinder(binder, ProtocolHandler.class).addBinding().to(H2cProtocolHandler.class);
        });
        Set<ProtocolHandler> handlers = injector.getInstance(Key.get(new TypeLiteral<Set<ProtocolHandler>>() {
        }));
        Switchboard switchboard = Switchboard.builder().handlers(handlers).build();

        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(server.server().getConnectors()[0].getProtocols()).contains("h2c");
            Http2Wire wire = new Http2Wire(client);
            client.send("GET /guice HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\n\r\n");
            assertThat(client.readHead().status()).isEqualTo(101);
            wire.send(wire.preface());
            assertThat(wire.response(1).body()).isEqualTo("GET /guice HTTP/2.0 body=");
        }
    }

    @Test
    void eachCallGivesANewConnectionFactory() {
        H2cProtocolHandler handler = new H2cProtocolHandler();
        assertThat(handler.connectionFactories().get(0)).isNotSameAs(handler.connectionFactories().get(0));
    }

    @Test
    void invalidConfigIsRefusedEarly() {
        assertThatIllegalArgumentException().isThrownBy(() -> H2cConfig.DEFAULT.withMaxConcurrentStreams(0));
        assertThatIllegalArgumentException().isThrownBy(() -> H2cConfig.DEFAULT.withInitialStreamRecvWindow(1000));
    }
}
