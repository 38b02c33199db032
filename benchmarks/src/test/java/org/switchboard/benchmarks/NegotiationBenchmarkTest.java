package org.switchboard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.testing.ThreadAllocations.bytesPerCall;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.switchboard.internal.Decision;
import org.switchboard.internal.UpgradeHeaderParser;
import org.switchboard.spi.UpgradeHeaders;

/** The microbenchmarks measure what they claim, and JMH runs them. Speed is not asserted. */
class NegotiationBenchmarkTest {

    @ParameterizedTest(name = "{0} offers")
    @ValueSource(ints = {1, 3, 16})
    void U1_SB1_everyOfferIsParsedAndTheLastOneWins(int offers) {
        NegotiationBenchmark benchmark = benchmark(offers);

        UpgradeHeaders parsed = benchmark.parse();
        Decision decision = benchmark.decide();

        assertThat(parsed.offers()).hasSize(offers);
        assertThat(parsed.connectionUpgrade()).isTrue();
        assertThat(parsed.offers().get(offers - 1).name()).isEqualTo("websocket");
        assertThat(decision).isInstanceOfSatisfying(Decision.Upgrade.class,
            upgrade -> assertThat(upgrade.handler().protocol()).isEqualTo("websocket"));
        assertThat(benchmark.parseAndDecide()).isEqualTo(decision);
        assertThat(benchmark.negotiate(blackhole())).isEqualTo(decision);
        for (int i = 0; i < NegotiationBenchmark.UNSEEN; i++)
            assertThat(benchmark.negotiateUnseen(blackhole())).isEqualTo(decision);
    }

    /**
     * The target "no allocation beyond the result" for a 3-offer {@code Upgrade}. A value the
     * parser has not seen costs the result: the record, two lists, three offers and the strings they
     * hold — 408 bytes with compressed oops (the remembered {@code Connection} list is shared). A
     * parser that copied its lists again, or built strings it throws away, would exceed it.
     */
    @Test
    void U1_SB5_parsingAnUnseenValueAllocatesOnlyTheResult() {
        NegotiationBenchmark benchmark = benchmark(3);
        assertThat(bytesPerCall(benchmark::parseUnseen)).isLessThanOrEqualTo(420);
    }

    /** A value seen before shares its remembered lists, and the record made of them: nothing is new. */
    @Test
    void U1_SB5_parsingARecurringValueAllocatesNothing() {
        NegotiationBenchmark benchmark = benchmark(3);
        assertThat(bytesPerCall(benchmark::parse)).isZero();
    }

    /**
     * Issue 19's "allocation only the result" for parse and decide together, as the dispatcher does
     * them: for a recurring value, the decision alone (24 bytes). For a value not seen lately whose
     * offers the handlers declare, the result too: the decision, the record, the offer list and its
     * array, and the one offer no handler declares ({@code relay/9}: the record and its two strings)
     * — 240 bytes; the known offers are shared, not built.
     */
    @Test
    void U1_SB1_negotiatingAllocatesOnlyTheResult() {
        NegotiationBenchmark benchmark = benchmark(3);
        Blackhole consumed = blackhole();
        assertThat(bytesPerCall(() -> benchmark.negotiate(consumed))).isLessThanOrEqualTo(24);
        assertThat(bytesPerCall(() -> benchmark.negotiateUnseen(consumed))).isLessThanOrEqualTo(240);
    }

    @ParameterizedTest(name = "{0} offers")
    @ValueSource(ints = {1, 3, 16})
    void theUnseenSpacingsAreDistinctAndParseToTheSameOffers(int offers) {
        NegotiationBenchmark benchmark = benchmark(offers);
        Set<String> values = new HashSet<>();
        for (HttpFields fields : benchmark.unseenSpacing) {
            values.add(fields.get(HttpHeader.UPGRADE));
            assertThat(UpgradeHeaderParser.parse(fields, benchmark.limits).offers())
                .isEqualTo(benchmark.parsed.offers());
        }
        assertThat(values).hasSize(NegotiationBenchmark.UNSEEN);
    }

    /**
     * Deciding allocates the decision alone (24 bytes), whatever the offers: checking an acceptance
     * against its offer (U3, SB4) compares in place — for one unversioned offer accepted with a
     * declared version too, where taking the version out as a string cost 48 bytes more.
     */
    @ParameterizedTest(name = "{0} offers")
    @ValueSource(ints = {1, 3, 16})
    void U3_SB4_decidingAllocatesOnlyTheDecision(int offers) {
        NegotiationBenchmark benchmark = benchmark(offers);
        assertThat(bytesPerCall(benchmark::decide)).isLessThanOrEqualTo(24);
    }

    @ParameterizedTest(name = "{0} offers")
    @ValueSource(ints = {1, 3, 16})
    void theUnseenSpellingsAreDistinctAndParseToTheSameOffersIgnoringCase(int offers) {
        NegotiationBenchmark benchmark = benchmark(offers);
        Set<String> values = new HashSet<>();
        for (HttpFields fields : benchmark.unseen)
            values.add(fields.get(HttpHeader.UPGRADE));
        assertThat(values).hasSize(NegotiationBenchmark.UNSEEN);
        UpgradeHeaders spelled = benchmark.parseUnseen();
        assertThat(spelled.offers()).hasSize(offers);
        for (int i = 0; i < offers; i++)
            assertThat(spelled.offers().get(i).toString()).isEqualToIgnoringCase(benchmark.parsed.offers().get(i).toString());
    }

    @Test
    void jmhRunsTheBenchmarksWithTheGcProfiler() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
            .include(NegotiationBenchmark.class.getName() + ".parse$")
            .param("offers", "3")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(200))
            .addProfiler("gc")
            .build()).run();

        assertThat(results).hasSize(1);
        RunResult result = results.iterator().next();
        assertThat(result.getPrimaryResult().getScore()).isPositive();
        assertThat(result.getSecondaryResults()).containsKey("gc.alloc.rate.norm");
    }

    private static Blackhole blackhole() {
        return new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    }

    private static NegotiationBenchmark benchmark(int offers) {
        NegotiationBenchmark benchmark = new NegotiationBenchmark();
        benchmark.offers = offers;
        benchmark.setUp();
        return benchmark;
    }
}
