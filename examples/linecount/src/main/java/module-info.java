/**
 * The {@code linecount/1} example protocol, README's protocol-author example: found as a service,
 * it exports nothing.
 */
module org.switchboard.examples.linecount {
    requires org.switchboard.core;

    provides org.switchboard.spi.ProtocolHandlerProvider with org.switchboard.examples.linecount.LineCountProvider;
}
