package org.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Example;
import net.jqwik.api.Tag;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.switchboard.spi.Verdict;
import org.switchboard.testing.Fuzz;

/** Fuzzing the handshake checks Switchboard adds to Jetty's (W3, W4, W7): any header value is answered, never thrown on. */
@Tag("fuzz")
class HandshakeHeadersFuzzTest {

    @Example
    void W3_W4_anySecWebSocketVersionIsAcceptedOnlyAsExactly13OrAnswered400Or426() {
        Fuzz.run("Sec-WebSocket-Version", Fuzz.headerValues("13,\" \t\\8", 40).list().ofMinSize(1).ofMaxSize(3), values -> {
            HttpFields.Mutable headers = HttpFields.build();
            values.forEach(value -> headers.add(HttpHeader.SEC_WEBSOCKET_VERSION, value));
            Verdict.Reject problem = RFC6455Handshake.versionProblem(headers);
            if (problem == null)
                assertThat(headers.getCSV(HttpHeader.SEC_WEBSOCKET_VERSION, false)).isEqualTo(List.of("13"));
            else
                assertThat(problem.status()).isIn(400, 426);
        });
    }

    @Example
    void W7_anySecWebSocketExtensionsLineIsFilteredToWhatJettyCanNegotiate() {
        var values = Arbitraries.oneOf(
            Fuzz.headerValues(",;= \t\"\\", 120),
            Arbitraries.of("permessage-deflate", "server_no_context_takeover", "client_no_context_takeover",
                "server_max_window_bits", "client_max_window_bits", "=8", "=15", "=16", "=\"10\"", "; ", ", ", "x-webkit-deflate-frame")
                .list().ofMaxSize(12).map(parts -> String.join("", parts)));
        Fuzz.run("Sec-WebSocket-Extensions", values, value -> {
            String kept = RFC7692Offers.filter(value);
            assertThat(kept).isNotNull();
            // What is kept needs no more filtering: the same elements come out again, untouched.
            assertThat(RFC7692Offers.filter(kept)).isSameAs(kept);
            // And nothing is made up: every kept element is one the client sent, verbatim.
            if (kept != value && !kept.isEmpty())
                for (String element : kept.split(", "))
                    assertThat(value).contains(element);
        });
    }
}
