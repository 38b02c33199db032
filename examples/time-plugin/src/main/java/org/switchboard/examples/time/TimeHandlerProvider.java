package org.switchboard.examples.time;

import java.time.Clock;
import java.time.Duration;

import org.switchboard.ProtocolHandler;
import org.switchboard.ProtocolHandlerProvider;

/** Registers {@code time/1} with any Switchboard that discovers handlers: one tick a second. */
public final class TimeHandlerProvider implements ProtocolHandlerProvider {

    @Override
    public String protocol() {
        return "time";
    }

    @Override
    public ProtocolHandler create() {
        return new TimeHandler(Clock.systemUTC(), Duration.ofSeconds(1));
    }
}
