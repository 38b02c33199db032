package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.TestServer;
import org.switchboard.spi.Verdict;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.ProtocolHandler;

/**
 * Where handlers negotiate ({@link ProtocolHandler#getInvocationType()}). The dispatcher is as
 * non-blocking as its application, so Jetty may call it on a selector thread: a handler that may
 * block (the default, and WebSocket's: its creator is application code) must then be asked on a
 * worker thread, a non-blocking one (relay, h2c) where it is, without a thread hand-off.
 */
class HandlerThreadTest {

    /** A handler that declines every offer, noting whether it was asked inside the dispatcher's {@code handle}. */
    private static final class Probe implements ProtocolHandler {

        private final String protocol;
        private final InvocationType type;
        final AtomicReference<Boolean> insideHandle = new AtomicReference<>();

        Probe(String protocol, InvocationType type) {
            this.protocol = protocol;
            this.type = type;
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        public InvocationType getInvocationType() {
            return type;
        }

        @Override
        public Verdict negotiate(UpgradeOffer offer, Request request) {
            insideHandle.set(StackWalker.getInstance().walk(frames -> frames.anyMatch(frame ->
                frame.getClassName().equals(UpgradeDispatcher.class.getName()) && frame.getMethodName().equals("handle"))));
            return Verdict.decline("probe");
        }
    }

    private static Handler nonBlockingApplication() {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Response.writeError(request, response, callback, 200, "application");
                return true;
            }
        };
    }

    private static String upgrade(String protocol) {
        return "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: " + protocol + "\r\n\r\n";
    }

    /** Offers {@code protocol} to a server with {@code probes} in front of {@code application}; the answer must be the application's. */
    private static void offer(Handler application, String protocol, Probe... probes) throws Exception {
        Switchboard.Builder builder = Switchboard.builder();
        for (Probe probe : probes)
            builder.handler(probe);
        try (TestServer server = TestServer.start(builder.build(), application); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            assertThat(client.send(upgrade(protocol)).readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void aHandlerThatMayBlockIsAskedOnAWorkerThreadWhenJettyMayCallTheDispatcherOnASelector() throws Exception {
        Probe blocking = new Probe("slow", Invocable.InvocationType.BLOCKING);
        Probe quick = new Probe("quick", Invocable.InvocationType.NON_BLOCKING);

        offer(nonBlockingApplication(), "quick, slow", quick, blocking);

        assertThat(blocking.insideHandle.get()).isFalse();
        // Deciding on the same request on the worker thread, the non-blocking handler went along.
        assertThat(quick.insideHandle.get()).isFalse();
    }

    @Test
    void nonBlockingHandlersAreAskedInPlaceWithoutAThreadHandOff() throws Exception {
        Probe blocking = new Probe("slow", Invocable.InvocationType.BLOCKING);
        Probe quick = new Probe("quick", Invocable.InvocationType.NON_BLOCKING);

        offer(nonBlockingApplication(), "quick", quick, blocking);

        assertThat(quick.insideHandle.get()).isTrue();
        assertThat(blocking.insideHandle.get()).as("not offered, not asked").isNull();
    }

    @Test
    void underABlockingApplicationEveryHandlerIsAskedInPlace() throws Exception {
        // Jetty already calls a blocking dispatcher on a thread that may block: no second hand-off.
        Probe blocking = new Probe("slow", Invocable.InvocationType.BLOCKING);

        offer(new RequestSummaryHandler(), "slow", blocking);

        assertThat(blocking.insideHandle.get()).isTrue();
    }

    @Test
    void theDispatcherIsAsNonBlockingAsItsApplication() {
        Switchboard switchboard = Switchboard.builder().handler(new Probe("slow", Invocable.InvocationType.BLOCKING)).build();
        assertThat(switchboard.newServer("127.0.0.1", 0, nonBlockingApplication()).getInvocationType())
            .isEqualTo(Invocable.InvocationType.NON_BLOCKING);
        assertThat(switchboard.newServer("127.0.0.1", 0, new RequestSummaryHandler()).getInvocationType())
            .isEqualTo(Invocable.InvocationType.BLOCKING);
        // A handler that does not say otherwise may block, as any Jetty handler.
        assertThat(LineEchoProtocolHandler.accepting("line").getInvocationType()).isEqualTo(Invocable.InvocationType.BLOCKING);
    }
}
