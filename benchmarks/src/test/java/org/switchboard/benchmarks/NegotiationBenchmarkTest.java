package org.switchboard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Collection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.switchboard.Decision;
import org.switchboard.UpgradeRequest;

/** The microbenchmarks measure what they claim, and JMH runs them. Speed is not asserted. */
class NegotiationBenchmarkTest {

    @ParameterizedTest(name = "{0} offers")
    @ValueSource(ints = {1, 3, 16})
    void U1_SB1_everyOfferIsParsedAndTheLastOneWins(int offers) {
        NegotiationBenchmark benchmark = benchmark(offers);

        UpgradeRequest parsed = benchmark.parse();
        Decision decision = benchmark.decide();

        assertThat(parsed.offers()).hasSize(offers);
        assertThat(parsed.connectionUpgrade()).isTrue();
        assertThat(parsed.offers().get(offers - 1).name()).isEqualTo("websocket");
        assertThat(decision).isInstanceOfSatisfying(Decision.Upgrade.class,
            upgrade -> assertThat(upgrade.handler().protocol()).isEqualTo("websocket"));
        assertThat(benchmark.parseAndDecide()).isEqualTo(decision);
    }

    /**
     * Issue 7's target "no allocation beyond the result" for a 3-offer {@code Upgrade}: the result
     * is the record, two lists, three offers and the strings they hold — 448 bytes with compressed
     * oops. A parser that copied its lists again, or built strings it throws away, would exceed it.
     */
    @Test
    void U1_SB5_parsingThreeOffersAllocatesOnlyTheResult() {
        NegotiationBenchmark benchmark = benchmark(3);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++)
            benchmark.parse();

        int rounds = 10_000;
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < rounds; i++)
            benchmark.parse();
        long perParse = (threads.getThreadAllocatedBytes(thread) - before) / rounds;

        assertThat(perParse).isLessThanOrEqualTo(460);
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

    private static NegotiationBenchmark benchmark(int offers) {
        NegotiationBenchmark benchmark = new NegotiationBenchmark();
        benchmark.offers = offers;
        benchmark.setUp();
        return benchmark;
    }
}
