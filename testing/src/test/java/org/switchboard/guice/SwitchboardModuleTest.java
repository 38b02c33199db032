package org.switchboard.guice;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import org.junit.jupiter.api.Test;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.Switchboard;
import org.switchboard.UpgradePolicy;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.TestServer;

class SwitchboardModuleTest {

    @Test
    void SB2_handlersBoundWithGuiceFromSeveralModulesServeUpgradesOnARealServer() throws Exception {
        Injector injector = Guice.createInjector(
            new SwitchboardModule(builder -> builder.route("/only-shout", UpgradePolicy.required("shout"))),
            new AbstractModule() {
                @Override
                protected void configure() {
                    SwitchboardModule.addHandler(binder()).toInstance(LineEchoProtocolHandler.accepting("echo"));
                }
            },
            new AbstractModule() {
                @Override
                protected void configure() {
                    SwitchboardModule.addHandler(binder()).toInstance(LineEchoProtocolHandler.accepting("shout"));
                }
            });
        Switchboard switchboard = injector.getInstance(Switchboard.class);

        assertThat(switchboard.handlers()).extracting(ProtocolHandler::protocol).containsExactly("echo", "shout");
        assertThat(injector.getInstance(Switchboard.class)).isSameAs(switchboard);
        try (TestServer server = TestServer.start(switchboard); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse head = client.send("GET /only-shout HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo, shout\r\n\r\n").readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("shout");
        }
    }

    @Test
    void aModuleWithNoHandlerBoundStillInjects() {
        Switchboard switchboard = Guice.createInjector(new SwitchboardModule()).getInstance(Switchboard.class);
        assertThat(switchboard.handlers()).isEmpty();
    }
}
