package org.switchboard.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.eclipse.jetty.io.Connection;

/**
 * One connection switched to a protocol, begun when Jetty hands it the endpoint after the 101 and
 * committed when it closes: the event's duration is the connection's lifetime. A connection that
 * opened before a recording started is not recorded by it.
 */
@Name(UpgradedConnectionEvent.NAME)
@Label("Upgraded Connection")
@Category("Switchboard")
@Description("A connection switched to a protocol by Switchboard, from the hand-over after the 101 to its close")
@StackTrace(false)
public final class UpgradedConnectionEvent extends Event {

    /** The event's name in a recording. */
    public static final String NAME = "org.switchboard.UpgradedConnection";

    @Label("Protocol")
    @Description("The registered protocol the connection speaks")
    String protocol;

    @Label("Remote Address")
    String remoteAddress;

    private UpgradedConnectionEvent() {
    }

    /** A begun event for {@code connection}, or {@code null} when no recording wants it (nothing allocated); call through {@link FlightRecording}. */
    static UpgradedConnectionEvent begin(String protocol, Connection connection) {
        if (!Probe.EVENT.isEnabled())
            return null;
        UpgradedConnectionEvent event = new UpgradedConnectionEvent();
        event.protocol = protocol;
        event.remoteAddress = String.valueOf(connection.getEndPoint().getRemoteSocketAddress());
        event.begin();
        return event;
    }

    /** Asks whether the type is enabled, never committed. */
    private static final class Probe {
        static final UpgradedConnectionEvent EVENT = new UpgradedConnectionEvent();
    }

    /** Ends and commits this event (from {@link #begin}) as its connection closes. */
    void closed() {
        commit();
    }
}
