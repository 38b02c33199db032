package org.switchboard.examples;

import com.google.inject.AbstractModule;
import org.switchboard.guice.SwitchboardModule;
import org.switchboard.h2c.H2cProtocolHandler;

/** h2c in the sample: every HTTP endpoint (the page, /events, /messages, /health) also over HTTP/2. */
public final class H2cModule extends AbstractModule {

    @Override
    protected void configure() {
        SwitchboardModule.addHandler(binder()).toInstance(new H2cProtocolHandler());
    }
}
