/**
 * Switchboard's {@link org.switchboard.UpgradeMetrics} and {@link org.switchboard.NegotiationListener}
 * bound to a Micrometer {@link io.micrometer.core.instrument.MeterRegistry}:
 * {@link org.switchboard.micrometer.SwitchboardMeters}.
 */
package org.switchboard.micrometer;
