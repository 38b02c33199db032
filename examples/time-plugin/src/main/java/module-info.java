/**
 * The {@code time/1} example plugin: a protocol a server gets by putting this jar on its module or
 * class path, with no code of its own. It exports nothing: the handler is reached only as a service.
 */
module org.switchboard.examples.time {
    requires org.switchboard.core;

    provides org.switchboard.spi.ProtocolHandlerProvider with org.switchboard.examples.time.TimeProvider;
}
