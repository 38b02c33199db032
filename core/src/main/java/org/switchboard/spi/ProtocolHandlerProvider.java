package org.switchboard.spi;
import org.switchboard.Switchboard;

/**
 * Finds a {@link ProtocolHandler} on the classpath: list the implementation in
 * {@code META-INF/services/org.switchboard.spi.ProtocolHandlerProvider} (and {@code provides} in a
 * {@code module-info}) and {@link Switchboard.Builder#discoverHandlers()} picks it up — a jar adds a
 * protocol with no code. The provider is not the handler: it is instantiated by
 * {@link java.util.ServiceLoader} with its no-argument constructor, and builds the handler with
 * its defaults.
 */
public interface ProtocolHandlerProvider {

    /**
     * The protocol the created handler speaks; used to skip providers whose protocol is already registered.
     *
     * @return the same name as the created handler's {@link ProtocolHandler#protocol()}
     */
    String protocol();

    /**
     * A new handler with this provider's default configuration.
     *
     * @return a new handler; called at most once per {@link Switchboard.Builder#discoverHandlers()}
     */
    ProtocolHandler create();
}
