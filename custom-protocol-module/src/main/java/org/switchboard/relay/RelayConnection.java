package org.switchboard.relay;

import static org.switchboard.relay.RelayFrames.HEADER_LENGTH;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.spi.SwitchContext;
import org.switchboard.spi.UpgradedConnection;

/**
 * The server end of one relay connection, on Jetty's non-blocking {@code EndPoint}: no thread is
 * held while the peer is quiet, and no buffer either — the read buffer comes from the connector's
 * {@link ByteBufferPool} when bytes arrive and goes back when every frame in it is handled, the
 * outbound queue exists only while frames wait to be written.
 *
 * <p>Reading: {@link #onFillable()} fills the read buffer (bytes the client pipelined with its
 * upgrade request first, U10), lets {@link FrameParser} hand complete frames to the
 * {@link RelayListener}, and in relay/2 acknowledges them with one ACK per read. Writing: senders
 * on any thread append frames to a bounded {@link RetainableByteBuffer.DynamicCapacity}; the
 * {@link Flusher} writes it as one gathering write while the next batch collects. Closing follows
 * PROTOCOL.md's state machine: OPEN, CLOSING (our CLOSE sent, waiting for the peer's), DONE (no
 * frame may follow: the final CLOSE is flushed, then the connection is closed if the peer's CLOSE
 * came, else our side of TCP is shut and the peer's end of stream awaited), CLOSED.
 * {@link Graceful#shutdown()} is the dispatcher's way in (CLOSE 1001).
 */
final class RelayConnection extends UpgradedConnection implements RelaySession, Graceful, FrameParser.Sink {

    private static final Logger LOG = LoggerFactory.getLogger(RelayConnection.class);
    private static final int READ_BUFFER_SIZE = 4096;
    /** Room kept in the queue so that a CLOSE always fits, even when data frames filled it. */
    private static final int CLOSE_HEADROOM = HEADER_LENGTH + RelayFrames.MAX_CONTROL_PAYLOAD;
    /** Bytes read and dropped after the final CLOSE while waiting for the peer's end of stream. */
    private static final int MAX_LINGER_BYTES = 64 * 1024;

    private enum State { OPEN, CLOSING, DONE, CLOSED }

    private final int version;
    private final int peerMaxMessageSize;
    private final RelayListener listener;
    private final RelayConfig config;
    private final ByteBufferPool pool;
    private final FrameParser parser;
    private final Flusher flusher = new Flusher();
    /** relay/2: our message ids and the client's ACKs under the lock (sends queue under it), our ACKs on the reading thread. */
    private final AckWindow acks = new AckWindow();
    /**
     * Reads never block: the parser and the listener callbacks, whose contract forbids blocking,
     * are all they run. Saying so lets Jetty's selector run them itself instead of waking a pool
     * thread for every read, a hand-off that costs more than the read itself.
     */
    private final Callback readCallback = Callback.from(InvocationType.NON_BLOCKING, this::onFillable, this::onFillInterestedFailed);

    // Read side: only the thread in onFillable touches these (Jetty runs one at a time).
    private RetainableByteBuffer.Mutable readBuffer;
    private int frameNeeds = HEADER_LENGTH;
    private int lingered;

    // Set by reads, cleared by the idle check: whether the PING we sent is still unanswered.
    private volatile boolean pingSent;

    // Guarded by this.
    private volatile State state = State.OPEN;
    private RetainableByteBuffer.Mutable queue;
    private boolean inputEnded;
    private boolean closeReceived;
    private boolean outputDone;
    private int closeCode;
    private String closeReason;
    private boolean closeNotified;
    private CompletableFuture<Void> shutdown;

    RelayConnection(SwitchContext context, int version, int peerMaxMessageSize, RelayListener listener, RelayConfig config) {
        super(context.endPoint(), context.connector().getExecutor());
        this.version = version;
        this.peerMaxMessageSize = peerMaxMessageSize;
        this.listener = listener;
        this.config = config;
        this.pool = context.connector().getByteBufferPool();
        this.parser = new FrameParser(version, config.maxMessageSize(), this);
    }

    @Override
    public void onOpen() {
        getEndPoint().setIdleTimeout(config.idleTimeout().toMillis());
        // The application hears of the session before its first message can arrive.
        try {
            listener.onOpen(this);
        } catch (Throwable x) {
            applicationFailed("onOpen", x);
        }
        super.onOpen();
    }

