package org.switchboard.examples.linecount;

import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.ProtocolHandlerProvider;

/** Registers {@code linecount/1} with any Switchboard that discovers handlers. */
public final class LineCountProvider implements ProtocolHandlerProvider {
    @Override public String protocol() { return "linecount"; }
    @Override public ProtocolHandler create() { return new LineCountProtocolHandler(); }
}
