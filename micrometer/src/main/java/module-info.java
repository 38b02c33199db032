/**
 * Switchboard's upgrade metrics (SB6) as Micrometer meters: {@code SwitchboardMeters} counts every
 * upgrade outcome, gauges the open upgraded connections and times each negotiation in any
 * {@code MeterRegistry} (Prometheus, OTLP, JMX…).
 */
// Micrometer ships as an automatic module (micrometer.core); its types are in this module's API,
// so applications must read it: requires transitive, whatever javac thinks of automatic modules.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module org.switchboard.micrometer {
    requires transitive org.switchboard.core;
    requires transitive micrometer.core;

    exports org.switchboard.micrometer;
}
