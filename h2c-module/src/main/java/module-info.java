/**
 * HTTP/2 over cleartext ({@code Upgrade: h2c}, RFC 7540 §3.2, and prior knowledge) as a Switchboard
 * protocol, on Jetty's HTTP/2 server. Provides the {@code h2c} handler to {@link java.util.ServiceLoader}.
 */
module org.switchboard.h2c {
    requires transitive org.switchboard.core;
    requires transitive org.eclipse.jetty.http2.server;

    exports org.switchboard.h2c;

    provides org.switchboard.spi.ProtocolHandlerProvider with org.switchboard.h2c.H2cProvider;
}
