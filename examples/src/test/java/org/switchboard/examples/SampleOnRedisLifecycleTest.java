package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.RedisServer;
import picocli.CommandLine;

/**
 * The sample with {@code --redis}: started and stopped twice in one JVM, it leaves no thread of
 * Lettuce's or of the room's reader behind; the flags choose the engine; a Redis that cannot be
 * reached at start is one line, not a stack trace.
 */
class SampleOnRedisLifecycleTest {

    @Test
    void startingAndStoppingTheSampleOnRedisTwiceLeavesNoThreadBehind() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            for (int round = 0; round < 2; round++) {
                Server server = SampleServer.start("127.0.0.1", 0, RoomOptions.DEFAULT.onRedis(redis.uri()).named("lifecycle"));
                int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
                HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                    .POST(HttpRequest.BodyPublishers.ofString("pat: round " + round)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(posted.statusCode()).isEqualTo(201);
                assertThat(roomThreads()).isNotEmpty();

                server.stop();

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!roomThreads().isEmpty() && System.nanoTime() < deadline)
                    Thread.sleep(50);
                assertThat(roomThreads()).as("threads left after stop, round " + round).isEmpty();
            }
        }
    }

    /** Threads of Lettuce (its Netty event loops, timers) and the room's reader. */
    private static List<String> roomThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter(name -> name.startsWith("lettuce-") || name.startsWith("room-reader-"))
            .toList();
    }

    @Test
    void theFlagsChooseTheRoom() {
        SampleServer defaults = new SampleServer();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.roomOptions()).isEqualTo(RoomOptions.DEFAULT);

        SampleServer onRedis = new SampleServer();
        new CommandLine(onRedis).parseArgs("--redis", "redis://127.0.0.1:7000", "--room", "hall", "--room-history", "50");
        assertThat(onRedis.roomOptions()).isEqualTo(new RoomOptions("redis://127.0.0.1:7000", "hall", 50, RoomOptions.DEFAULT.sessionTtl()));

        SampleServer badName = new SampleServer();
        new CommandLine(badName).parseArgs("--room", "no spaces");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(badName::roomOptions))
            .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("a room name is");
    }

    @Test
    void aRedisThatCannotBeReachedAtStartIsOneLineAndExitStatus1() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine line = new CommandLine(new SampleServer());
        line.setErr(new java.io.PrintWriter(err));

        int status = line.execute("--port", "0", "--redis", "redis://127.0.0.1:" + closedPort);

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).startsWith("switchboard-sample: cannot reach redis at redis://127.0.0.1:" + closedPort).hasLineCount(1);
        assertThat(roomThreads()).isEmpty();
    }
}
