package org.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.UpgradeLimits;

/** Properties of the parser over generated input (U1, SB5). */
class UpgradeHeaderParserPropertyTest {

    private static final UpgradeLimits LIMITS = new UpgradeLimits(512, 16, 0);

    @Property(tries = 2000)
    void U1_SB5_anyStringEitherParsesOrIsTheDocumented400(@ForAll @StringLength(max = 600) String value) {
        try {
            List<UpgradeOffer> offers = UpgradeHeaderParser.parseUpgrade(value, LIMITS);
            assertThat(offers.size()).isLessThanOrEqualTo(LIMITS.maxOffers());
            offers.forEach(offer -> assertThat(UpgradeOffer.of(offer.toString())).isEqualTo(offer));
        } catch (MalformedUpgradeException x) {
            assertThat(x.status()).isEqualTo(400);
        }
    }

    @Property(tries = 2000)
    void U1_listPunctuationAndTokenCharactersNeverThrowAnythingElse(
        @ForAll @StringLength(max = 200) @Chars({',', ' ', '\t', '/', 'a', 'B', '1', '"', '(', ';', '='})
        @CharRange(from = 0, to = 0x7f) String value) {
        try {
            UpgradeHeaderParser.parseUpgrade(value, LIMITS);
        } catch (MalformedUpgradeException x) {
            assertThat(x.status()).isEqualTo(400);
        }
    }

    @Property(tries = 1000)
    void U1_formatThenParseGivesTheSameOffers(@ForAll("offerLists") List<UpgradeOffer> offers) {
        assertThat(UpgradeHeaderParser.parseUpgrade(UpgradeHeaderParser.format(offers), LIMITS)).isEqualTo(offers);
    }

    @Property(tries = 1000)
    void U1_whitespaceAndEmptyElementsDoNotChangeTheOffers(@ForAll("offerLists") List<UpgradeOffer> offers,
                                                           @ForAll("separators") String separator) {
        String value = separator + String.join(separator, offers.stream().map(UpgradeOffer::toString).toList()) + separator;
        assertThat(UpgradeHeaderParser.parseUpgrade(value, LIMITS)).isEqualTo(offers);
    }

    /**
     * Short values over a small alphabet collide in the cache of recent values all the time; a
     * remembered parse must be exactly the fresh one, under any limits, for offers and options.
     */
    @Property(tries = 3000)
    void U1_U6_SB5_aRememberedValueParsesExactlyAsAFreshOne(
        @ForAll @StringLength(max = 24) @Chars({',', ' ', '/', 'a', 'B', '1', '"'}) String value,
        @ForAll @IntRange(min = 1, max = 8) int maxOffers) {
        UpgradeLimits limits = new UpgradeLimits(512, maxOffers, 0);
        HttpFields fields = HttpFields.build().add(HttpHeader.UPGRADE, value).add(HttpHeader.CONNECTION, value).asImmutable();
        // The same tokens in another string: a value the cache has not seen, parsed afresh.
        HttpFields fresh = HttpFields.build().add(HttpHeader.CONNECTION, value + " ,\t,").asImmutable();
        Object expected = outcome(() -> UpgradeHeaderParser.parseUpgrade(value, limits));
        for (int i = 0; i < 2; i++) {
            Object offers = outcome(() -> UpgradeHeaderParser.parse(fields, limits).offers());
            assertThat(offers).isEqualTo(expected);
            if (offers instanceof List<?>)
                assertThat(UpgradeHeaderParser.parse(fields, limits).connectionOptions())
                    .isEqualTo(UpgradeHeaderParser.parse(fresh, limits).connectionOptions());
        }
    }

    /** Offers that the generated elements below spell often, exactly or in another case. */
    private static final KnownOffers KNOWN = new KnownOffers(List.of(
        new UpgradeOffer("ws", null), new UpgradeOffer("ws", "1"), new UpgradeOffer("a", null), new UpgradeOffer("B", "12")));

