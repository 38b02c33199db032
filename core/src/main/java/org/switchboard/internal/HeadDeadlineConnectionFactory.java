package org.switchboard.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's HTTP/1.1 connection factory with a total deadline for each request head (issue 13,
 * item 2: slowloris). Jetty 12.1 has none: its idle timeout restarts with every byte, and
 * {@code HttpConfiguration.minRequestDataRate} only covers content the application reads. So each
 * connection is Jetty's own {@link HttpConnection} with a parser handler that arms a deadline on
 * the {@link Scheduler} at the first byte of a request ({@code messageBegin} with bytes buffered)
 * and cancels it when the head is complete — or, for a request that offers an upgrade
 * ({@code Connection: upgrade}) and has a body, when the body is complete, since the dispatcher
 * reads that body before it switches.
 *
 * <p>When a head deadline passes, the connection has not written anything for this request, so the
 * deadline writes {@code 408 Request Timeout} with {@code Connection: close} itself, shuts output
 * (the client reads the 408, then end of stream) and closes the connection {@link #LINGER} later —
 * closing at once, with the client's bytes still unread, would send a reset that can destroy the
 * 408 before the client reads it. When a body deadline passes the request is with the dispatcher:
 * it is failed through Jetty ({@code HttpChannel.onFailure}) with a 408, which Jetty answers and
 * closes.
 */
public final class HeadDeadlineConnectionFactory extends HttpConnectionFactory {

    /** How long a timed-out connection, its 408 sent and output shut, is left for the client to read before it is closed. */
    static final Duration LINGER = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(HeadDeadlineConnectionFactory.class);

    private final long timeoutMillis;

    public HeadDeadlineConnectionFactory(HttpConfiguration configuration, Duration timeout) {
        super(configuration);
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("the request head timeout must be positive: " + timeout);
        this.timeoutMillis = timeout.toMillis();
    }

    /** A factory like {@code original} (same configuration, buffers and listeners) with the deadline. */
    public static HeadDeadlineConnectionFactory replacing(HttpConnectionFactory original, Duration timeout) {
        HeadDeadlineConnectionFactory factory = new HeadDeadlineConnectionFactory(original.getHttpConfiguration(), timeout);
        factory.setInputBufferSize(original.getInputBufferSize());
        factory.setUseInputDirectByteBuffers(original.isUseInputDirectByteBuffers());
        factory.setUseOutputDirectByteBuffers(original.isUseOutputDirectByteBuffers());
        factory.setTransferEncodingChunkMaxLength(original.getTransferEncodingChunkMaxLength());
        original.getEventListeners().forEach(factory::addEventListener);
        return factory;
    }

    /** The deadline, in milliseconds. */
    public long getRequestHeadTimeout() {
        return timeoutMillis;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        DeadlineConnection connection = new DeadlineConnection(getHttpConfiguration(), connector, endPoint);
        connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
        connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    private final class DeadlineConnection extends HttpConnection {

        private static final int IDLE = 0;      // between requests, or handling one
        private static final int HEAD = 1;      // receiving a head: deadline armed
        private static final int BODY = 2;      // receiving an upgrade request's body: deadline still armed
        private static final int EXPIRED = 3;   // the deadline passed

        private final AtomicInteger state = new AtomicInteger(IDLE);
        private final Scheduler scheduler;
        private volatile Scheduler.Task deadline;
        private boolean offersUpgrade; // parser thread only

        DeadlineConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
            this.scheduler = connector.getScheduler();
        }

        @Override
        protected RequestHandler newRequestHandler() {
            // Called by HttpConnection's constructor: this class's fields are not set yet, so only use them in callbacks.
            return new RequestHandler() {
                @Override
                public void messageBegin() {
                    super.messageBegin();
                    offersUpgrade = false;
                    // The parser begins a message also when there is nothing to parse yet; wait for a byte.
                    if (!isRequestBufferEmpty() && state.compareAndSet(IDLE, HEAD))
                        deadline = scheduler.schedule(DeadlineConnection.this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
                }

                @Override
                public void parsedHeader(HttpField field) {
                    if (field.getHeader() == HttpHeader.CONNECTION && field.contains("upgrade"))
                        offersUpgrade = true;
                    super.parsedHeader(field);
                }

                @Override
                public boolean headerComplete() {
                    if (offersUpgrade && getParser().hasContent())
                        state.compareAndSet(HEAD, BODY);
                    else if (state.compareAndSet(HEAD, IDLE))
                        cancel();
                    // If the deadline has just passed, its 408 is on its way and the connection closes:
                    // whatever the application writes for this request fails.
                    return super.headerComplete();
                }

                @Override
                public boolean messageComplete() {
                    if (state.compareAndSet(BODY, IDLE) || state.compareAndSet(HEAD, IDLE))
                        cancel();
                    return super.messageComplete();
                }
            };
        }

        private void cancel() {
            Scheduler.Task task = deadline;
            if (task != null)
                task.cancel();
        }

        private void expire() {
            if (state.compareAndSet(HEAD, EXPIRED)) {
                if (LOG.isDebugEnabled())
                    LOG.debug("request head not received within {} ms on {}: 408", timeoutMillis, this);
                EndPoint endPoint = getEndPoint();
                endPoint.write(Callback.from(() -> {
                    endPoint.shutdownOutput();
                    scheduler.schedule(endPoint::close, LINGER.toMillis(), TimeUnit.MILLISECONDS);
                }, failure -> endPoint.close(failure)), timeoutResponse("request head"));
            } else if (state.compareAndSet(BODY, EXPIRED)) {
                if (LOG.isDebugEnabled())
                    LOG.debug("upgrade request body not received within {} ms on {}: 408", timeoutMillis, this);
                Runnable task = getHttpChannel().onFailure(new HttpException.RuntimeException(HttpStatus.REQUEST_TIMEOUT_408,
                    "request head and body not received within " + timeoutMillis + " ms"));
                if (task != null)
                    getExecutor().execute(task);
            }
        }

        private ByteBuffer timeoutResponse(String what) {
            String body = what + " not received within " + timeoutMillis + " ms\n";
            String response = "HTTP/1.1 408 Request Timeout\r\n"
                + "Content-Type: text/plain;charset=utf-8\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + body;
            return ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void onClose(Throwable cause) {
            cancel();
            super.onClose(cause);
        }

        @Override
        public String toConnectionString() {
            return super.toConnectionString() + String.format(Locale.ROOT, "[head deadline %d ms]", timeoutMillis);
        }
    }
}
