/**
 * {@code relay/1} and {@code relay/2} (PROTOCOL.md): Switchboard's own framed, bidirectional
 * protocol, its server side on Jetty's connections and its client. Provides the {@code relay}
 * handler to {@link java.util.ServiceLoader}.
 */
module org.switchboard.relay {
    requires transitive org.switchboard.core;

    exports org.switchboard.relay;

    provides org.switchboard.spi.ProtocolHandlerProvider with org.switchboard.relay.RelayProvider;
}
