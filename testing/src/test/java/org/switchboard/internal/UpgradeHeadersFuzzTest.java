package org.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import net.jqwik.api.Example;
import net.jqwik.api.Tag;

import org.switchboard.testing.Fuzz;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.NegotiationOrder;
import org.switchboard.UpgradeLimits;
import org.switchboard.UpgradeMetrics;
import org.switchboard.spi.UpgradeHeaders;

/** Fuzzing the {@code Upgrade}/{@code Connection} parser (U1, U6, SB5): any header lines parse or are the documented 400. */
@Tag("fuzz")
class UpgradeHeadersFuzzTest {

    private static final UpgradeLimits LIMITS = new UpgradeLimits(256, 8, 0);

    @Example
    void U1_U6_SB5_anyUpgradeAndConnectionLinesParseOrAreThe400() {
        Arbitrary<String> values = Fuzz.headerValues(",/ \t\";=()", 300);
        Arbitrary<List<String>> upgrades = values.list().ofMaxSize(3);
        Arbitrary<List<String>> connections = values.list().ofMaxSize(3);
        Fuzz.run("Upgrade+Connection", net.jqwik.api.Combinators.combine(upgrades, connections).as(List::of), lines -> {
            HttpFields.Mutable fields = HttpFields.build();
            lines.get(0).forEach(value -> fields.add(HttpHeader.UPGRADE, value));
            lines.get(1).forEach(value -> fields.add(HttpHeader.CONNECTION, value));
            try {
                UpgradeHeaders parsed = UpgradeHeaderParser.parse(fields, LIMITS);
                assertThat(parsed.offers()).hasSizeLessThanOrEqualTo(LIMITS.maxOffers() * 3);
                for (UpgradeOffer offer : parsed.offers())
                    assertThat(UpgradeOffer.of(offer.toString())).isEqualTo(offer);
                for (String option : parsed.connectionOptions())
                    assertThat(Tokens.isToken(option)).isTrue();
                // Parsing the same lines again (now possibly remembered) gives the same result.
                assertThat(UpgradeHeaderParser.parse(fields, LIMITS)).isEqualTo(parsed);
            } catch (MalformedUpgradeException x) {
                assertThat(x.status()).isEqualTo(400);
                assertThat(x.getMessage()).doesNotContain("\n");
            }
        });
    }

    @Example
    void U1_anyOfferListIsCheckedAgainstHandlersWithoutThrowing() {
        Negotiator negotiator = new Negotiator(List.of(
            org.switchboard.testing.LineEchoProtocolHandler.accepting("relay", "2", "1"),
            org.switchboard.testing.LineEchoProtocolHandler.accepting("websocket")), NegotiationOrder.CLIENT_PREFERENCE);
        Fuzz.run("metric keys", Fuzz.headerValues(",/ \t", 200).map(value -> {
            try {
                return UpgradeHeaderParser.parseUpgrade(value, LIMITS);
            } catch (MalformedUpgradeException x) {
                return List.<UpgradeOffer>of();
            }
        }), offers -> assertThat(negotiator.metricKey(offers)).isIn("relay", "websocket", UpgradeMetrics.NONE, UpgradeMetrics.OTHER));
    }
}
