package org.switchboard.benchmarks;

import java.util.List;
import java.util.Set;
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
import org.openjdk.jmh.infra.Blackhole;
import org.switchboard.internal.Decision;
import org.switchboard.NegotiationOrder;
import org.switchboard.internal.Negotiator;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.UpgradeLimits;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.UpgradePolicy;
import org.switchboard.internal.UpgradeHeaderParser;
import org.switchboard.spi.Verdict;
import org.switchboard.spi.UpgradeHeaders;

/**
 * JMH microbenchmarks of the negotiation core: parsing a request's {@code Upgrade} and
 * {@code Connection} lines (U1, U6, SB5) and choosing a handler (SB1–SB4), with 1, 3 and 16 offers
 * carrying versions and optional whitespace. The winning offer is always the last one, so every
 * offer is walked; among the three handlers, h2c declines (as it does without {@code HTTP2-Settings})
 * and websocket accepts. {@code parse} sees the same request every time, as a server does from
 * its clients, and gets its remembered parse; {@code parseUnseen} cycles through values the parser
 * has not seen lately and reads every character. {@code negotiate} is the whole of what the
 * dispatcher does with an upgrade request's headers before it acts on the decision, call for call;
 * {@code negotiateUnseen} the same for values not seen lately. Every parse is the dispatcher's: with
 * the negotiator's {@linkplain org.switchboard.internal.KnownOffers known offers}. Run with
 * {@code benchmarks/run.sh jmh NegotiationBenchmark -prof gc} for bytes allocated per operation.
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

    /** How many distinct values {@link #parseUnseen} cycles through: far more than the parser remembers. */
    static final int UNSEEN = 256;

    HttpFields fields;
    /** The same request with {@link #UNSEEN} spellings of its {@code Upgrade} value (letter case varied). */
    HttpFields[] unseen;
    /** The same request with {@link #UNSEEN} spacings of its {@code Upgrade} value (whitespace and empty elements varied). */
    HttpFields[] unseenSpacing;
    int next;
    UpgradeHeaders parsed;
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
        fields = request(upgrade);
        unseen = new HttpFields[UNSEEN];
        for (int i = 0; i < UNSEEN; i++)
            unseen[i] = request(spelling(upgrade, i));
        unseenSpacing = new HttpFields[UNSEEN];
        for (int i = 0; i < UNSEEN; i++)
            unseenSpacing[i] = request(spacing(upgrade, i));
        negotiator = new Negotiator(List.of(
            new StubHandler("websocket", List.of("13"), Verdict.accept("websocket/13", context -> null)),
            new StubHandler("h2c", List.of(), Verdict.decline("no HTTP2-Settings")),
            new StubHandler("relay", List.of("2", "1"), Verdict.decline("not on this path"))),
            NegotiationOrder.CLIENT_PREFERENCE);
        parsed = UpgradeHeaderParser.parse(fields, limits, negotiator.knownOffers());
    }

    @Benchmark
    public UpgradeHeaders parse() {
        return UpgradeHeaderParser.parse(fields, limits, negotiator.knownOffers());
    }

    /**
     * As {@link #parse}, but each call parses a value the parser has not seen lately, as for a
     * client whose {@code Upgrade} differs from everyone else's: the cold path, every character read.
     */
    @Benchmark
    public UpgradeHeaders parseUnseen() {
        HttpFields request = unseen[next];
        next = (next + 1) & (UNSEEN - 1);
        return UpgradeHeaderParser.parse(request, limits, negotiator.knownOffers());
    }

    @Benchmark
    public Decision decide() {
        return negotiator.decide(parsed, null, policy);
    }

    @Benchmark
    public Decision parseAndDecide() {
        return negotiator.decide(UpgradeHeaderParser.parse(fields, limits, negotiator.knownOffers()), null, policy);
    }

    /** Parse and decide as the dispatcher does for each request, for a value its clients send over and over. */
    @Benchmark
    public Decision negotiate(Blackhole consumed) {
        return negotiate(fields, consumed);
    }

    /**
     * As {@link #negotiate}, for a value not seen lately: a client that spaces its {@code Upgrade}
     * list its own way. Its offers are the known ones, so they are shared, not built.
     */
    @Benchmark
    public Decision negotiateUnseen(Blackhole consumed) {
        HttpFields request = unseenSpacing[next];
        next = (next + 1) & (UNSEEN - 1);
        return negotiate(request, consumed);
    }

    /**
     * What {@code UpgradeDispatcher.handle} does with an HTTP/1.1 request's headers, call for call,
     * up to the decision it then acts on: is there an {@code Upgrade}, parse (U1, U6, SB5), the
     * metric key, the {@code Connection} checks (U6, U4), whether a handler that may block is named,
     * and the decision (SB1–SB4) with no handler excluded and the (absent) body complete.
     */
    private Decision negotiate(HttpFields request, Blackhole consumed) {
        if (!UpgradeHeaderParser.hasUpgrade(request))
            return null;
        UpgradeHeaders upgrade = UpgradeHeaderParser.parse(request, limits, negotiator.knownOffers());
        consumed.consume(negotiator.metricKey(upgrade.offers()));
        if (!upgrade.connectionUpgrade() || !upgrade.hasOffers() || upgrade.connectionClose())
            return null;
        consumed.consume(negotiator.mayBlock(upgrade.offers(), policy));
        return negotiator.decide(upgrade.offers(), null, policy, Set.of(), true, null);
    }

    /** A browser-like WebSocket request: parse must walk every field, not only the upgrade ones. */
    static HttpFields request(String upgrade) {
        return HttpFields.build()
            .add(HttpHeader.HOST, "chat.example.com")
            .add(HttpHeader.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
            .add(HttpHeader.ACCEPT, "*/*")
            .add(HttpHeader.CONNECTION, "keep-alive, Upgrade")
            .add(HttpHeader.UPGRADE, upgrade)
            .add(HttpHeader.SEC_WEBSOCKET_VERSION, "13")
            .add(HttpHeader.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
            .add(HttpHeader.ORIGIN, "https://chat.example.com")
            .asImmutable();
    }

    /** The {@code n}th spelling of {@code value}: the case of its first letters flipped as the bits of {@code n} say. */
    static String spelling(String value, int n) {
        char[] chars = value.toCharArray();
        int bit = 0;
        for (int i = 0; i < chars.length && bit < Integer.SIZE; i++) {
            if (Character.isLetter(chars[i]) && (n >>> bit++ & 1) != 0)
                chars[i] = Character.isUpperCase(chars[i]) ? Character.toLowerCase(chars[i]) : Character.toUpperCase(chars[i]);
        }
        return new String(chars);
    }

    /**
     * The {@code n}th spacing of {@code value}: each element's whitespace on either side chosen by
     * two bits of {@code n} (none, a space, a tab, two spaces), the rest of {@code n} as as many
     * empty elements in front ({@code ", "}): distinct for every {@code n}, the same offers.
     */
    static String spacing(String value, int n) {
        String[] spaces = {"", " ", "\t", "  "};
        StringBuilder out = new StringBuilder();
        String[] elements = value.split(",");
        int bits = n;
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < elements.length; i++) {
            if (i > 0)
                list.append(',');
            list.append(spaces[bits & 3]).append(elements[i].strip()).append(spaces[bits >>> 2 & 3]);
            bits >>>= 4;
        }
        out.append(", ".repeat(bits)).append(list);
        return out.toString();
    }

    /** A handler whose answer is fixed, so that only the core's own work is measured. */
    record StubHandler(String protocol, List<String> versions, Verdict verdict) implements ProtocolHandler {
        @Override
        public Verdict negotiate(UpgradeOffer offer, Request request) {
            return verdict;
        }
    }
}
