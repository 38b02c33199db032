package org.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.switchboard.UpgradePolicy;

/** Routes speak Jetty's path-spec language, with Jetty's precedence (SB3: the policy a path gets). */
class UpgradeRoutesTest {

    private static final UpgradePolicy EXACT = UpgradePolicy.required("exact");
    private static final UpgradePolicy PREFIX = UpgradePolicy.required("prefix");
    private static final UpgradePolicy LONGER = UpgradePolicy.required("longer");
    private static final UpgradePolicy SUFFIX = UpgradePolicy.required("suffix");
    private static final UpgradePolicy REGEX = UpgradePolicy.required("regex");
    private static final UpgradePolicy TEMPLATE = UpgradePolicy.required("template");

    @Test
    void SB3_everyFormOfPathSpecWithJettysPrecedence() {
        UpgradeRoutes routes = UpgradeRoutes.DEFAULT
            .with("/api/*", PREFIX)
            .with("/api/chat/*", LONGER)
            .with("/api/exact", EXACT)
            .with("*.ws", SUFFIX)
            .with("^/r/[0-9]+$", REGEX)
            .with("uri-template|/rooms/{room}/live", TEMPLATE);

        assertThat(routes.policyFor("/api/exact")).isSameAs(EXACT);
        assertThat(routes.policyFor("/api")).isSameAs(PREFIX);
        assertThat(routes.policyFor("/api/other")).isSameAs(PREFIX);
        assertThat(routes.policyFor("/api/chat/room")).isSameAs(LONGER);
        assertThat(routes.policyFor("/feed.ws")).isSameAs(SUFFIX);
        assertThat(routes.policyFor("/r/42")).isSameAs(REGEX);
        assertThat(routes.policyFor("/rooms/lobby/live")).isSameAs(TEMPLATE);
        assertThat(routes.policyFor("/elsewhere")).isSameAs(UpgradePolicy.OPTIONAL_ANY);
        assertThat(routes.withFallback(EXACT).policyFor("/elsewhere")).isSameAs(EXACT);
    }

    @Test
    void SB3_aSpecSetAgainReplacesItsPolicy() {
        assertThat(UpgradeRoutes.DEFAULT.with("/chat", EXACT).with("/chat", PREFIX).policyFor("/chat")).isSameAs(PREFIX);
    }

    @Test
    void SB3_somethingThatIsNoPathSpecIsRefusedWhenTheRouteIsSet() {
        assertThatThrownBy(() -> UpgradeRoutes.DEFAULT.with("chat", EXACT))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a path spec: 'chat'");
    }
}