    @Override
    public void onFillable() {
        try {
            while (true) {
                ByteBuffer buffer = readSpace();
                int filled = fill(buffer);
                if (filled > 0) {
                    pingSent = false;
                    if (state == State.DONE || state == State.CLOSED) {
                        if (!linger(buffer, filled))
                            return;
                    } else {
                        parse(buffer);
                    }
                } else if (filled == 0) {
                    if (!buffer.hasRemaining())
                        releaseReadBuffer();
                    fillInterested();
                    return;
                } else {
                    endOfInput();
                    return;
                }
            }
        } catch (Throwable x) {
            LOG.debug("relay read failed {}", this, x);
            releaseReadBuffer();
            getEndPoint().close(x);
        }
    }

    /** The read buffer, made ready to receive the rest of the frame the parser waits for. */
    private ByteBuffer readSpace() {
        if (readBuffer == null)
            readBuffer = pool.acquire(Math.max(READ_BUFFER_SIZE, frameNeeds), true);
        ByteBuffer buffer = readBuffer.getByteBuffer();
        if (buffer.capacity() < frameNeeds) {
            // A frame bigger than the buffer: move what we have of it to one that fits it whole.
            RetainableByteBuffer.Mutable bigger = pool.acquire(frameNeeds, true);
            bigger.append(buffer);
            readBuffer.release();
            readBuffer = bigger;
            buffer = bigger.getByteBuffer();
        } else if (buffer.position() + frameNeeds > buffer.capacity()) {
            BufferUtil.compact(buffer);
        }
        return buffer;
    }

    private void parse(ByteBuffer buffer) {
        try {
            frameNeeds = parser.parse(buffer);
        } catch (RelayProtocolException x) {
            LOG.debug("relay protocol error {}: {} {}", this, x.code(), x.getMessage());
            BufferUtil.clear(buffer);
            closeNow(x.code(), x.getMessage(), false);
            return;
        }
        acknowledge();
        if (!buffer.hasRemaining())
            BufferUtil.clear(buffer);
    }

    /** After the final CLOSE nothing read counts; a peer that keeps sending is cut off. */
    private boolean linger(ByteBuffer buffer, int filled) {
        BufferUtil.clear(buffer);
        lingered += filled;
        if (lingered <= MAX_LINGER_BYTES)
            return true;
        releaseReadBuffer();
        getEndPoint().close();
        return false;
    }

    private void endOfInput() {
        boolean truncated = readBuffer != null && readBuffer.hasRemaining() && state != State.DONE;
        releaseReadBuffer();
        synchronized (this) {
            inputEnded = true;
        }
        if (truncated && state == State.OPEN) {
            // The peer may have shut only its output: tell it why before closing.
            closeNow(CloseCode.PROTOCOL_ERROR, "truncated frame", false);
            return;
        }
        boolean waitForFlush;
        synchronized (this) {
            waitForFlush = state == State.DONE && !outputDone;
        }
        if (!waitForFlush)
            getEndPoint().close();
    }

    private void releaseReadBuffer() {
        if (readBuffer != null) {
            readBuffer.release();
            readBuffer = null;
        }
    }

    @Override
    public void fillInterested() {
        fillInterested(readCallback);
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        // No onFillable is running when fill interest fails, so the read buffer is ours to release.
        releaseReadBuffer();
        super.onFillInterestedFailed(cause);
    }

    /** relay/2: one cumulative ACK for every message delivered by this read. */
    private void acknowledge() {
        int id = parser.lastMessageId();
        if (version != 2 || !acks.acknowledge(id))
            return;
        boolean full;
        synchronized (this) {
            if (state != State.OPEN)
                return;
            RetainableByteBuffer.Mutable out = reserve(RelayFrames.ACK_FRAME_LENGTH);
            full = out == null;
            if (!full)
                RelayFrames.putAck(out, id);
        }
        if (full)
            slowConsumer();
        else
            flusher.iterate();
    }

    // FrameParser.Sink: called from parse(), on the reading thread.

