package org.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** PROTOCOL.md section 8's header fields, written by one end and read by the other. */
class ResumeFieldsTest {

    @Test
    void resume_tokensAre128RandomBitsInUrlSafeBase64() {
        String token = ResumeFields.newToken();
        assertThat(token).matches("[A-Za-z0-9_-]{22}");
        assertThat(ResumeFields.newToken()).isNotEqualTo(token);
        assertThat(ResumeFields.isToken(token)).isTrue();
        assertThat(ResumeFields.isToken("too-short")).isFalse();
        assertThat(ResumeFields.isToken("x".repeat(129))).isFalse();
        assertThat(ResumeFields.isToken("AAAAAAAAAAAAAAAAAAAA+/")).as("base64, not base64url").isFalse();
    }

    @Test
    void resume_theRequestFieldRoundTripsAndIgnoresUnknownParameters() {
        ResumeFields.Request request = new ResumeFields.Request(ResumeFields.newToken(), Long.MAX_VALUE);
        assertThat(ResumeFields.parseRequest(request.toString())).isEqualTo(request);
        assertThat(ResumeFields.parseRequest(" AAAAAAAAAAAAAAAAAAAAAA ;RECEIVED=5; later=\"x;y\""))
            .isEqualTo(new ResumeFields.Request("AAAAAAAAAAAAAAAAAAAAAA", 5));
        assertThatThrownBy(() -> ResumeFields.parseRequest("AAAAAAAAAAAAAAAAAAAAAA; received=9223372036854775808"))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("Relay-Resume: received must be a count from 0 to 2^63-1");
    }

    @Test
    void resume_theAnswerCarriesAReasonAsAOneLineQuotedString() {
        ResumeFields.Answer no = new ResumeFields.Answer(false, 0, "say \"no\" \\ then\r\nX-Injected: 1");
        assertThat(no.toString()).isEqualTo("no; reason=\"say \\\"no\\\" \\\\ then  X-Injected: 1\"").doesNotContain("\r").doesNotContain("\n");
        assertThat(ResumeFields.parseAnswer(no.toString()).reason()).isEqualTo("say \"no\" \\ then  X-Injected: 1");
        assertThat(ResumeFields.parseAnswer("yes; received=42")).isEqualTo(new ResumeFields.Answer(true, 42, ""));
        assertThat(ResumeFields.quote("x".repeat(500))).hasSize(202);
        assertThatThrownBy(() -> ResumeFields.parseAnswer("maybe")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResumeFields.parseAnswer("yes")).isInstanceOf(IllegalArgumentException.class);
    }
}
