package org.switchboard.example;

import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.ProtocolHandlerProvider;

/**
 * Makes {@link ShoutProtocolHandler} discoverable. Deliberately not listed in this module's own
 * {@code META-INF/services}, so that discovery tests elsewhere do not pick it up by accident:
 * {@code DiscoveryTest} puts it on a class path of its own.
 */
public final class ShoutProvider implements ProtocolHandlerProvider {
    @Override
    public String protocol() {
        return "shout";
    }

    @Override
    public ProtocolHandler create() {
        return new ShoutProtocolHandler();
    }
}
