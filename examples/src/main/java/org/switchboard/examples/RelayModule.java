package org.switchboard.examples;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import org.switchboard.guice.SwitchboardModule;
import org.switchboard.relay.RelayConfig;
import org.switchboard.relay.RelayProtocolHandler;

/** relay in the sample: the room over {@code relay/2} (resumable) or {@code relay/1} on {@code /relay}. */
public final class RelayModule extends AbstractModule {

    @Override
    protected void configure() {
        SwitchboardModule.addHandler(binder()).to(RelayProtocolHandler.class);
    }

    @Provides
    @Singleton
    RelayProtocolHandler relay(ChatRoom room) {
        // The room's limit, announced in Relay-Max-Message-Size; over it: 1009. relay/2 sessions
        // resume over the room's session records, each message acknowledged once it is stored.
        RelayMembers members = new RelayMembers(room);
        return new RelayProtocolHandler(members,
            RelayConfig.DEFAULT.withMaxMessageSize(ChatRoom.MAX_INCOMING_BYTES).withDeferredAcknowledge(true), members);
    }
}
