package org.switchboard.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A total deadline for each request head on an HTTP/1.1 connection, against slowloris: Jetty's
 * idle timeout restarts with every byte, and {@code HttpConfiguration.minRequestDataRate} only
 * covers content the application reads. For a request that offers an upgrade and has a body, the
 * dispatcher reads that body before it switches, so the deadline covers the head and the body.
 * Built on Jetty's exported API only: a {@link Connection.Listener} that an
 * {@link HttpConnectionFactory} gives to each connection it makes ({@link #install}), which
 * attaches a {@link Watch} to the connection's attributes, where the dispatcher finds it from the
 * request ({@link #of}).
 *
 * <p>Jetty exposes no event for "a request's first byte arrived", only the count of bytes a
 * connection has read ({@link Connection#getBytesIn()}). So the watches are sampled every deadline
 * {@code T} while no request is being handled: no new bytes since the last sample is an idle
 * keep-alive connection, left to the idle timeout; new bytes mean a head began within the last
 * {@code T}, which gets one more {@code T}; if no head has arrived by then, the client gets
 * {@code 408 Request Timeout}. <b>Precision:</b> a head (with the body of an upgrade request) gets
 * at least {@code T} and less than {@code 2T} from its first byte, plus the scheduler's delay.
 * One task samples every open connection's watch together (a sweep every {@code T}, running while
 * any connection is open): a connection only joins and leaves a concurrent set, where a task of its
 * own would take the scheduler's lock on every open and close — the cost Netty and bare Jetty do not
 * pay per connection.
 *
 * <p>A head deadline passes while the connection has written nothing for this request, so the watch
 * writes the 408, with {@code Connection: close}, to the endpoint itself, shuts output (the client
 * reads the 408, then end of stream) and closes the connection {@link #LINGER} later: closing at
 * once, with the client's bytes still unread, would send a reset that can destroy the 408 before the
 * client reads it. A body deadline passes while the request is with the dispatcher, which answers
 * (see {@link Watch#timeBody}). A switched connection is never touched: switching closes the
 * HTTP/1.1 connection, which ends its watch.
 *
 * <p>Every request must be reported by the first Switchboard handler it reaches
 * ({@link Watch#headReceived}), so that an exchange in progress is never timed. A request that a
 * handler placed in front of Switchboard answers itself is only seen afterwards, in the
 * connection's request count, as a head that arrived; such a handler must not hold an exchange
 * that is still receiving bytes longer than the deadline.
 */
public final class HeadDeadline implements Connection.Listener {

    /** How long a timed-out connection, its 408 sent and output shut, is left for the client to read before it is closed. */
    static final Duration LINGER = Duration.ofSeconds(1);

    private static final String ATTRIBUTE = HeadDeadline.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(HeadDeadline.class);

    private final long timeoutMillis;
    /** The watches of the open connections: what a sweep samples. */
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    /** Whether a sweep is scheduled; none is while no connection is open. */
    private final AtomicBoolean sweeping = new AtomicBoolean();

    /** A deadline of {@code timeout}, which must be positive; milliseconds are its precision. */
    public HeadDeadline(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("the request head timeout must be positive: " + timeout);
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * Puts a deadline of {@code timeout} on every connection {@code factory} makes from now on,
     * unless it already has one.
     */
    public static void install(HttpConnectionFactory factory, Duration timeout) {
        if (factory.getEventListeners().stream().noneMatch(HeadDeadline.class::isInstance))
            factory.addEventListener(new HeadDeadline(timeout));
    }

    /** The deadline, in milliseconds. */
    public long getRequestHeadTimeout() {
        return timeoutMillis;
    }

    /** The watch on {@code request}'s connection, or {@code null} if it has none (HTTP/2, a connector without the deadline). */
    public static Watch of(Request request) {
        return request.getConnectionMetaData().getAttribute(ATTRIBUTE) instanceof Watch watch ? watch : null;
    }

    @Override
    public void onOpened(Connection connection) {
        // Jetty's HTTP/1.1 connection is its own metadata, attributes included; anything else is not watched.
        if (!(connection instanceof ConnectionMetaData metaData))
            return;
        Scheduler scheduler = metaData.getConnector().getScheduler();
        Watch watch = new Watch(connection, scheduler, metaData.getConnector().getExecutor());
        metaData.setAttribute(ATTRIBUTE, watch);
        watch.start();
        watches.add(watch);
        sweepLater(scheduler);
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof ConnectionMetaData metaData && metaData.getAttribute(ATTRIBUTE) instanceof Watch watch) {
            watch.close();
            watches.remove(watch);
        }
    }

    /** Schedules a sweep a deadline from now, unless one is scheduled. */
    private void sweepLater(Scheduler scheduler) {
        if (sweeping.compareAndSet(false, true))
            scheduler.schedule(() -> sweep(scheduler), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Samples every open connection's watch, then schedules the next sweep while any is open. */
    private void sweep(Scheduler scheduler) {
        try {
            for (Watch watch : watches) {
                try {
                    watch.sample();
                } catch (RuntimeException x) {
                    // One connection's failure (its 408 could not be written) must not leave the others untimed.
                    LOG.debug("request head deadline sample failed on {}", watch.connection, x);
                    watch.connection.getEndPoint().close(x);
                }
            }
        } finally {
            // The next sweep while any connection is open; one that opens from now on schedules its own.
            sweeping.set(false);
            if (!watches.isEmpty())
                sweepLater(scheduler);
        }
    }

    @Override
    public String toString() {
        return "HeadDeadline[" + timeoutMillis + " ms]";
    }

    /**
     * The deadline of one connection. It is told when a head arrives ({@link #headReceived}), when
     * an upgrade request's body is timed too ({@link #timeBody}, {@link #bodyReceived}), and, through
     * a wrapper of the request's {@link HttpStream}, when the exchange is complete.
     */
    public final class Watch implements Function<HttpStream, HttpStream> {

        private static final int WAITING = 0;   // no request being handled: sampling
        private static final int HANDLING = 1;  // a request is being handled: not timed
        private static final int BODY = 2;      // the dispatcher reads an upgrade request's body: still timed
        private static final int EXPIRED = 3;   // a head deadline passed: 408 written, closing
        private static final int CLOSED = 4;    // the connection closed or switched

        private final Connection connection;
        private final Scheduler scheduler;
        private final Executor executor;
        // All guarded by this. A request takes the lock twice (head, completion), uncontended but for a sample.
        private int state = WAITING;
        private boolean started;        // a head began more than one sample ago and has not arrived
        private long bytesIn;           // at the last sample or completion
        private long messagesIn;        // likewise
        private Runnable onBodyExpiry;

        private Watch(Connection connection, Scheduler scheduler, Executor executor) {
            this.connection = connection;
            this.scheduler = scheduler;
            this.executor = executor;
        }

        private synchronized void start() {
            bytesIn = connection.getBytesIn();
            messagesIn = connection.getMessagesIn();
        }

        /**
         * {@code request}'s head has arrived: the exchange is not timed until it completes (but see
         * {@link #timeBody}). Returns {@code false} if the deadline passed first: its 408 is written
         * and the connection is closing, so the request must not be answered — {@code callback} is
         * failed once the connection has closed, when nothing can be written over the 408.
         */
        public boolean headReceived(Request request, Callback callback) {
            synchronized (this) {
                if (state == EXPIRED) {
                    request.addFailureListener(callback::failed);
                    return false;
                }
                // HANDLING: told twice about this request; CLOSED: closing, nothing left to time.
                if (state != WAITING)
                    return true;
                state = HANDLING;
            }
            request.addHttpStreamWrapper(this);
            return true;
        }

        /**
         * The current request's body is read under the same deadline as its head, counted from the
         * head's first byte. If it is not read in time, {@code onExpiry} runs on the connector's
         * executor, unless {@link #bodyReceived()} was called first; it must answer 408 and make
         * sure that a body read that completes afterwards does nothing.
         */
        public synchronized void timeBody(Runnable onExpiry) {
            if (state != HANDLING)
                return;
            state = BODY;
            onBodyExpiry = onExpiry;
        }

        /** The body timed by {@link #timeBody} is read: the rest of the exchange is not timed. */
        public synchronized void bodyReceived() {
            if (state != BODY)
                return;
            state = HANDLING;
            onBodyExpiry = null;
        }

        /** Wraps the request's stream, to learn when the exchange is complete. */
        @Override
        public HttpStream apply(HttpStream stream) {
            return new Completion(stream);
        }

        /** The exchange is complete; bytes from now on belong to the next head. Called before Jetty recycles or switches. */
        private synchronized void completed() {
            if (state != HANDLING && state != BODY)
                return;
            state = WAITING;
            started = false;
            onBodyExpiry = null;
            bytesIn = connection.getBytesIn();
            messagesIn = connection.getMessagesIn();
        }

        private synchronized void close() {
            state = CLOSED;
            onBodyExpiry = null;
        }

        /** A sample, every deadline, by the sweep. */
        private void sample() {
            Runnable bodyExpired = null;
            synchronized (this) {
                if (state == CLOSED || state == EXPIRED)
                    return;
                if (state == BODY) {
                    // The head came before the body: it began at the latest when the body was timed.
                    if (started) {
                        state = HANDLING;
                        bodyExpired = onBodyExpiry;
                        onBodyExpiry = null;
                    } else {
                        started = true;
                    }
                } else if (state == WAITING) {
                    long bytes = connection.getBytesIn();
                    long messages = connection.getMessagesIn();
                    if (messages != messagesIn) {
                        // A request came and went without the dispatcher (a handler in front of it answered).
                        messagesIn = messages;
                        bytesIn = bytes;
                        started = false;
                    } else if (started) {
                        expire();
                        return;
                    } else if (bytes != bytesIn) {
                        bytesIn = bytes;
                        started = true;
                    }
                }
            }
            if (bodyExpired != null) {
                if (LOG.isDebugEnabled())
                    LOG.debug("upgrade request head and body not received within {} ms on {}: 408", timeoutMillis, connection);
                executor.execute(bodyExpired);
            }
        }

        /** Holding the lock, so that a head arriving now sees EXPIRED only once the 408 is on its way. */
        private void expire() {
            state = EXPIRED;
            EndPoint endPoint = connection.getEndPoint();
            if (endPoint.getConnection() != connection)
                return;
            if (LOG.isDebugEnabled())
                LOG.debug("request head not received within {} ms on {}: 408", timeoutMillis, connection);
            endPoint.write(Callback.from(() -> {
                endPoint.shutdownOutput();
                scheduler.schedule(endPoint::close, LINGER.toMillis(), TimeUnit.MILLISECONDS);
            }, endPoint::close), timeoutResponse());
        }

        private ByteBuffer timeoutResponse() {
            String body = "request head not received within " + timeoutMillis + " ms\n";
            String response = "HTTP/1.1 408 Request Timeout\r\n"
                + "Content-Type: text/plain;charset=utf-8\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + body;
            return ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8));
        }

        /** Tells the watch when the exchange is complete, before Jetty goes on (next request, or switch). */
        private final class Completion extends HttpStream.Wrapper {

            Completion(HttpStream stream) {
                super(stream);
            }

            @Override
            public void succeeded() {
                completed();
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                completed();
                super.failed(x);
            }
        }
    }
}
