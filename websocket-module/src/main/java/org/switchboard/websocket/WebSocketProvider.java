package org.switchboard.websocket;

import java.util.ServiceLoader;

import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.ProtocolHandlerProvider;

/**
 * Makes the {@code websocket} handler discoverable by {@code Switchboard.Builder.discoverHandlers()}:
 * the handler it creates serves every endpoint that a {@link WebSocketEndpoints} on the class path
 * contributes (found with the thread's context class loader). A handler registered explicitly with
 * {@code Switchboard.Builder.handler} wins over this one.
 */
public final class WebSocketProvider implements ProtocolHandlerProvider {

    @Override
    public String protocol() {
        return WebSocketProtocolHandler.PROTOCOL;
    }

    @Override
    public ProtocolHandler create() {
        WebSocketProtocolHandler.Builder builder = WebSocketProtocolHandler.builder();
        for (WebSocketEndpoints source : ServiceLoader.load(WebSocketEndpoints.class, Thread.currentThread().getContextClassLoader()))
            builder.endpoints(source.endpoints());
        return builder.build();
    }
}
