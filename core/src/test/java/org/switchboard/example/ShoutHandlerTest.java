package org.switchboard.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.RawHttp;
import org.switchboard.testing.TestServer;

/** README's "write your own protocol handler" example compiles, works, and is quoted verbatim. */
class ShoutHandlerTest {

    @Test
    void U4_U10_readmeExampleSwitchesAndAnswersPipelinedBytesUpperCased() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(new ShoutHandler()).build();
        try (TestServer server = TestServer.start(switchboard); RawHttp client = RawHttp.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: shout\r\n\r\nhello");

            RawHttp.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("Upgrade")).isEqualTo("shout/1");
            assertThat(client.readText(5)).isEqualTo("HELLO");
            assertThat(client.send("again").readText(5)).isEqualTo("AGAIN");
        }
    }

    @Test
    void readmeQuotesTheExampleVerbatim() throws Exception {
        String source = Files.readString(Path.of("src/test/java/org/switchboard/example/ShoutHandler.java"));
        String example = source.substring(source.indexOf("// README:begin\n") + "// README:begin\n".length(), source.indexOf("// README:end"));
        assertThat(Files.readString(Path.of("../README.md"))).contains(example);
    }
}
