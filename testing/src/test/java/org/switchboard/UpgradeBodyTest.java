package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.TestServer;

/**
 * U10 at its edges, issue 13 items 1 and 5: an upgrade request's body is buffered only up to
 * {@link UpgradeLimits#maxBodyBytes()}, whatever its framing; one declared over the limit goes to the
 * application unread; one that stops arriving gets 408, not 500. Each test gives the connector a short
 * idle timeout, so a body that would wait for it fails fast.
 */
class UpgradeBodyTest {

    private static final int IDLE_TIMEOUT_MS = 500;

    private static Switchboard echo() {
        return Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build();
    }

    /** An application that, as real ones do, refuses a body over {@code max} bytes at once, without reading it. */
    private static Handler refusingBodiesOver(int max) {
        return new Handler.Wrapper(new RequestSummaryHandler()) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
                if (request.getLength() <= max && !chunked)
                    return super.handle(request, response, callback);
                response.setStatus(413);
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                Content.Sink.write(response, true, "too large: " + request.getLength() + "\n", callback);
                return true;
            }
        };
    }

    private static TestServer start(Switchboard switchboard, Handler application) throws Exception {
        TestServer server = TestServer.start(switchboard, application);
        ((ServerConnector) server.server().getConnectors()[0]).setIdleTimeout(IDLE_TIMEOUT_MS);
        return server;
    }

    private static String upgradePost(String framing) {
        return "POST /upload HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\n" + framing + "\r\n\r\n";
    }

    @Test
    void U10_aBodyDeclaredOverTheLimitGoesToTheApplicationAtOnceUnread() throws Exception {
        Switchboard switchboard = echo();
        try (TestServer server = start(switchboard, refusingBodiesOver(16 * 1024)); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            // 1 GiB declared, 10 KiB sent, then nothing: within the 64 KiB upgrade limit, so the old
            // dispatcher waited for the rest until the idle timeout (500).
            client.send(upgradePost("Content-Length: " + (1L << 30)) + "x".repeat(10 * 1024));
            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).isEqualTo("too large: " + (1L << 30) + "\n");
            assertThat(client.closedWithin(Duration.ofMillis(10_000))).isTrue();
        }
        // The accept counted as a decline (it could not have been upgraded): a fallback, no 101.
        assertThat(switchboard.metrics().snapshot().count("echo", UpgradeMetrics.Outcome.FALLBACK)).isEqualTo(1);
        assertThat(switchboard.metrics().snapshot().count("echo", UpgradeMetrics.Outcome.UPGRADED)).isZero();
    }

    @Test
    void U10_aBodyDeclaredOverTheLimitWithExpectContinueIsLeftToTheApplication() throws Exception {
        try (TestServer server = start(echo(), refusingBodiesOver(16 * 1024)); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(upgradePost("Content-Length: 100000\r\nExpect: 100-continue")).readResponse();

            // No 100 Continue: the application refused before asking for the body.
            assertThat(response.status()).isEqualTo(413);
        }
    }

    @Test
    void U10_aStalledUpgradeBodyWithinTheLimitGets408AndTheConnectionCloses() throws Exception {
        Switchboard switchboard = echo();
        try (TestServer server = start(switchboard, new RequestSummaryHandler()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(upgradePost("Content-Length: 100") + "only ten b").readResponse();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("Connection")).containsIgnoringCase("close");
            assertThat(response.body()).contains("stopped arriving").hasLineCount(1);
            assertThat(client.closedWithin(Duration.ofMillis(10_000))).isTrue();
        }
        assertThat(switchboard.metrics().snapshot().count("echo", UpgradeMetrics.Outcome.BAD_REQUEST)).isEqualTo(1);
    }

    @Test
    void U10_aStalledChunkedUpgradeBodyGets408AndTheConnectionCloses() throws Exception {
        try (TestServer server = start(echo(), new RequestSummaryHandler()); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            RawResponse response = client.send(upgradePost("Transfer-Encoding: chunked") + "5\r\nhello\r\n").readResponse();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).hasLineCount(1);
            assertThat(client.closedWithin(Duration.ofMillis(10_000))).isTrue();
        }
    }

    @Test
    void U10_anEndlessChunkedUpgradeBodyIsBufferedOnlyToTheLimitThenTheApplicationAnswers() throws Exception {
        long bound = 64L * 1024 * 1024;   // more than loopback buffers hold: the writer must fail once the server closes
        try (TestServer server = start(echo(), refusingBodiesOver(16 * 1024)); RawUpgradeClient client = RawUpgradeClient.connect(server.port())) {
            CompletableFuture<Long> sent = client.sendEndlessChunks(upgradePost("Transfer-Encoding: chunked"), bound);

            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(client.closedWithin(Duration.ofMillis(10_000))).isTrue();
            assertThat(sent.get(30, TimeUnit.SECONDS)).isLessThan(bound);
        }
    }
}
