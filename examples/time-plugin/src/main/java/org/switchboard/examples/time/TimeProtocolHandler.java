package org.switchboard.examples.time;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.SwitchContext;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.UpgradedConnection;
import org.switchboard.spi.Verdict;

/**
 * {@code time/1}: after the 101 the server pushes the current UTC time as an ISO-8601 line
 * ({@code 2026-11-23T19:36:25Z\n}) once a period, until the client closes; what the client sends
 * is ignored. A reader that falls behind misses ticks rather than making the server buffer them.
 * On a graceful stop the server sends {@code bye\n} and closes.
 */
public final class TimeProtocolHandler implements ProtocolHandler {

    private final Clock clock;
    private final Duration period;

    public TimeProtocolHandler(Clock clock, Duration period) {
        this.clock = clock;
        this.period = period;
    }

    @Override
    public String protocol() {
        return "time";
    }

    @Override
    public List<String> versions() {
        return List.of("1");
    }

    @Override
    public Verdict negotiate(UpgradeOffer offer, Request request) {
        return Verdict.accept("time/1", TickingConnection::new);
    }

    /** Reads nothing it is sent (the default onMessage drops it) and writes a tick only when the last one is out. */
    private final class TickingConnection extends UpgradedConnection {

        private final Scheduler scheduler;
        private volatile Scheduler.Task next;

        TickingConnection(SwitchContext context) {
            super(context);
            this.scheduler = context.connector().getScheduler();
        }

        @Override
        public void onOpen() {
            super.onOpen();
            tick();
        }

        private void tick() {
            if (isShutdown() || !getEndPoint().isOpen())
                return;
            // A reader that falls behind misses ticks rather than making the server queue them.
            if (queuedBytes() == 0)
                write(BufferUtil.toBuffer(clock.instant().truncatedTo(ChronoUnit.SECONDS) + "\n"));
            next = scheduler.schedule(this::tick, period.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        protected CompletableFuture<Void> onGoodbye() {
            return writeLast(BufferUtil.toBuffer("bye\n"));
        }

        @Override
        public void onClose(Throwable cause) {
            Scheduler.Task task = next;
            if (task != null)
                task.cancel();
            super.onClose(cause);
        }
    }
}
