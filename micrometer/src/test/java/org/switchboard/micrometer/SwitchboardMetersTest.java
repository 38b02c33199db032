package org.switchboard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.switchboard.testing.ThreadAllocations.bytesPerCall;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.Negotiation;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeMetrics.Outcome;
import org.switchboard.UpgradePolicy;
import org.switchboard.spi.Verdict;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawHttp;
import org.switchboard.testing.TestServer;

/**
 * SB6 in Micrometer: every outcome of real upgrade requests over sockets lands in the registry under
 * bounded tags, the open gauge follows the upgraded connection, each negotiation is timed, and the
 * snapshot the dispatcher's {@code metrics()} gives still counts.
 */
class SwitchboardMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SwitchboardMeters meters = SwitchboardMeters.bind(registry);
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(meters.installOn(Switchboard.builder())
            .handler(LineEchoProtocolHandler.accepting("echo"))
            .handler(LineEchoProtocolHandler.scripted("guarded", (offer, request) -> Verdict.reject(403, HttpFields.EMPTY, "origin not allowed")))
            .handler(LineEchoProtocolHandler.scripted("faulty", (offer, request) -> { throw new IllegalStateException("a broken handler"); }))
            .route("/required", UpgradePolicy.required("echo"))
            .build());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private double requests(String protocol, String outcome, String status) {
        return registry.get(SwitchboardMeters.REQUESTS).tags("protocol", protocol, "outcome", outcome, "status", status).counter().count();
    }

    @Test
    void SB6_everyOutcomeIsCountedByProtocolOutcomeAndStatus() throws Exception {
        assertThat(RawHttp.status(server.port(), "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: guarded, made-up\r\n\r\n")).isEqualTo(403);
        assertThat(RawHttp.status(server.port(), "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: made-up-by-a-client\r\n\r\n")).isEqualTo(200);
        assertThat(RawHttp.status(server.port(), "GET /required HTTP/1.1\r\nHost: t\r\n\r\n")).isEqualTo(426);
        assertThat(RawHttp.status(server.port(), "GET /required HTTP/1.1\r\nHost: t\r\n\r\n")).isEqualTo(426);
        assertThat(RawHttp.status(server.port(), "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: " + "x,".repeat(600) + "echo\r\n\r\n")).isEqualTo(400);
        assertThat(RawHttp.status(server.port(), "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: faulty\r\n\r\n")).isEqualTo(200);

        assertThat(requests("guarded", "rejected", "403")).isEqualTo(1);
        assertThat(requests("other", "fallback", "0")).isEqualTo(1);
        assertThat(requests("none", "upgrade_required", "426")).isEqualTo(2);
        assertThat(requests("faulty", "fallback", "0")).isEqualTo(1);
        assertThat(registry.get(SwitchboardMeters.HANDLER_FAULTS).tags("protocol", "faulty").counter().count()).isEqualTo(1);
        assertThat(registry.get(SwitchboardMeters.REQUESTS).tags("outcome", "bad_request", "status", "400").counter().count()).isEqualTo(1);

        Set<String> protocols = new TreeSet<>();
        for (Meter meter : registry.getMeters())
            protocols.add(meter.getId().getTag("protocol"));
        assertThat(protocols).as("never a name a client made up").isSubsetOf("echo", "guarded", "faulty", "none", "other");
    }

    @Test
    void SB6_theOpenGaugeFollowsAnUpgradedConnectionUntilItCloses() throws Exception {
        try (RawHttp client = RawHttp.connect(server.port())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n").readHead().status()).isEqualTo(101);
            assertThat(client.readText(12)).isEqualTo("echo body=0\n");

            assertThat(requests("echo", "upgraded", "101")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.get(SwitchboardMeters.OPEN_CONNECTIONS).tags("protocol", "echo").gauge().value() == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.get(SwitchboardMeters.OPEN_CONNECTIONS).tags("protocol", "echo").gauge().value() == 0);
        assertThat(meters.snapshot().open("echo")).isZero();
    }

    @Test
    void SB6_eachNegotiationIsTimedByProtocolAndOutcome() throws Exception {
        for (int i = 0; i < 3; i++)
            assertThat(RawHttp.status(server.port(), "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: guarded\r\n\r\n")).isEqualTo(403);

        var timer = registry.get(SwitchboardMeters.NEGOTIATION).tags("protocol", "guarded", "outcome", "rejected").timer();
        assertThat(timer.count()).isEqualTo(3);
        assertThat(timer.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void SB6_theSnapshotStillCountsForHealthPages() throws Exception {
        assertThat(server.dispatcher().metrics()).isSameAs(meters);
        assertThat(RawHttp.status(server.port(), "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: guarded\r\n\r\n")).isEqualTo(403);
        assertThat(RawHttp.status(server.port(), "GET /required HTTP/1.1\r\nHost: t\r\n\r\n")).isEqualTo(426);

        assertThat(meters.snapshot().count("guarded", Outcome.REJECTED)).isEqualTo(1);
        assertThat(meters.snapshot().rejections().get("guarded")).containsEntry(403, 1L);
        assertThat(meters.snapshot().count("none", Outcome.UPGRADE_REQUIRED)).isEqualTo(1);
    }

    @Test
    void countingARequestOfAnExistingSeriesAllocatesNothing() {
        Negotiation negotiation = new Negotiation("GET / HTTP/1.1", "echo", java.util.List.of(), Outcome.UPGRADED, "echo", 101, "101 echo", 1_000);
        assertThat(bytesPerCall(() -> meters.record("echo", Outcome.UPGRADED, 101))).isZero();
        assertThat(bytesPerCall(() -> meters.record("other", Outcome.FALLBACK, 0))).isZero();
        assertThat(bytesPerCall(() -> meters.negotiated(negotiation))).isZero();
        assertThat(bytesPerCall(() -> meters.opened("echo"))).isZero();
    }

    @Test
    void severalServersInOneRegistryAreToldApartByTheirTags() {
        SwitchboardMeters other = SwitchboardMeters.bind(registry, Tags.of("server", "admin"));
        other.opened("echo");
        meters.opened("echo");
        meters.opened("echo");

        assertThat(registry.get(SwitchboardMeters.OPEN_CONNECTIONS).tags("server", "admin").gauge().value()).isEqualTo(1);
        assertThat(registry.find(SwitchboardMeters.OPEN_CONNECTIONS).gauges()).extracting(g -> g.value()).containsExactlyInAnyOrder(1.0, 2.0);
    }
}
