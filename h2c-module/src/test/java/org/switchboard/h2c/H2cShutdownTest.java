package org.switchboard.h2c;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.TestServer;

/** Stopping the server says GOAWAY on upgraded h2c connections and lets the stream in flight finish. */
class H2cShutdownTest {

    /**
     * Holds every response until released, then answers with the protocol it saw. Asynchronous: a
     * handler blocking stream 1 of an upgrade would run before the dispatcher tracks the connection.
     */
    private static Handler held(Semaphore entered, CompletableFuture<Void> release) {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                entered.release();
                release.thenRun(() -> Content.Sink.write(response, true, "finished " + request.getConnectionMetaData().getProtocol(), callback));
                return true;
            }
        };
    }

    private static GoAwayFrame nextGoAway(Http2Wire wire) throws Exception {
        Frame frame;
        do {
            frame = wire.next();
        } while (!(frame instanceof GoAwayFrame));
        return (GoAwayFrame) frame;
    }

    private static GoAwayFrame lastGoAway(Http2Wire wire) {
        return wire.frames().stream().filter(GoAwayFrame.class::isInstance).map(GoAwayFrame.class::cast)
            .reduce((first, second) -> second).orElseThrow();
    }

    @Test
    @DisplayName("H2, issue 13 item 3: h2c's goodbye is the session's graceful shutdown: GOAWAY 2^31-1, streams in flight finish, GOAWAY with the last stream id, and it completes once the connection is closed")
    void H2_goodbyeIsTheGracefulShutdownAndCompletesWhenTheConnectionCloses() throws Exception {
        Semaphore entered = new Semaphore(0);
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (TestServer server = TestServer.start(Switchboard.builder().handler(new H2cProtocolHandler()).build(), held(entered, release));
             RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            client.send("GET /slow HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\n\r\n");
            assertThat(client.readHead().status()).isEqualTo(101);
            wire.send(wire.preface());
            assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();

            // Stream 1 is served while Jetty opens the connection, just before the dispatcher tracks it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.dispatcher().upgradedConnections() == 0 && System.nanoTime() < deadline)
                Thread.sleep(10);
            assertThat(server.dispatcher().upgradedConnections()).isEqualTo(1);
            // The dispatcher's goodbye alone: no server stop, no other Graceful component.
            CompletableFuture<Void> goodbye = server.dispatcher().shutdown();

            GoAwayFrame first = nextGoAway(wire);
            assertThat(first.getError()).isZero();
            assertThat(first.getLastStreamId()).as("RFC 9113 §6.8: a graceful shutdown first announces 2^31-1").isEqualTo(Integer.MAX_VALUE);
            // A request the client sent before that GOAWAY reached it is still served.
            wire.send(wire.get(3, server.port(), "/late"));
            assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).as("stream 3 reached the application").isTrue();
            assertThat(goodbye).as("streams are open").isNotDone();

            release.complete(null);
            assertThat(wire.response(1).body()).isEqualTo("finished HTTP/2.0");
            assertThat(wire.response(3).body()).isEqualTo("finished HTTP/2.0");
            GoAwayFrame last = lastGoAway(wire) == first ? nextGoAway(wire) : lastGoAway(wire);
            assertThat(last.getError()).isZero();
            assertThat(last.getLastStreamId()).isEqualTo(3);
            assertThat(wire.frames()).noneMatch(frame -> frame instanceof ResetFrame);

            // The client answers the final GOAWAY with its own; the session closes and the goodbye completes.
            wire.send(wire.encode(new GoAwayFrame(0, 0, null)));
            goodbye.get(10, TimeUnit.SECONDS);
            assertThat(client.closedWithin(Duration.ofMillis(10_000))).isTrue();
        } finally {
            release.complete(null);
        }
    }

    @Test
    @DisplayName("H2, issue 13 item 3: a prior-knowledge HTTP/2 connection, which Jetty opens without the dispatcher, gets the same graceful goodbye at a server stop")
    void H2_priorKnowledgeConnectionsGetTheGracefulGoodbyeAtStop() throws Exception {
        Semaphore entered = new Semaphore(0);
        CompletableFuture<Void> release = new CompletableFuture<>();
        TestServer server = TestServer.start(Switchboard.builder().handler(new H2cProtocolHandler()).build(), held(entered, release));
        server.server().setStopTimeout(10_000);
        int port = server.port();
        CompletableFuture<Void> stopped = null;
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            wire.send(wire.preface());
            wire.send(wire.get(1, port, "/slow"));
            assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();

            stopped = CompletableFuture.runAsync(() -> {
                try {
                    server.close();
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });
            GoAwayFrame first = nextGoAway(wire);
            assertThat(first.getError()).isZero();
            assertThat(first.getLastStreamId()).isEqualTo(Integer.MAX_VALUE);
            wire.send(wire.get(3, port, "/late"));
            assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).as("stream 3 reached the application").isTrue();

            release.complete(null);
            assertThat(wire.response(1).body()).isEqualTo("finished HTTP/2.0");
            assertThat(wire.response(3).body()).isEqualTo("finished HTTP/2.0");
            GoAwayFrame last = lastGoAway(wire) == first ? nextGoAway(wire) : lastGoAway(wire);
            assertThat(last.getError()).isZero();
            assertThat(last.getLastStreamId()).isEqualTo(3);
            wire.send(wire.encode(new GoAwayFrame(0, 0, null)));
            stopped.get(15, TimeUnit.SECONDS);
        } finally {
            release.complete(null);
            if (stopped == null)
                server.close();
        }
    }

    @Test
    void gracefulStopSendsGoAwayWithoutErrorAndFinishesStreamOne() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Handler slow = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                entered.countDown();
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                Content.Sink.write(response, true, "finished " + request.getConnectionMetaData().getProtocol(), callback);
                return true;
            }
        };
        TestServer server = TestServer.start(Switchboard.builder().handler(new H2cProtocolHandler()).build(), slow);
        server.server().setStopTimeout(10_000);
        CompletableFuture<Void> stopped = null;
        try (RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client);
            client.send("GET /slow HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\n\r\n");
            assertThat(client.readHead().status()).isEqualTo(101);
            wire.send(wire.preface());
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            stopped = CompletableFuture.runAsync(() -> {
                try {
                    server.close();
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });
            Frame frame;
            do {
                frame = wire.next();
            } while (!(frame instanceof GoAwayFrame));
            assertThat(((GoAwayFrame) frame).getError()).isZero();

            release.countDown();
            assertThat(wire.response(1).body()).isEqualTo("finished HTTP/2.0");
            stopped.get(15, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            if (stopped == null)
                server.close();
        }
    }
}
