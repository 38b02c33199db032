package org.switchboard.examples.time;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
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

    private final class TickingConnection extends UpgradedConnection implements Graceful {

        private final Scheduler scheduler;
        private final ByteBuffer discard = BufferUtil.allocate(256);
        private final AtomicBoolean writing = new AtomicBoolean();
        private volatile Scheduler.Task next;
        private volatile boolean shutdown;

        TickingConnection(SwitchContext context) {
            super(context.endPoint(), context.connector().getExecutor());
            this.scheduler = context.connector().getScheduler();
        }

        @Override
        public void onOpen() {
            super.onOpen();
            tick();
        }

        private void tick() {
            if (shutdown || !getEndPoint().isOpen())
                return;
            if (writing.compareAndSet(false, true)) {
                String line = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\n";
                getEndPoint().write(Callback.from(() -> writing.set(false), x -> close()), BufferUtil.toBuffer(line));
            }
            next = scheduler.schedule(this::tick, period.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void onFillable() {
            try {
                while (true) {
                    BufferUtil.clear(discard);
                    int n = fill(discard);
                    if (n == 0) {
                        fillInterested();
                        return;
                    }
                    if (n < 0) {
                        close();
                        return;
                    }
                }
            } catch (IOException x) {
                close();
            }
        }

        @Override
        public void onClose(Throwable cause) {
            Scheduler.Task task = next;
            if (task != null)
                task.cancel();
            super.onClose(cause);
        }

        @Override
        public CompletableFuture<Void> shutdown() {
            shutdown = true;
            CompletableFuture<Void> done = new CompletableFuture<>();
            Callback closeAfterwards = Callback.from(() -> {
                close();
                done.complete(null);
            }, x -> {
                close();
                done.complete(null);
            });
            if (writing.compareAndSet(false, true))
                getEndPoint().write(closeAfterwards, BufferUtil.toBuffer("bye\n"));
            else
                closeAfterwards.succeeded();
            return done;
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }
    }
}
