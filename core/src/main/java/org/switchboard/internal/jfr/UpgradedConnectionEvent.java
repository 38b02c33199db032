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

    private static final UpgradedConnectionEvent PROBE = new UpgradedConnectionEvent();

    @Label("Protocol")
    @Description("The registered protocol the connection speaks")
    String protocol;

    @Label("Remote Address")
    String remoteAddress;

    private UpgradedConnectionEvent() {
    }

    /** A begun event for {@code connection}, or {@code null} when no recording wants it (nothing allocated). */
    public static UpgradedConnectionEvent begin(String protocol, Connection connection) {
        if (!PROBE.isEnabled())
            return null;
        UpgradedConnectionEvent event = new UpgradedConnectionEvent();
        event.protocol = protocol;
        event.remoteAddress = String.valueOf(connection.getEndPoint().getRemoteSocketAddress());
        event.begin();
        return event;
    }

    /** Ends and commits {@code event} (from {@link #begin}) as its connection closes; nothing for {@code null}. */
    public static void closed(UpgradedConnectionEvent event) {
        if (event != null)
            event.commit();
    }
}
