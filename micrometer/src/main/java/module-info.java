/**
 * Switchboard's upgrade metrics (SB6) as Micrometer meters: {@code SwitchboardMeters} counts every
 * upgrade outcome, gauges the open upgraded connections and times each negotiation in any
 * {@code MeterRegistry} (Prometheus, OTLP, JMX…).
 */
module org.switchboard.micrometer {
    requires transitive org.switchboard.core;
    requires transitive micrometer.core;

    exports org.switchboard.micrometer;
}