    /**
     * The single-pass parser, with shared known offers and remembered values, gives exactly what
     * the rules say in the plainest way — join the lines, split at commas, trim OWS, skip empty
     * elements, keep {@code token ["/" token]}, count elements against the limits — for any lines.
     */
    @Property(tries = 3000)
    void U1_U2_SB5_theFastParseEqualsAPlainReferenceParse(
        @ForAll("upgradeLines") List<String> lines,
        @ForAll @IntRange(min = 1, max = 8) int maxOffers,
        @ForAll @IntRange(min = 4, max = 40) int maxLength) {
        UpgradeLimits limits = new UpgradeLimits(maxLength, maxOffers, 0);
        HttpFields.Mutable fields = HttpFields.build().add(HttpHeader.HOST, "example.com");
        for (String line : lines)
            fields.add(HttpHeader.UPGRADE, line);
        fields.add(HttpHeader.CONNECTION, "Upgrade");
        Object expected = referenceParse(lines, limits);
        for (int i = 0; i < 2; i++) {   // the second time, a single line is a remembered value
            Object actual;
            try {
                actual = UpgradeHeaderParser.parse(fields, limits, KNOWN).offers();
            } catch (MalformedUpgradeException x) {
                actual = x.status();
            }
            assertThat(actual).isEqualTo(expected);
        }
    }

    /** The plainest reading of U1 and SB5: the offers, or 400. */
    private static Object referenceParse(List<String> lines, UpgradeLimits limits) {
        if (lines.stream().mapToInt(String::length).sum() > limits.maxUpgradeLength())
            return 400;
        List<UpgradeOffer> offers = new ArrayList<>();
        int elements = 0;
        for (String element : String.join(",", lines).split(",", -1)) {
            String trimmed = element.replaceAll("^[ \t]+|[ \t]+$", "");
            if (trimmed.isEmpty())
                continue;
            if (++elements > limits.maxOffers())
                return 400;
            String[] parts = trimmed.split("/", -1);
            if (parts.length <= 2 && Tokens.isToken(parts[0]) && (parts.length == 1 || Tokens.isToken(parts[1])))
                offers.add(new UpgradeOffer(parts[0], parts.length == 1 ? null : parts[1]));
        }
        return offers;
    }

    @Provide
    Arbitrary<List<String>> upgradeLines() {
        Arbitrary<String> element = Arbitraries.oneOf(
            Arbitraries.of("ws", "ws/1", "WS/1", "a", "A", "B/12", "b/12", "ws/2", "a/", "/1", "w s", "ws/1/2", "\"ws\"", "wé"),
            Arbitraries.strings().withChars(' ', '\t', '/', 'a', 'B', 'w', 's', '1', '"').ofMaxLength(5));
        Arbitrary<String> space = Arbitraries.of("", " ", "\t", " \t ");
        Arbitrary<String> line = Combinators.combine(space, element, space).as((before, e, after) -> before + e + after)
            .list().ofMaxSize(4).map(elements -> String.join(",", elements));
        return line.list().ofMinSize(1).ofMaxSize(3);
    }

    private static Object outcome(Supplier<List<UpgradeOffer>> parse) {
        try {
            return parse.get();
        } catch (MalformedUpgradeException x) {
            return x.status() + " " + x.getMessage();
        }
    }

    @Provide
    Arbitrary<List<UpgradeOffer>> offerLists() {
        Arbitrary<String> token = Arbitraries.strings().withChars("!#$%&'*+-.^_`|~").withCharRange('a', 'z')
            .withCharRange('A', 'Z').withCharRange('0', '9').ofMinLength(1).ofMaxLength(12);
        Arbitrary<UpgradeOffer> offer = Combinators.combine(token, token.injectNull(0.5)).as(UpgradeOffer::new);
        return offer.list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of(",", ", ", " ,", " , ", ",\t", ",,", ", ,\t, ");
    }
}
