package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.TestServer;
import org.switchboard.spi.Verdict;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.ProtocolHandler;

/** The bootstrap: what {@link Switchboard#install} does to a server the user owns. */
class SwitchboardInstallTest {

    /** A protocol that needs a connection factory of its own on the connector, as h2c does. */
    private static ProtocolHandler needingAFactory() {
        return new ProtocolHandler() {
            @Override
            public String protocol() {
                return "needy";
            }

            @Override
            public Verdict negotiate(UpgradeOffer offer, org.eclipse.jetty.server.Request request) {
                return Verdict.decline("test");
            }

            @Override
            public List<ConnectionFactory> connectionFactories() {
                return List.of(new AbstractConnectionFactory("needy") {
                    @Override
                    public Connection newConnection(Connector connector, EndPoint endPoint) {
                        throw new UnsupportedOperationException();
                    }
                });
            }
        };
    }

    @Test
    void H4_handlerConnectionFactoriesGoOnCleartextConnectorsOnly() {
        Server server = new Server();
        ServerConnector cleartext = new ServerConnector(server, new HttpConnectionFactory());
        ServerConnector tls = new ServerConnector(server, new SslConnectionFactory(new SslContextFactory.Server(), "http/1.1"), new HttpConnectionFactory());
        server.addConnector(cleartext);
        server.addConnector(tls);
        server.setHandler(new ContextHandler());

        UpgradeDispatcher dispatcher = Switchboard.builder().handler(needingAFactory()).build().install(server);

        assertThat(cleartext.getConnectionFactory("needy")).isNotNull();
        assertThat(tls.getConnectionFactory("needy")).isNull();
        assertThat(server.getHandler()).isSameAs(dispatcher);
        assertThat(dispatcher.getHandler()).isInstanceOf(ContextHandler.class);
    }

    @Test
    void installingIntoAStartedServerIsRefused() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build();
        try (TestServer server = TestServer.start(switchboard)) {
            assertThatThrownBy(() -> switchboard.install(server.server())).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void twoHandlersForOneProtocolAreRefused() {
        assertThatThrownBy(() -> Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).handler(LineEchoProtocolHandler.accepting("ECHO")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
    }
}
