package org.switchboard.h2c;

import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.ProtocolHandlerProvider;
import org.switchboard.Switchboard;

/**
 * Lets {@link org.switchboard.Switchboard.Builder#discoverHandlers()} find the h2c handler on the
 * classpath ({@code META-INF/services/org.switchboard.spi.ProtocolHandlerProvider}), with
 * {@link H2cConfig#DEFAULT}. Rules: H1–H4 (see {@link H2cProtocolHandler}).
 */
public final class H2cProvider implements ProtocolHandlerProvider {

    @Override
    public String protocol() {
        return H2cProtocolHandler.PROTOCOL;
    }

    @Override
    public ProtocolHandler create() {
        return new H2cProtocolHandler();
    }
}
