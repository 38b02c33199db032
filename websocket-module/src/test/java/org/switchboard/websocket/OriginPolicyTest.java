package org.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** W5: origins compare as RFC 6454 serializations. */
class OriginPolicyTest {

    @Test
    void W5_originsAreNormalizedBeforeComparison() {
        assertThat(OriginPolicy.normalize("HTTPS://App.Example:443")).isEqualTo("https://app.example");
        assertThat(OriginPolicy.normalize("http://app.example:80")).isEqualTo("http://app.example");
        assertThat(OriginPolicy.normalize("http://app.example:8080")).isEqualTo("http://app.example:8080");
        assertThat(OriginPolicy.normalize("http://[::1]:8080")).isEqualTo("http://[::1]:8080");
        assertThat(OriginPolicy.normalize("null")).isEqualTo("null");
    }

    @Test
    void W5_anAllowListEntryThatIsNotAnOriginIsRefusedAtConfigurationTime() {
        assertThatIllegalArgumentException().isThrownBy(() -> OriginPolicy.allowing("app.example"));
    }

    @Test
    void W5_allowListsKeepTheDefaultsUnlessToldOtherwise() {
        OriginPolicy policy = OriginPolicy.allowing("https://a.example");

        assertThat(policy.allowSameOrigin()).isTrue();
        assertThat(policy.allowNoOrigin()).isTrue();
        assertThat(policy.requiringOrigin().allowNoOrigin()).isFalse();
        assertThat(policy.allowedOrigins()).containsExactly("https://a.example");
    }
}