    @Override
    public void onText(String text) {
        if (state != State.OPEN)
            return;
        try {
            listener.onText(this, text);
        } catch (Throwable x) {
            applicationFailed("onText", x);
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        if (state != State.OPEN)
            return;
        try {
            listener.onBinary(this, data.asReadOnlyBuffer());
        } catch (Throwable x) {
            applicationFailed("onBinary", x);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        boolean full;
        synchronized (this) {
            if (state == State.DONE || state == State.CLOSED)
                return;
            RetainableByteBuffer.Mutable out = reserve(HEADER_LENGTH + payload.remaining());
            full = out == null;
            if (!full)
                RelayFrames.putControl(out, RelayFrames.PONG, payload);
        }
        if (full)
            slowConsumer();
        else
            flusher.iterate();
    }

    @Override
    public void onPong(ByteBuffer payload) {
        // Any byte read already cleared pingSent; a PONG needs nothing more.
    }

    @Override
    public void onAck(int id) throws RelayProtocolException {
        long acknowledged;
        synchronized (this) {
            acknowledged = acks.onAck(id);
        }
        if (acknowledged < 0)
            return;
        try {
            listener.onAcknowledged(this, acknowledged);
        } catch (Throwable x) {
            applicationFailed("onAcknowledged", x);
        }
    }

    @Override
    public void onClose(int code, String reason) {
        synchronized (this) {
            closeReceived = true;
            if (state == State.OPEN) {
                recordClose(code, reason);
                // Echo the code: the peer learns its CLOSE arrived and was understood.
                queueClose(code, "");
            }
            if (state != State.CLOSED)
                state = State.DONE;
        }
        notifyClosed();
        flusher.iterate();
    }

    // RelaySession: any thread.

    @Override
    public int version() {
        return version;
    }

    @Override
    public int peerMaxMessageSize() {
        return peerMaxMessageSize;
    }

    @Override
    public boolean sendText(String text) {
        return send(RelayFrames.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public boolean sendBinary(ByteBuffer data) {
        return send(RelayFrames.BINARY, data);
    }

    private boolean send(byte type, ByteBuffer data) {
        int frameLength = RelayFrames.messageFrameLength(version, data, peerMaxMessageSize);
        boolean full;
        synchronized (this) {
            if (state != State.OPEN)
                return false;
            RetainableByteBuffer.Mutable out = reserve(frameLength);
            full = out == null;
            if (!full)
                RelayFrames.putMessage(out, type, version, acks.nextId(), data);
        }
        if (full) {
            // Outside the lock: closing notifies the listener.
            slowConsumer();
            return false;
        }
        flusher.iterate();
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (!CloseCode.isValid(code))
            throw new IllegalArgumentException("not a close code that may be sent: " + code);
        synchronized (this) {
            if (state != State.OPEN)
                return;
            recordClose(code, reason);
            queueClose(code, reason);
            state = State.CLOSING;
        }
        flusher.iterate();
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public SocketAddress remoteAddress() {
        return getEndPoint().getRemoteSocketAddress();
    }

    // Graceful: the dispatcher's shutdown reaches every upgraded connection here.

    @Override
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done;
        synchronized (this) {
            if (shutdown == null)
                shutdown = new CompletableFuture<>();
            done = shutdown;
            if (state == State.CLOSED)
                done.complete(null);
        }
        close(CloseCode.GOING_AWAY, "server shutting down");
        return done;
    }

    @Override
    public boolean isShutdown() {
        return state != State.OPEN;
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        boolean closeNow;
        synchronized (this) {
            // A closing handshake or a linger that did not finish in time: let Jetty close.
            if (state != State.OPEN)
                return true;
            closeNow = pingSent;
            if (!closeNow) {
                RetainableByteBuffer.Mutable out = reserve(HEADER_LENGTH);
                if (out == null)
                    closeNow = true;
                else
                    RelayFrames.putControl(out, RelayFrames.PING, BufferUtil.EMPTY_BUFFER);
                pingSent = true;
            }
        }
        if (closeNow)
            closeNow(CloseCode.IDLE_TIMEOUT, "idle timeout", false);
        else
            flusher.iterate();
        // Returning false keeps the endpoint open; Jetty restarts the idle timer.
        return false;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        CompletableFuture<Void> done;
        synchronized (this) {
            state = State.CLOSED;
            if (queue != null) {
                queue.release();
                queue = null;
            }
            done = shutdown;
        }
        notifyClosed();
        if (done != null)
            done.complete(null);
    }

    /**
     * The final close: queues CLOSE (unless ours is already out) and nothing may follow it. Used
     * for protocol errors, a full queue and idle timeouts, where waiting for the peer's CLOSE would
     * only prolong the trouble.
     */
    private void closeNow(int code, String reason, boolean dropQueued) {
        synchronized (this) {
            if (state == State.DONE || state == State.CLOSED)
                return;
            if (dropQueued && queue != null) {
                queue.release();
                queue = null;
            }
            if (state == State.OPEN) {
                recordClose(code, reason);
                queueClose(code, reason);
            }
            state = State.DONE;
        }
        notifyClosed();
        flusher.iterate();
    }

    private void slowConsumer() {
        closeNow(CloseCode.SLOW_CONSUMER, "outbound queue full", true);
    }

    private void applicationFailed(String callback, Throwable x) {
        LOG.warn("relay listener {} failed on {}", callback, this, x);
        closeNow(CloseCode.INTERNAL_ERROR, "internal error", false);
    }

    /** Room for a frame of {@code frameLength} in the queue, or null if the queue is full. Holds the lock. */
    private RetainableByteBuffer.Mutable reserve(int frameLength) {
        if (queue == null)
            queue = new RetainableByteBuffer.DynamicCapacity(pool, true, config.maxQueuedBytes() + CLOSE_HEADROOM);
        return queue.space() - CLOSE_HEADROOM >= frameLength ? queue : null;
    }

    /** Holds the lock. */
    private void queueClose(int code, String reason) {
        if (queue == null)
            queue = new RetainableByteBuffer.DynamicCapacity(pool, true, config.maxQueuedBytes() + CLOSE_HEADROOM);
        byte[] bytes = RelayFrames.closeReason(reason);
        RelayFrames.putClose(queue, code, bytes);
    }

    /** Holds the lock. */
    private void recordClose(int code, String reason) {
        closeCode = code;
        closeReason = reason == null ? "" : reason;
    }

    private void notifyClosed() {
        int code;
        String reason;
        synchronized (this) {
            if (closeNotified)
                return;
            closeNotified = true;
            code = closeCode == 0 ? CloseCode.ABNORMAL : closeCode;
            reason = closeCode == 0 ? "connection lost" : closeReason;
        }
        try {
            listener.onClose(this, code, reason);
        } catch (Throwable x) {
            LOG.warn("relay listener onClose failed on {}", this, x);
        }
    }

    /** Everything, the final CLOSE included, is written. */
    private void outputFinished() {
        boolean inputDone;
        synchronized (this) {
            outputDone = true;
            // After its CLOSE the peer sends nothing (PROTOCOL.md section 4), so nothing unread can
            // make closing a reset: as RFC 6455 5.5.1 has a server do, close now instead of
            // waiting, with the connection's buffers and a selector turn, for the peer's FIN.
            inputDone = inputEnded || closeReceived;
        }
        if (inputDone) {
            getEndPoint().close();
        } else {
            // Our CLOSE went first (an error, a full queue, an idle peer): the peer may still be
            // sending, and closing with unread input would make TCP reset the connection and the
            // peer could lose our CLOSE. FIN after the CLOSE, then read until the peer's FIN.
            getEndPoint().shutdownOutput();
        }
    }

    @Override
    public String toConnectionString() {
        return String.format("%s@%x[relay/%d,%s]", getClass().getSimpleName(), hashCode(), version, state);
    }

    /** Writes the queue as it collects, one gathering write at a time, without recursion. */
    private final class Flusher extends IteratingCallback {

        private RetainableByteBuffer writing;

        @Override
        protected Action process() {
            boolean finished;
            synchronized (RelayConnection.this) {
                writing = queue;
                queue = null;
                finished = writing == null && state == State.DONE;
            }
            if (writing != null) {
                writing.writeTo(getEndPoint(), false, this);
                return Action.SCHEDULED;
            }
            return finished ? Action.SUCCEEDED : Action.IDLE;
        }

        @Override
        protected void onSuccess() {
            release();
        }

        @Override
        protected void onCompleteSuccess() {
            outputFinished();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            release();
            getEndPoint().close(cause);
        }

        private void release() {
            if (writing != null) {
                writing.release();
                writing = null;
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
