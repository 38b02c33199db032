package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.TcpProxy;
import picocli.CommandLine;

/** relay-cli against the running sample: what you type reaches the room, what the room says is printed. */
class RelayCliTest {

    @Test
    void SB4_relayCliChatsInTheRoomAndLeavesOnEndOfInput() throws Exception {
        Server server = SampleServer.start("127.0.0.1", 0);
        int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        try {
            PipedOutputStream typing = new PipedOutputStream();
            PipedInputStream keyboard = new PipedInputStream(typing);
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
                new CommandLine(new RelayCli(keyboard, terminal)).execute("http://127.0.0.1:" + port + "/relay", "--name", "bob"));

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> screen.toString(StandardCharsets.UTF_8).contains("* connected"));
            assertThat(screen.toString(StandardCharsets.UTF_8)).contains("over relay/2 as bob");

            typing.write("hi from the terminal\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> screen.toString(StandardCharsets.UTF_8).contains("bob: hi from the terminal"));

            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("ann: hello bob")).build(), HttpResponse.BodyHandlers.discarding());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> screen.toString(StandardCharsets.UTF_8).contains("ann: hello bob"));

            typing.close();
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(screen.toString(StandardCharsets.UTF_8)).contains("* closed 1000");
        } finally {
            server.stop();
        }
    }

    @Test
    void relayCliExitsAtOnceWithTheCloseCodeWhenTheServerGoesAwayWhileInputIsStillOpen() throws Exception {
        Server server = SampleServer.start("127.0.0.1", 0);
        int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        try (PipedOutputStream typing = new PipedOutputStream()) {
            PipedInputStream keyboard = new PipedInputStream(typing);     // never written to, never closed
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
                new CommandLine(new RelayCli(keyboard, terminal)).execute("http://127.0.0.1:" + port + "/relay", "--name", "bob"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> screen.toString(StandardCharsets.UTF_8).contains("* connected"));

            server.stop();                                                // graceful: every relay session gets CLOSE 1001

            assertThat(exit.get(5, TimeUnit.SECONDS)).as("exit status after 1001").isEqualTo(1);
            assertThat(screen.toString(StandardCharsets.UTF_8)).contains("* closed 1001");
        } finally {
            server.stop();
        }
    }

    @Test
    void relayCliWithResumeCarriesOnAfterItsConnectionIsCut() throws Exception {
        Server server = SampleServer.start("127.0.0.1", 0);
        int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        try (TcpProxy proxy = TcpProxy.start(port); PipedOutputStream typing = new PipedOutputStream()) {
            PipedInputStream keyboard = new PipedInputStream(typing);
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(new RelayCli(keyboard, terminal))
                .execute(proxy.uri("relay", "/relay").toString(), "--name", "bob", "--resume"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> screen.toString(StandardCharsets.UTF_8).contains("* connected"));
            typing.write("before the cut\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> screen.toString(StandardCharsets.UTF_8).contains("bob: before the cut"));

            proxy.cut();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> screen.toString(StandardCharsets.UTF_8).contains("* reconnected"));
            typing.write("after the cut\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> screen.toString(StandardCharsets.UTF_8).contains("bob: after the cut"));
            typing.close();

            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            String shown = screen.toString(StandardCharsets.UTF_8);
            assertThat(shown).contains("* reconnected: session resumed").contains("* closed 1000");
            assertThat(shown.split("bob: before the cut", -1)).as("heard once").hasSize(2);
        } finally {
            server.stop();
        }
    }

    @Test
    void theHelpDocumentsTheExitStatus() {
        String help = new CommandLine(new RelayCli()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(help).contains("Exit status:").contains("0   the session ended normally (close code 1000)").contains("1001 server going away");
    }

    @Test
    void U8_aRefusedUpgradeIsReportedWithItsStatus() throws Exception {
        Server server = SampleServer.start("127.0.0.1", 0);
        int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        try {
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            int exit = new CommandLine(new RelayCli(new java.io.ByteArrayInputStream(new byte[0]), new PrintStream(screen, true, StandardCharsets.UTF_8)))
                .execute("http://127.0.0.1:" + port + "/chat");

            assertThat(exit).isEqualTo(1);
            assertThat(screen.toString(StandardCharsets.UTF_8)).contains("refused").contains("426");
        } finally {
            server.stop();
        }
    }
}
