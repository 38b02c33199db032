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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.spi.SwitchContext;
import org.switchboard.spi.UpgradedConnection;

/**
 * The server end of one relay connection, on core's {@link UpgradedConnection}: no thread is held
 * while the peer is quiet, and no buffer either — the connection reads into a pooled buffer only
 * while a frame is incomplete, and each frame written is a pooled buffer released once written.
 *
 * <p>Reading: the connection cuts frames with {@link FrameParser#frames} (bytes the client
 * pipelined with its upgrade request first, U10) and hands each to {@link FrameParser}, which calls
 * the {@link RelayListener}; in relay/2 one ACK answers the messages of each read. Writing: senders
 * on any thread queue frames on the connection's bounded writer; a frame that would take it over
 * {@link RelayConfig#maxQueuedBytes()} closes with 4001 instead (reading is not paused for a slow
 * reader: the protocol's answer to one is that close code). Closing follows PROTOCOL.md's state
 * machine: OPEN, CLOSING (our CLOSE sent, waiting for the peer's), DONE (no frame may follow and
 * nothing read is decoded: the final CLOSE is flushed, then the connection is closed if the peer's
 * CLOSE came, else our side of TCP is shut and the peer's end of stream awaited), CLOSED. Our
 * CLOSE is always the connection's last write, so it never waits for room in the queue. The
 * dispatcher's graceful stop is {@link #onGoodbye()} (CLOSE 1001).
 */
final class RelayConnection extends UpgradedConnection implements RelaySession, FrameParser.Sink {

    private static final Logger LOG = LoggerFactory.getLogger(RelayConnection.class);

    private enum State { OPEN, CLOSING, DONE, CLOSED }

    /**
     * Where a session starts (PROTOCOL.md, "Resume"): its token (null if it cannot be resumed),
     * whether it resumed, how many of our messages the peer had handled ({@code n}: our ids go on
     * from it) and how many of the peer's we hold ({@code m}: its ids go on from it).
     */
    record Start(String token, boolean resumed, long sent, long received) {
        static final Start FRESH = new Start(null, false, 0, 0);
    }

    private final int version;
    private final int peerMaxMessageSize;
    private final RelayListener listener;
    private final RelayConfig config;
    private final ByteBufferPool pool;
    private final FrameParser parser;
    private final Start start;
    /**
     * relay/2: our message ids and the client's ACKs under the lock (sends queue under it); our
     * ACKs on the reading thread, or under the lock in deferred-acknowledge mode.
     */
    private final AckWindow acks;
    /** The peer's messages delivered so far; written by the reading thread. */
    private volatile long received;
    /** Guarded by this: the peer's messages acknowledged so far. */
    private long acknowledged;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // Set by reads, cleared by the idle check: whether the PING we sent is still unanswered.
    private volatile boolean pingSent;

    // Guarded by this.
    private volatile State state = State.OPEN;
    private boolean closeReceived;
    private boolean outputDone;
    private boolean outputFinishing;
    private int closeCode;
    private String closeReason;
    private boolean closeNotified;

