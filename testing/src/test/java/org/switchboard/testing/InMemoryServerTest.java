package org.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeMetrics.Outcome;
import org.switchboard.UpgradePolicy;
import org.switchboard.spi.Verdict;

/** The in-memory harness: exact bytes in, the parsed response and the new protocol's bytes out, no socket. */
class InMemoryServerTest {

    private static final String UPGRADE = "GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n";

    @Test
    void u4_u10_theSwitchAndTheBytesPipelinedAfterTheRequestReachTheNewProtocol() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build();
        try (InMemoryServer server = InMemoryServer.start(switchboard);
             RawConnection connection = server.send(UPGRADE + "ping")) {
            RawResponse response = connection.readResponse();

            assertThat(response.status()).isEqualTo(101);
            assertThat(response.switched()).isTrue();
            assertThat(response.header("upgrade")).isEqualTo("echo");
            assertThat(response.header("Connection")).isEqualTo("Upgrade");
            assertThat(response.header("x-test-protocol")).isEqualTo("echo");
            assertThat(response.head()).startsWith("HTTP/1.1 101 ").endsWith("\r\n\r\n");
            assertThat(response.body()).isEmpty();
            assertThat(connection.readLine()).isEqualTo("echo body=0");
            assertThat(connection.readText(4)).isEqualTo("ping");

            connection.send("more bytes");
            assertThat(connection.readText(10)).isEqualTo("more bytes");
            assertThat(server.metrics().snapshot().count("echo", Outcome.UPGRADED)).isEqualTo(1);

            connection.shutdownOutput();
            assertThat(connection.closedWithin(Duration.ofSeconds(10))).as("the echo closes when the client does").isTrue();
        }
    }

    @Test
    void u10_aRequestBodyIsReadBeforeTheSwitch() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build();
        try (InMemoryServer server = InMemoryServer.start(switchboard);
             RawConnection connection = server.send("POST / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n"
                 + "Content-Length: 5\r\n\r\nhello" + "after")) {
            assertThat(connection.readResponse().status()).isEqualTo(101);
            assertThat(connection.readLine()).isEqualTo("echo body=5");
            assertThat(connection.readText(5)).isEqualTo("after");
        }
    }

    @Test
    void u9_anInterimResponseIsReadOnItsOwn() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build();
        try (InMemoryServer server = InMemoryServer.start(switchboard);
             RawConnection connection = server.send("POST / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n"
                 + "Expect: 100-continue\r\nContent-Length: 3\r\n\r\n")) {
            assertThat(connection.readResponse().status()).isEqualTo(100);
            connection.send("abc");
            assertThat(connection.readResponse().status()).isEqualTo(101);
            assertThat(connection.readLine()).isEqualTo("echo body=3");
        }
    }

    @Test
    void u7_withNoAcceptingHandlerTheApplicationAnswers() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build();
        try (InMemoryServer server = InMemoryServer.start(switchboard);
             RawConnection connection = server.send("GET /x HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: other\r\n\r\n")) {
            RawResponse response = connection.readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("GET /x HTTP/1.1 body=");
            assertThat(connection.quietFor(Duration.ofMillis(50))).as("keep-alive: nothing more, no close").isTrue();
        }
    }

    @Test
    void u8_aRequiredRouteAnswers426() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .route("/chat", UpgradePolicy.required("echo"))
            .build();
        try (InMemoryServer server = InMemoryServer.start(switchboard);
             RawConnection connection = server.send("GET /chat HTTP/1.1\r\nHost: x\r\n\r\n")) {
            RawResponse response = connection.readResponse();

            assertThat(response.status()).isEqualTo(426);
            assertThat(response.header("Upgrade")).isEqualTo("echo");
            assertThat(response.bodyText()).contains("echo");
        }
    }

    @Test
    void sb2_aRejectionReachesTheClientWithItsReason() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.scripted("echo", (offer, request) -> Verdict.reject(403, "not from here")))
            .build();
        try (InMemoryServer server = InMemoryServer.start(switchboard);
             RawConnection connection = server.send(UPGRADE)) {
            RawResponse response = connection.readResponse();

            assertThat(response.status()).isEqualTo(403);
            assertThat(response.bodyText()).contains("not from here");
        }
    }

    @Test
    void repeatedHeaderLinesAreKeptInOrder() throws Exception {
        Handler twoCookies = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
                response.write(true, java.nio.ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        };
        try (InMemoryServer server = InMemoryServer.start(Switchboard.builder().build(), twoCookies);
             RawConnection connection = server.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")) {
            RawResponse response = connection.readResponse();

            assertThat(response.headers("set-cookie")).containsExactly("a=1", "b=2");
            assertThat(response.header("Set-Cookie")).isEqualTo("a=1, b=2");
            assertThat(response.head()).contains("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n");
            assertThat(response.bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTurn() throws Exception {
        try (InMemoryServer server = InMemoryServer.start(Switchboard.builder().build());
             RawConnection connection = server.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
            assertThat(connection.readResponse().bodyText()).isEqualTo("GET /1 HTTP/1.1 body=");
            assertThat(connection.readResponse().bodyText()).isEqualTo("GET /2 HTTP/1.1 body=");
            assertThat(connection.closedWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aReadThatGetsNothingFailsWithWhatItWaitedFor() throws Exception {
        Switchboard switchboard = Switchboard.builder().handler(LineEchoProtocolHandler.accepting("echo")).build();
        try (InMemoryServer server = InMemoryServer.start(switchboard, new RequestSummaryHandler(),
                ReadLimits.DEFAULT.withTimeout(Duration.ofMillis(200)));
             RawConnection connection = server.send(UPGRADE)) {
            connection.readResponse();
            connection.readLine();

            assertThatThrownBy(() -> connection.readExactly(3))
                .isInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("no run of 3 bytes within 200 ms on the in-memory connection: nothing received");
        }
    }

    @Test
    void aHalfReadResponseFailsWithWhatArrived() throws Exception {
        try (InMemoryServer server = InMemoryServer.start(Switchboard.builder().build(), new RequestSummaryHandler(),
                ReadLimits.DEFAULT.withTimeout(Duration.ofMillis(200)));
             RawConnection connection = server.send("GET / HTTP/1.1\r\nHost: x\r\n")) {
            // The request is not complete, so no response comes.
            assertThatThrownBy(connection::readResponse)
                .isInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("no whole response within 200 ms");
        }
    }
}
