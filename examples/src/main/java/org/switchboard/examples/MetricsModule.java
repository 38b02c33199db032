package org.switchboard.examples;

import com.google.inject.AbstractModule;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.switchboard.Switchboard;
import org.switchboard.micrometer.SwitchboardMeters;

/**
 * The sample's metrics: one Prometheus registry, bound for {@code GET /metrics}, with Switchboard's
 * meters in it. {@link #installOn} puts them on the Switchboard builder, in {@code SwitchboardModule}'s
 * settings, where nothing is injected.
 */
final class MetricsModule extends AbstractModule {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SwitchboardMeters meters = SwitchboardMeters.bind(registry);

    /** Makes Switchboard count into the registry: its metrics (so {@code /health} too) and its negotiation listener. */
    void installOn(Switchboard.Builder builder) {
        meters.installOn(builder);
    }

    @Override
    protected void configure() {
        bind(PrometheusMeterRegistry.class).toInstance(registry);
    }
}
