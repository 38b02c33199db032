/**
 * Switchboard's core: HTTP/1.1 protocol upgrade negotiation ({@code 101 Switching Protocols},
 * RFC 9110 §7.8) on Jetty 12.
 *
 * <p>{@code org.switchboard} is what an application assembles ({@code Switchboard}, routes' policies,
 * limits, metrics); {@code org.switchboard.spi} is what a protocol author implements or receives
 * ({@code ProtocolHandler}, {@code Verdict}, {@code UpgradedConnection}…); {@code org.switchboard.guice}
 * binds handlers with Guice, which stays optional. {@code org.switchboard.internal} is not API: it
 * is exported only to the Switchboard module that shares its path language and error answers
 * ({@code org.switchboard.websocket}). Handlers are found with
 * {@link java.util.ServiceLoader} from {@code ProtocolHandlerProvider}s declared here with
 * {@code provides} or, on the class path, in {@code META-INF/services}.
 */
module org.switchboard.core {
    requires transitive org.eclipse.jetty.server;
    requires transitive org.slf4j;
    requires static com.google.guice;
    // Flight Recorder events (org.switchboard.internal.jfr), built only while a recording wants them.
    requires jdk.jfr;

    exports org.switchboard;
    exports org.switchboard.spi;
    exports org.switchboard.guice;
    exports org.switchboard.internal to org.switchboard.websocket;

    uses org.switchboard.spi.ProtocolHandlerProvider;
}
