package org.switchboard.h2c;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.RawHttp;
import org.switchboard.testing.TestServer;

/** Stopping the server says GOAWAY on upgraded h2c connections and lets the stream in flight finish. */
class H2cShutdownTest {

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
        try (RawHttp client = RawHttp.connect(server.port())) {
            Http2Wire wire = new Http2Wire(client.socket());
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
