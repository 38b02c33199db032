package org.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link RFC7692Offers#filter} on its own: what is kept, what is dropped, and when nothing is copied. */
class RFC7692OffersTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "permessage-deflate",
        "permessage-deflate; client_max_window_bits",
        "permessage-deflate;client_max_window_bits=10;server_max_window_bits=15",
        "permessage-deflate; client_max_window_bits=\"10\"",
        "permessage-deflate; client_max_window_bits=\"1\\0\"",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        "x-webkit-deflate-frame, permessage-deflate ; client_max_window_bits = 8",
        "x-unknown; a=1; b=\"c\", permessage-deflate",
        "",
        " , ",
    })
    void W7_aLineWithNothingToDropIsReturnedItselfNotACopy(String value) {
        assertThat(RFC7692Offers.filter(value)).isSameAs(value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "permessage-deflate; server_max_window_bits=10 | ''",
        "permessage-deflate; server_max_window_bits=10, permessage-deflate | permessage-deflate",
        "permessage-deflate, permessage-deflate; server_max_window_bits=8 | permessage-deflate",
        "PerMessage-Deflate; server_max_window_bits=9, x-a | x-a",
        "permessage-deflate; Server_No_Context_Takeover, x-a | x-a",
        "x-foo; a=1, permessage-deflate; x_bogus_param, permessage-deflate;client_max_window_bits | x-foo; a=1, permessage-deflate;client_max_window_bits",
        "a,, b=, c | a, c",
        "a ,b;, c | a, c",
        "x; q=\"a,b\", permessage-deflate | permessage-deflate",
        "permessage-deflate; client_max_window_bits=\"10, x-a | ''",
        "permessage-deflate; client_max_window_bits=16;, x-a | x-a",
        "permessage-deflate; server_max_window_bits; client_max_window_bits | ''",
        "permessage-deflate; client_max_window_bits; client_max_window_bits | ''",
        "permessage-deflate; client_no_context_takeover=\"\" | ''",
        "permessage-deflate; foo; server_no_context_takeover= | ''",
    })
    void W7_declinedOffersAndMalformedElementsAreRemovedTheRestKeptVerbatim(String value, String kept) {
        assertThat(RFC7692Offers.filter(value)).isEqualTo(kept);
    }
}