    RelayConnection(SwitchContext context, int version, int peerMaxMessageSize, RelayListener listener, RelayConfig config, Start start) {
        super(context, FrameParser.frames(version, config.maxMessageSize()), config.maxQueuedBytes());
        this.version = version;
        this.peerMaxMessageSize = peerMaxMessageSize;
        this.listener = listener;
        this.config = config;
        this.start = start;
        this.pool = context.connector().getByteBufferPool();
        this.acks = new AckWindow(start.sent(), start.received());
        this.received = start.received();
        this.acknowledged = start.received();
        this.parser = new FrameParser(version, config.maxMessageSize(), this, (int) start.received());
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

    // Reading: UpgradedConnection cuts the frames, on one thread at a time.

    @Override
    protected void onMessage(ByteBuffer frame) throws RelayProtocolException {
        parser.deliver(frame);
    }

    @Override
    protected void onReadComplete() {
        pingSent = false;
        if (!config.deferredAcknowledge())
            acknowledge();
    }

    @Override
    protected void onReadFailure(Throwable failure) {
        if (failure instanceof RelayProtocolException x) {
            LOG.debug("relay protocol error {}: {} {}", this, x.code(), x.getMessage());
            closeNow(x.code(), x.getMessage(), false);
        } else {
            LOG.debug("relay read failed {}", this, failure);
            getEndPoint().close(failure);
        }
    }

    @Override
    protected void onInputEnd(boolean truncated) {
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

    @Override
    protected boolean pausesReadsWhileBacklogged() {
        // A slow reader is answered by the protocol, with 4001, not by reading it less.
        return false;
    }

    /** relay/2: one cumulative ACK for every message delivered by this read. */
    private void acknowledge() {
        int id = parser.lastMessageId();
        if (version != 2 || !acks.acknowledge(id))
            return;
        boolean queued;
        synchronized (this) {
            acknowledged = received;
            if (state != State.OPEN)
                return;
            queued = queueAck(id);
        }
        if (!queued)
            refused();
    }

    /** Holds the lock. */
    private boolean queueAck(int id) {
        RetainableByteBuffer.Mutable frame = pool.acquire(RelayFrames.ACK_FRAME_LENGTH, true);
        RelayFrames.putAck(frame, id);
        return queue(frame);
    }

    @Override
    public void acknowledge(long count) {
        if (version != 2 || !config.deferredAcknowledge())
            throw new IllegalStateException("acknowledge is for relay/2 sessions in deferred-acknowledge mode");
        boolean queued;
        synchronized (this) {
            long received = this.received;
            if (count < acknowledged || count > received)
                throw new IllegalArgumentException("cannot acknowledge " + count + " messages: " + acknowledged
                    + " are acknowledged and " + received + " received");
            if (count == acknowledged)
                return;
            acknowledged = count;
            acks.acknowledge((int) count);
            if (state != State.OPEN)
                return;
            queued = queueAck((int) count);
        }
        if (!queued)
            refused();
    }

    // FrameParser.Sink: called from onMessage, on the reading thread.

    @Override
    public void onText(String text) {
        if (state != State.OPEN)
            return;
        received++;
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
        received++;
        try {
            listener.onBinary(this, data.asReadOnlyBuffer());
        } catch (Throwable x) {
            applicationFailed("onBinary", x);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        boolean queued;
        synchronized (this) {
            // After our CLOSE nothing may follow it, a PONG neither.
            if (state != State.OPEN)
                return;
            RetainableByteBuffer.Mutable frame = pool.acquire(HEADER_LENGTH + payload.remaining(), true);
            RelayFrames.putControl(frame, RelayFrames.PONG, payload);
            queued = queue(frame);
        }
        if (!queued)
            refused();
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
        boolean finish;
        synchronized (this) {
            closeReceived = true;
            State was = state;
            if (was != State.CLOSED)
                state = State.DONE;
            if (was == State.OPEN) {
                recordClose(code, reason);
                // Echo the code: the peer learns its CLOSE arrived and was understood.
                queueClose(code, "", false);
            }
            finish = outputDone;
        }
        discardInput();
        notifyClosed();
        if (finish)
            finishOutput();
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
    public String sessionToken() {
        return start.token();
    }

    @Override
    public boolean resumed() {
        return start.resumed();
    }

    @Override
    public long peerReceivedAtResume() {
        return start.resumed() ? start.sent() : 0;
    }

    @Override
    public long received() {
        return received;
    }

    @Override
    public long sent() {
        synchronized (this) {
            return acks.sent();
        }
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
        boolean queued;
        synchronized (this) {
            if (state != State.OPEN)
                return false;
            // Ids are taken and frames queued under one lock, so that they go out in id order.
            RetainableByteBuffer.Mutable frame = pool.acquire(frameLength, true);
            RelayFrames.putMessage(frame, type, version, acks.nextId(), data);
            queued = queue(frame);
        }
        if (!queued)
            refused();
        return queued;
    }

    @Override
    public void close(int code, String reason) {
        if (!CloseCode.isValid(code))
            throw new IllegalArgumentException("not a close code that may be sent: " + code);
        synchronized (this) {
            if (state != State.OPEN)
                return;
            recordClose(code, reason);
            state = State.CLOSING;
            queueClose(code, reason, false);
        }
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public SocketAddress remoteAddress() {
        return getEndPoint().getRemoteSocketAddress();
    }

    // Goodbye: the dispatcher's graceful stop reaches every upgraded connection here.

    @Override
    protected CompletableFuture<Void> onGoodbye() {
        close(CloseCode.GOING_AWAY, "server shutting down");
        // Said once the client answers (or the connection ends): PROTOCOL.md section 5.
        return closed;
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        boolean closeNow;
        boolean queued = true;
        synchronized (this) {
            // A closing handshake or a linger that did not finish in time: let Jetty close.
            if (state != State.OPEN)
                return true;
            closeNow = pingSent;
            if (!closeNow) {
                RetainableByteBuffer.Mutable frame = pool.acquire(HEADER_LENGTH, true);
                RelayFrames.putControl(frame, RelayFrames.PING, BufferUtil.EMPTY_BUFFER);
                queued = queue(frame);
                pingSent = true;
            }
        }
        if (closeNow)
            closeNow(CloseCode.IDLE_TIMEOUT, "idle timeout", false);
        else if (!queued)
            refused();
        // Returning false keeps the endpoint open; Jetty restarts the idle timer.
        return false;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        synchronized (this) {
            state = State.CLOSED;
        }
        notifyClosed();
        closed.complete(null);
    }

    /**
     * The final close: queues CLOSE (unless ours is already out) and nothing may follow it, nor is
     * anything read decoded. Used for protocol errors, a full queue and idle timeouts, where
     * waiting for the peer's CLOSE would only prolong the trouble.
     */
    private void closeNow(int code, String reason, boolean dropQueued) {
        boolean finish = done(code, reason, dropQueued);
        notifyClosed();
        if (finish)
            finishOutput();
    }

    /**
     * The part of {@link #closeNow} that calls no application code, so that it may run under the
     * lock (a full queue is found under it).
     *
     * @return whether our CLOSE was already written (we were CLOSING), so the output must be finished now
     */
    private boolean done(int code, String reason, boolean dropQueued) {
        boolean finish;
        synchronized (this) {
            State was = state;
            if (was == State.DONE || was == State.CLOSED)
                return false;
            state = State.DONE;
            if (was == State.OPEN) {
                recordClose(code, reason);
                queueClose(code, reason, dropQueued);
            }
            finish = outputDone;
        }
        discardInput();
        return finish;
    }

    /** The bytes waiting would go over {@link RelayConfig#maxQueuedBytes()}: 4001, what waits is dropped. */
    @Override
    protected void onOutboundFull(int bytes) {
        // Runs inside a send, maybe under the lock: the listener hears of it from refused().
        done(CloseCode.SLOW_CONSUMER, "outbound queue full", true);
    }

    /** A frame was not queued: if that made the connection final, the listener hears of it now, outside the lock. */
    private void refused() {
        if (state == State.DONE)
            notifyClosed();
    }

    private void applicationFailed(String callback, Throwable x) {
        LOG.warn("relay listener {} failed on {}", callback, this, x);
        closeNow(CloseCode.INTERNAL_ERROR, "internal error", false);
    }

    /** Queues {@code frame}, released once written or dropped. */
    private boolean queue(RetainableByteBuffer.Mutable frame) {
        return write(frame.getByteBuffer(), Callback.from(frame::release, x -> frame.release()));
    }

    /** Holds the lock: our CLOSE, the connection's last write. */
    private void queueClose(int code, String reason, boolean dropQueued) {
        byte[] bytes = RelayFrames.closeReason(reason);
        RetainableByteBuffer.Mutable frame = pool.acquire(RelayFrames.closeFrameLength(bytes), true);
        RelayFrames.putClose(frame, code, bytes);
        writeLast(frame.getByteBuffer(), dropQueued).whenComplete((ignored, failure) -> frame.release());
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

    /** Everything, our CLOSE included, is written. */
    @Override
    protected void onOutputFinished() {
        boolean finish;
        synchronized (this) {
            outputDone = true;
            // CLOSING: the peer's CLOSE is still to come; onClose finishes then.
            finish = state == State.DONE || state == State.CLOSED;
        }
        if (finish)
            finishOutput();
    }

    /** Our CLOSE is written and no frame may follow it, either way. */
    private void finishOutput() {
        boolean closeAtOnce;
        synchronized (this) {
            if (outputFinishing)
                return;
            outputFinishing = true;
            // After its CLOSE the peer sends nothing (PROTOCOL.md section 4), so nothing unread can
            // make closing a reset: as RFC 6455 5.5.1 has a server do, close now instead of
            // waiting, with the connection's buffers and a selector turn, for the peer's FIN.
            closeAtOnce = closeReceived;
        }
        if (closeAtOnce)
            getEndPoint().close();
        else
            // Our CLOSE went first (an error, a full queue, an idle peer): the peer may still be
            // sending, and closing with unread input would make TCP reset the connection and the
            // peer could lose our CLOSE. FIN after the CLOSE, then read until the peer's FIN.
            super.onOutputFinished();
    }

    @Override
    public String toConnectionString() {
        return String.format("%s@%x[relay/%d,%s]", getClass().getSimpleName(), hashCode(), version, state);
    }
}
