package org.switchboard.testing;

import java.util.Random;
import java.util.function.Consumer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;

/**
 * A bounded fuzz run over one parser — a handshake header, a frame codec — called from a jqwik
 * {@code @Example} (generators need its context): jqwik's generators draw inputs from a seeded
 * {@link Random} and each input goes through {@code check}, which throws {@link AssertionError} (or
 * anything else) on a broken invariant; the first failure is rethrown with the input and the seed
 * that reproduces it. Needs jqwik ({@code net.jqwik:jqwik}) on the test class path: the kit does
 * not bring it.
 *
 * <pre>{@code
 * @Example
 * @Tag("fuzz")
 * void framesNeverCrashTheParser() {
 *     Fuzz.run("my-frames", Arbitraries.bytes().array(byte[].class).ofMaxSize(64), bytes -> parser.parse(bytes));
 * }
 * }</pre>
 *
 * <p>How many inputs: the system property {@code switchboard.fuzz.inputs} (default
 * {@value #DEFAULT_INPUTS}, a short run for every build); the campaign of RELIABILITY.md runs
 * {@code mvn -B -Pfuzz test}, which sets 1,000,000 and runs only the tests tagged {@code fuzz}. The
 * seed: {@code switchboard.fuzz.seed}, random by default. Each run prints one line with its
 * figures: target, inputs, time, seed.
 */
public final class Fuzz {

    /** Inputs per run when {@code switchboard.fuzz.inputs} is not set. */
    public static final int DEFAULT_INPUTS = 5_000;

    private Fuzz() {
    }

    /**
     * Runs {@code check} over inputs drawn from {@code inputs}; see the class description.
     *
     * @param <T>    the type of the inputs
     * @param target the name printed and put in a failure: what is fuzzed
     * @param inputs the jqwik generator the inputs are drawn from, with a seeded {@link Random}
     * @param check  the invariant, called once per input; it throws on a broken one
     * @throws AssertionError the first failure of {@code check}, with its input and seed
     */
    public static <T> void run(String target, Arbitrary<T> inputs, Consumer<T> check) {
        int count = Integer.getInteger("switchboard.fuzz.inputs", DEFAULT_INPUTS);
        long seed = Long.getLong("switchboard.fuzz.seed", new Random().nextLong());
        Random random = new Random(seed);
        RandomGenerator<T> generator = inputs.generator(1000);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            T input = generator.next(random).value();
            try {
                check.accept(input);
            } catch (Throwable x) {
                throw new AssertionError("fuzz " + target + ": input " + (i + 1) + " of seed " + seed
                    + " (rerun with -Dswitchboard.fuzz.seed=" + seed + ") broke an invariant: " + describe(input), x);
            }
        }
        System.out.printf("fuzz %s: %,d inputs in %,d ms, no failure (seed %d)%n", target, count,
            (System.nanoTime() - start) / 1_000_000, seed);
    }

    /**
     * Strings made the way a header fuzzer makes them: characters that mean something to the
     * parser ({@code special}), token characters, control characters and a few non-ASCII ones
     * (Latin-1, beyond it, a lone surrogate), up to {@code maxLength}.
     *
     * @param special   the characters that mean something to the parser under test, such as {@code ",;="}
     * @param maxLength the longest string drawn, in characters
     * @return a jqwik generator of such strings, for {@link #run}
     */
    public static Arbitrary<String> headerValues(String special, int maxLength) {
        return Arbitraries.strings()
            .withChars(special)
            .alpha().numeric().withChars("-._~!#$&*+'|`^%")
            .withCharRange('\u0000', '\u001f')
            .withChars("\u007f\u00e9\u00ff\u0100\u2028\ud800\ufeff")
            .ofMaxLength(maxLength);
    }

    private static String describe(Object input) {
        String text = input instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : String.valueOf(input);
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f)
                out.appendCodePoint(c);
            else
                out.append(String.format("\\u%04x", c));
        });
        return out.toString();
    }
}
