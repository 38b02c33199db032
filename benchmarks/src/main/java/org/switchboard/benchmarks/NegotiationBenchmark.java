package org.switchboard.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.switchboard.Decision;
import org.switchboard.NegotiationOrder;
import org.switchboard.Negotiator;
import org.switchboard.ProtocolHandler;
import org.switchboard.UpgradeLimits;
import org.switchboard.UpgradeOffer;
import org.switchboard.UpgradePolicy;
import org.switchboard.UpgradeRequest;
import org.switchboard.Verdict;

/**
 * JMH microbenchmarks of the negotiation core: parsing a request's {@code Upgrade} and
 * {@code Connection} lines (U1, U6, SB5) and choosing a handler (SB1–SB4), with 1, 3 and 16 offers
 * carrying versions and optional whitespace. The winning offer is always the last one, so every
 * offer is walked; among the three handlers, h2c declines (as it does without {@code HTTP2-Settings})
 * and websocket accepts. Run with {@code benchmarks/run.sh jmh NegotiationBenchmark -prof gc} for
 * bytes allocated per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class NegotiationBenchmark {

    /** The {@code Upgrade} values, by offer count: the last offer is the one accepted. */
    static final String ONE = "websocket";
    static final String THREE = "relay/9 , h2c,\twebsocket/13";
    static final String SIXTEEN = "p1/1.0, p2/2 , p3,\tp4/4.1 , p5/5, p6 , p7/7, p8/8.0 ,p9, p10/10 , p11/1.1, p12 ,"
        + " p13/13, p14 , h2c, websocket/13";

    @Param({"1", "3", "16"})
    public int offers;

    HttpFields fields;
    UpgradeRequest parsed;
    Negotiator negotiator;
    final UpgradePolicy policy = UpgradePolicy.OPTIONAL_ANY;
    final UpgradeLimits limits = UpgradeLimits.DEFAULT;

    @Setup
    public void setUp() {
        String upgrade = switch (offers) {
            case 1 -> ONE;
            case 3 -> THREE;
            case 16 -> SIXTEEN;
            default -> throw new IllegalArgumentException("offers: 1, 3 or 16");
        };
        // A browser-like WebSocket request: parse must walk every field, not only the upgrade ones.
        fields = HttpFields.build()
            .add(HttpHeader.HOST, "chat.example.com")
            .add(HttpHeader.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
            .add(HttpHeader.ACCEPT, "*/*")
            .add(HttpHeader.CONNECTION, "keep-alive, Upgrade")
            .add(HttpHeader.UPGRADE, upgrade)
            .add(HttpHeader.SEC_WEBSOCKET_VERSION, "13")
            .add(HttpHeader.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
            .add(HttpHeader.ORIGIN, "https://chat.example.com")
            .asImmutable();
        negotiator = new Negotiator(List.of(
            new StubHandler("websocket", List.of("13"), Verdict.accept("websocket", context -> null)),
            new StubHandler("h2c", List.of(), Verdict.decline("no HTTP2-Settings")),
            new StubHandler("relay", List.of("2", "1"), Verdict.decline("not on this path"))),
            NegotiationOrder.CLIENT_PREFERENCE);
        parsed = UpgradeRequest.parse(fields, limits);
    }

    @Benchmark
    public UpgradeRequest parse() {
        return UpgradeRequest.parse(fields, limits);
    }

    @Benchmark
    public Decision decide() {
        return negotiator.decide(parsed, null, policy);
    }

    @Benchmark
    public Decision parseAndDecide() {
        return negotiator.decide(UpgradeRequest.parse(fields, limits), null, policy);
    }

    /** A handler whose answer is fixed, so that only the core's own work is measured. */
    record StubHandler(String protocol, List<String> versions, Verdict verdict) implements ProtocolHandler {
        @Override
        public Verdict negotiate(UpgradeOffer offer, Request request) {
            return verdict;
        }
    }
}
