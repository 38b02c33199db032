package org.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
