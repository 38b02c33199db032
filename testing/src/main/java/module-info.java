/**
 * Switchboard's test kit for protocol authors: {@code org.switchboard.testing}.
 *
 * <p>An in-memory server on Jetty's {@code LocalConnector} ({@code InMemoryServer}), a real server
 * on an ephemeral port of 127.0.0.1 ({@code TestServer}) with its JUnit 5 extension
 * ({@code SwitchboardServerExtension}), and a raw upgrade client over a real socket
 * ({@code RawUpgradeClient}). JUnit Jupiter and jqwik are static dependencies: only the extension
 * needs JUnit and only {@code Fuzz} needs jqwik, so a tool can use the raw client without either. {@code org.switchboard.testing.internal} is not API.
 */
module org.switchboard.testing {
    requires transitive org.switchboard.core;
    requires transitive org.eclipse.jetty.server;
    requires jdk.management;
    requires transitive org.eclipse.jetty.http2.client;
    requires transitive org.eclipse.jetty.http2.server;
    requires static transitive org.junit.jupiter.api;
    requires static transitive net.jqwik.api;

    exports org.switchboard.testing;
}
