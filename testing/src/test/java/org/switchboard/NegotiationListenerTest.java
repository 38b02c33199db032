package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.switchboard.spi.Verdict;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RequestSummaryHandler;
import org.switchboard.testing.TestServer;

/**
 * SB6: every outcome the metrics count reaches the listeners as a {@link Negotiation} — offers as
 * sent, each verdict, the answer — and {@link UpgradeDispatcher#dryRun} describes a request exactly
 * as the dispatcher then decides it, on a real server.
 */
class NegotiationListenerTest {

    private final List<Negotiation> heard = new CopyOnWriteArrayList<>();
    private final Map<String, Negotiation> dryRuns = new ConcurrentHashMap<>();
    private Server server;
    private UpgradeDispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        Switchboard switchboard = Switchboard.builder()
            .handler(LineEchoProtocolHandler.scripted("guarded", (offer, request) ->
                Verdict.reject(403, HttpFields.EMPTY, "origin not allowed")))
            .handler(LineEchoProtocolHandler.accepting("echo", "1"))
            .handler(LineEchoProtocolHandler.accepting("shout"))
            .route("/required", UpgradePolicy.required("echo", "shout"))
            .listener(heard::add)
            .listener(negotiation -> { throw new IllegalStateException("a listener's fault is ignored"); })
            .build();
        server = switchboard.newServer("127.0.0.1", 0, new RequestSummaryHandler());
        dispatcher = (UpgradeDispatcher) server.getHandler();
        // In front of the dispatcher: the dry run of the very request the dispatcher then handles.
        server.setHandler(new Handler.Wrapper(dispatcher) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                dryRuns.put(request.getHeaders().get("X-Case"), dispatcher.dryRun(request));
                return super.handle(request, response, callback);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private int port() {
        return ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    private RawResponse send(String requestLine, String headers) throws Exception {
        try (RawUpgradeClient client = RawUpgradeClient.connect(port())) {
            return client.send(requestLine + "\r\nHost: t\r\nX-Case: " + requestLine.hashCode() + headers.hashCode() + "\r\n" + headers + "\r\n")
                .readHead();
        }
    }

    @Test
    void SB6_aSwitchIsHeardWithTheOffersAsSentEachVerdictAndTheAnswer() throws Exception {
        assertThat(send("GET /room?x=1 HTTP/1.1", "Connection: Upgrade\r\nUpgrade: nope, echo/9 ,\r\nUpgrade: ECHO/1\r\n").status())
            .isEqualTo(101);

        assertThat(heard).hasSize(1);
        Negotiation n = heard.get(0);
        assertThat(n.requestLine()).isEqualTo("GET /room?x=1 HTTP/1.1");
        assertThat(n.upgrade()).isEqualTo("nope, echo/9 ,, ECHO/1");
        assertThat(n.steps()).extracting(Negotiation.Step::toString)
            .containsExactly("nope: no handler", "echo/9: version not spoken", "ECHO/1: accept");
        assertThat(n.outcome()).isEqualTo(UpgradeMetrics.Outcome.UPGRADED);
        assertThat(n.protocol()).isEqualTo("echo");
        assertThat(n.status()).isEqualTo(101);
        assertThat(n.answer()).as("the protocol as the handler accepted it").isEqualTo("101 ECHO/1");
        assertThat(n.durationNanos()).isNotNegative();
    }

    @Test
    void SB3_SB6_aRejectionIsHeardWithItsStatusAndReason() throws Exception {
        assertThat(send("GET / HTTP/1.1", "Connection: Upgrade\r\nUpgrade: guarded, nope\r\n").status()).isEqualTo(403);

        assertThat(heard).singleElement().satisfies(n -> {
            assertThat(n.outcome()).isEqualTo(UpgradeMetrics.Outcome.REJECTED);
            assertThat(n.protocol()).isEqualTo("guarded");
            assertThat(n.answer()).isEqualTo("403 origin not allowed");
            assertThat(n.steps()).extracting(Negotiation.Step::verdict).containsExactly("reject 403 origin not allowed", "no handler");
        });
    }

    @Test
    void SB6_aPlainRequestOnAnOptionalRouteIsNotANegotiation() throws Exception {
        assertThat(send("GET / HTTP/1.1", "").status()).isEqualTo(200);

        assertThat(heard).isEmpty();
        assertThat(dispatcher.metrics().snapshot().outcomes()).isEmpty();
    }

    /** Each case: a request line, then its header lines. */
    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1|Connection: Upgrade\r\nUpgrade: shout\r\n",
        "GET / HTTP/1.1|Connection: Upgrade\r\nUpgrade: nope, echo/2\r\n",
        "GET /required HTTP/1.1|Connection: Upgrade\r\nUpgrade: nope\r\n",
        "GET /required HTTP/1.1|",
        "GET /required HTTP/1.0|Connection: Upgrade\r\nUpgrade: echo\r\n",
        "GET / HTTP/1.1|Connection: close, Upgrade\r\nUpgrade: echo\r\n",
        "GET /required HTTP/1.1|Connection: close, Upgrade\r\nUpgrade: echo\r\n",
        "GET / HTTP/1.1|Connection: Upgrade\r\nUpgrade: guarded, shout\r\n",
        "GET / HTTP/1.1|Connection: Upgrade\r\nUpgrade: e\u00e7ho\r\n",
        "POST / HTTP/1.1|Connection: Upgrade\r\nUpgrade: echo\r\nContent-Length: 3\r\n\r\nabc",
    })
    void SB6_aDryRunDescribesTheRequestAsTheDispatcherDecidesIt(String spec) throws Exception {
        String[] parts = spec.split("\\|", 2);
        String headers = parts[1];
        String body = "";
        int end = headers.indexOf("\r\n\r\n");
        if (end >= 0) {
            body = headers.substring(end + 4);
            headers = headers.substring(0, end + 2);
        }
        String key = String.valueOf(parts[0].hashCode()) + headers.hashCode();
        int status;
        try (RawUpgradeClient client = RawUpgradeClient.connect(port())) {
            status = client.send(parts[0] + "\r\nHost: t\r\nX-Case: " + key + "\r\n" + headers + "\r\n" + body).readHead().status();
        }

        Negotiation dry = dryRuns.get(key);
        assertThat(dry).as("dry run of %s", spec).isNotNull();
        assertThat(dry.status() == 0 ? 200 : dry.status()).as("the status the dry run predicted").isEqualTo(status);
        assertThat(heard).as("what the listener heard").hasSizeLessThanOrEqualTo(1);
        if (!heard.isEmpty()) {
            Negotiation real = heard.get(0);
            assertThat(dry).usingRecursiveComparison().ignoringFields("durationNanos").isEqualTo(real);
        } else {
            assertThat(dry.outcome()).as("only a fallback goes unrecorded").isEqualTo(UpgradeMetrics.Outcome.FALLBACK);
        }
    }
}
