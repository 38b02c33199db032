package org.switchboard.relay;

import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.ProtocolHandlerProvider;

/**
 * Makes relay discoverable ({@code Switchboard.builder().discoverHandlers()}, listed in
 * {@code META-INF/services/org.switchboard.spi.ProtocolHandlerProvider}). A discovered relay has no
 * application to talk to, so it echoes every message back to its sender: a loopback peer for
 * clients to test against. An application registers its own {@link RelayProtocolHandler} with
 * {@code Switchboard.Builder.handler}, which discovery then leaves alone.
 */
public final class RelayProvider implements ProtocolHandlerProvider {

    @Override
    public String protocol() {
        return RelayProtocolHandler.PROTOCOL;
    }

    @Override
    public ProtocolHandler create() {
        return new RelayProtocolHandler(new RelayListener() {
            @Override
            public void onText(RelaySession session, String text) {
                session.sendText(text);
            }

            @Override
            public void onBinary(RelaySession session, java.nio.ByteBuffer data) {
                session.sendBinary(data);
            }
        });
    }
}
