package org.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.UpgradeLimits;
import org.switchboard.spi.UpgradeHeaders;

/** U1, U2, U6 and SB5 on the parser alone. */
class UpgradeHeaderParserTest {

    private static List<String> offers(String value) {
        return UpgradeHeaderParser.parseUpgrade(value, UpgradeLimits.DEFAULT).stream().map(UpgradeOffer::toString).toList();
    }

    @Test
    void U1_U2_offersKeepTheClientsOrderWithVersions() {
        assertThat(offers("a/1, b, c")).containsExactly("a/1", "b", "c");
    }

    @ParameterizedTest(name = "U1: \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
        "websocket                 | websocket",
        "' , websocket ,'          | websocket",
        "',,, ,\t,'                | ''",
        "'\twebsocket\t,\th2c\t'   | websocket;h2c",
        "'HTTP/2.0, SHTTP/1.3'     | HTTP/2.0;SHTTP/1.3",
        "'a b, c'                  | c",
        "'a/, /1, a//1, a/1/2, c'  | c",
        "'we\"b, (x), c'           | c",
        "'é, c'                    | c",
        "'relay/2,relay/1'         | relay/2;relay/1",
        "'x-custom.proto_1~!/v#2'  | x-custom.proto_1~!/v#2",
    })
    void U1_listSyntaxIsToleratedAndMalformedElementsAreSkipped(String value, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(";"));
        assertThat(offers(value)).containsExactlyElementsOf(want);
    }

    @Test
    void U1_namesKeepTheirCaseButCompareCaseInsensitively() {
        UpgradeOffer offer = UpgradeHeaderParser.parseUpgrade("WebSocket", UpgradeLimits.DEFAULT).get(0);
        assertThat(offer.name()).isEqualTo("WebSocket");
        assertThat(offer.is("websocket")).isTrue();
        assertThat(offer.is("websockets")).isFalse();
    }

    @Test
    void U1_severalUpgradeLinesAreJoinedInOrder() {
        HttpFields fields = HttpFields.build()
            .add(HttpHeader.UPGRADE, "a, b")
            .add(HttpHeader.CONNECTION, "keep-alive")
            .add(HttpHeader.UPGRADE, "c/2")
            .add(HttpHeader.CONNECTION, "Upgrade, HTTP2-Settings");

        UpgradeHeaders request = UpgradeHeaderParser.parse(fields, UpgradeLimits.DEFAULT);

        assertThat(request.offers()).extracting(UpgradeOffer::toString).containsExactly("a", "b", "c/2");
        assertThat(request.connectionOptions()).containsExactly("keep-alive", "upgrade", "http2-settings");
        assertThat(request.connectionUpgrade()).isTrue();
    }

    @ParameterizedTest(name = "U6: Connection \"{0}\" has upgrade: {1}")
    @CsvSource(delimiter = '|', value = {
        "Upgrade               | true",
        "keep-alive, Upgrade   | true",
        "UPGRADE               | true",
        "' ,upgrade, '         | true",
        "keep-alive            | false",
        "upgrades              | false",
        "'up grade'            | false",
    })
    void U6_connectionUpgradeIsACaseInsensitiveTokenOfAList(String connection, boolean upgrade) {
        HttpFields fields = HttpFields.build().add(HttpHeader.CONNECTION, connection).add(HttpHeader.UPGRADE, "x");
        assertThat(UpgradeHeaderParser.parse(fields, UpgradeLimits.DEFAULT).connectionUpgrade()).isEqualTo(upgrade);
    }

    @Test
    void SB5_anUpgradeLongerThanTheLimitIsA400() {
        UpgradeLimits limits = new UpgradeLimits(10, 16, 0);
        assertThat(offers("a".repeat(1024))).hasSize(1);
        assertThatThrownBy(() -> UpgradeHeaderParser.parseUpgrade("a".repeat(11), limits))
            .isInstanceOfSatisfying(MalformedUpgradeException.class, x -> assertThat(x.status()).isEqualTo(400))
            .hasMessageContaining("longer than 10");
    }

    @Test
    void SB5_theLengthLimitCountsEveryUpgradeLine() {
        HttpFields fields = HttpFields.build()
            .add(HttpHeader.UPGRADE, "abcdef").add(HttpHeader.UPGRADE, "ghijkl").add(HttpHeader.CONNECTION, "upgrade");
        assertThatThrownBy(() -> UpgradeHeaderParser.parse(fields, new UpgradeLimits(10, 16, 0)))
            .isInstanceOf(MalformedUpgradeException.class);
    }

    @Test
    void SB5_moreElementsThanTheLimitIsA400EvenIfMalformed() {
        UpgradeLimits limits = new UpgradeLimits(1024, 3, 0);
        assertThat(UpgradeHeaderParser.parseUpgrade("a, b, c", limits)).hasSize(3);
        assertThat(UpgradeHeaderParser.parseUpgrade(",,,, a, ,, b, c,,,", limits)).hasSize(3);
        assertThatThrownBy(() -> UpgradeHeaderParser.parseUpgrade("a, b, (c), d", limits))
            .isInstanceOf(MalformedUpgradeException.class)
            .hasMessageContaining("more than 3");
    }

    @Test
    void U1_aValueSeenBeforeIsNotParsedAgainItsOffersAreShared() {
        HttpFields first = HttpFields.build().add(HttpHeader.UPGRADE, "shared/1, value").add(HttpHeader.CONNECTION, "Upgrade, Keep-Alive");
        HttpFields second = HttpFields.build().add(HttpHeader.UPGRADE, new String("shared/1, value"))
            .add(HttpHeader.CONNECTION, new String("Upgrade, Keep-Alive"));

        UpgradeHeaders a = UpgradeHeaderParser.parse(first, UpgradeLimits.DEFAULT);
        UpgradeHeaders b = UpgradeHeaderParser.parse(second, UpgradeLimits.DEFAULT);

        assertThat(b.offers()).extracting(UpgradeOffer::toString).containsExactly("shared/1", "value");
        assertThat(b.offers()).isSameAs(a.offers());
        assertThat(b.connectionOptions()).containsExactly("upgrade", "keep-alive").isSameAs(a.connectionOptions());
    }

    @Test
    void SB5_aValueRememberedUnderLooserLimitsStillBreaksStricterOnes() {
        HttpFields fields = HttpFields.build().add(HttpHeader.UPGRADE, "one, two, three").add(HttpHeader.CONNECTION, "upgrade");
        assertThat(UpgradeHeaderParser.parse(fields, UpgradeLimits.DEFAULT).offers()).hasSize(3);

        assertThatThrownBy(() -> UpgradeHeaderParser.parse(fields, new UpgradeLimits(1024, 2, 0)))
            .isInstanceOfSatisfying(MalformedUpgradeException.class, x -> assertThat(x.status()).isEqualTo(400))
            .hasMessageContaining("more than 2");
        assertThatThrownBy(() -> UpgradeHeaderParser.parse(fields, new UpgradeLimits(10, 16, 0)))
            .hasMessageContaining("longer than 10");
    }

    @Test
    void U1_joiningALaterLineLeavesTheRememberedFirstLineIntact() {
        HttpFields alone = HttpFields.build().add(HttpHeader.UPGRADE, "first, second").add(HttpHeader.CONNECTION, "upgrade");
        HttpFields joined = HttpFields.build().add(HttpHeader.UPGRADE, "first, second").add(HttpHeader.UPGRADE, "third")
            .add(HttpHeader.CONNECTION, "upgrade").add(HttpHeader.CONNECTION, "http2-settings");

        List<UpgradeOffer> before = UpgradeHeaderParser.parse(alone, UpgradeLimits.DEFAULT).offers();
        UpgradeHeaders both = UpgradeHeaderParser.parse(joined, UpgradeLimits.DEFAULT);
        List<UpgradeOffer> after = UpgradeHeaderParser.parse(alone, UpgradeLimits.DEFAULT).offers();

        assertThat(both.offers()).extracting(UpgradeOffer::toString).containsExactly("first", "second", "third");
        assertThat(both.connectionOptions()).containsExactly("upgrade", "http2-settings");
        assertThat(after).isSameAs(before).extracting(UpgradeOffer::toString).containsExactly("first", "second");
        assertThat(UpgradeHeaderParser.parse(alone, UpgradeLimits.DEFAULT).connectionOptions()).containsExactly("upgrade");
    }

    @Test
    void formatIsTheInverseOfParse() {
        List<UpgradeOffer> offers = List.of(new UpgradeOffer("a", "1"), new UpgradeOffer("B", null));
        assertThat(UpgradeHeaderParser.format(offers)).isEqualTo("a/1, B");
        assertThat(UpgradeHeaderParser.parseUpgrade(UpgradeHeaderParser.format(offers), UpgradeLimits.DEFAULT)).isEqualTo(offers);
    }

    @Test
    void offersThatAreNotTokensCannotBeBuilt() {
        assertThatThrownBy(() -> new UpgradeOffer("a b", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpgradeOffer("a", "")).isInstanceOf(IllegalArgumentException.class);
        assertThat(UpgradeOffer.of("relay/2")).isEqualTo(new UpgradeOffer("relay", "2"));
    }
}
