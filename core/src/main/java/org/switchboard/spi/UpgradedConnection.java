package org.switchboard.spi;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.internal.OutboundQueue;

/**
 * The base of the connection a {@link Verdict.Switch} opens: it reads, writes and says goodbye
 * for the protocol, which only says what a message means. Extend it and override
 * {@link #onMessage}; call {@link #write} from any thread.
 *
 * <h2>Reading</h2>
 * The connection reads into a buffer from the connector's pool (held only while a message is
 * incomplete), bytes the client sent with its upgrade request first — often in the same TCP write,
 * before it saw the 101 — so none are lost (U4, U10). With a {@link MessageReader} each whole
 * message ({@link MessageReader#lines lines}, {@link MessageReader#frames frames}) goes to
 * {@link #onMessage}, however the bytes were split; without one, each chunk read does. Then
 * {@link #onReadComplete()}. A message over the reader's maximum, or anything
 * {@link #onMessage} throws, goes to {@link #onReadFailure} (default: close), and nothing more is
 * decoded. The end of the client's stream goes to {@link #onInputEnd} (default: finish writing,
 * then close).
 *
 * <h2>Writing</h2>
 * {@link #write} queues bytes from any thread; they are written in call order, one gathering
 * write at a time, and each write's callback completes once its bytes are written — never by
 * recursion, however many writes complete at once, so a callback may write again. The bytes
 * waiting to be written (not counting the batch being written) are bounded by
 * {@code maxQueuedBytes} (default {@value #DEFAULT_MAX_QUEUED_BYTES} bytes): a write that would go
 * over it is refused and {@link #onOutboundFull} runs (default: close), where a protocol closes
 * with its own code. Unless {@link #pausesReadsWhileBacklogged()} says otherwise, reading pauses
 * while more than half the bound is queued and resumes once all is written, so a protocol that
 * answers what it reads never outruns a slow reader. {@link #writeLast} writes a goodbye:
 * nothing is written after it, and once it is out {@link #onOutputFinished()} ends the connection.
 *
 * <h2>Goodbye and threads</h2>
 * A graceful stop of the dispatcher ({@link ProtocolHandler#shutdown}) runs {@link #onGoodbye()}
 * once (default: {@code writeLast(null)}, finishing what is queued). Reads and read callbacks run
 * on one thread at a time; {@link #onMessage}, {@link #onReadComplete()} and write callbacks must
 * not block: with a connection that does not override {@link #onFillable()},
 * {@link #getInvocationType()} is {@code NON_BLOCKING}, so Jetty runs reads on its selector thread
 * without a hand-off. Override it to return {@code BLOCKING} if yours may block. {@link #close()}
 * closes the connection from anywhere, callbacks included (any queued bytes are dropped; use
 * {@link #writeLast} to say goodbye first).
 */
public abstract class UpgradedConnection extends AbstractConnection implements Connection.UpgradeTo, Graceful, Invocable {

    /** The default bound of the bytes waiting to be written: 1 MiB. */
    public static final int DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(UpgradedConnection.class);
    private static final int READ_BUFFER_BYTES = 4096;
    /** Bytes read and dropped after the protocol stopped reading, waiting for the client's end of stream. */
    private static final int MAX_DISCARDED_BYTES = 64 * 1024;
    /** Whether a connection class reads by itself: then nothing is known about its reads. */
    private static final ClassValue<Boolean> READS_ITSELF = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("onFillable").getDeclaringClass() != UpgradedConnection.class;
            } catch (NoSuchMethodException x) {
                throw new IllegalStateException(x);
            }
        }
    };

    private final ByteBufferPool pool;
    private final MessageReader reader;
    private final int maxQueuedBytes;
    private final OutboundQueue outbound;
    private final InvocationType invocationType;
    private final AtomicBoolean readsPaused = new AtomicBoolean();
    private final AtomicBoolean goodbyeStarted = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Jetty's own read callback says it may block; this one asks the connection. */
    private final Callback fillable = new Callback() {
        @Override
        public void succeeded() {
            onFillable();
        }

        @Override
        public void failed(Throwable cause) {
            onFillInterestedFailed(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return UpgradedConnection.this.getInvocationType();
        }
    };

    // Set once before onOpen, cleared once drained: reads after that skip the lock.
    private volatile ByteBuffer leftover;
    private volatile boolean discarding;
    private volatile boolean inputEnded;
    private volatile boolean outputFinished;
    private volatile CompletableFuture<Void> goodbye;

    // Only the thread reading touches these (Jetty runs one onFillable at a time).
    private RetainableByteBuffer.Mutable readBuffer;
    private int discarded;

    /**
     * A connection that reads by itself: it overrides {@link #onFillable()} and reads with
     * {@link #fill(ByteBuffer)}, calling {@link #fillInterested()} when it returns 0. Writing and
     * goodbye work as described above, with the default bound.
     *
     * @param endPoint the endpoint it takes over
     * @param executor where reads that wait for nothing run (the connector's executor)
     */
    protected UpgradedConnection(EndPoint endPoint, Executor executor) {
        this(endPoint, executor, ByteBufferPool.NON_POOLING, null, DEFAULT_MAX_QUEUED_BYTES);
    }

    /**
     * A connection that hands each chunk read to {@link #onMessage}, with the default bound.
     *
     * @param context what the verdict's opener was given
     */
    protected UpgradedConnection(SwitchContext context) {
        this(context, null, DEFAULT_MAX_QUEUED_BYTES);
    }

    /**
     * A connection that hands each message {@code reader} cuts to {@link #onMessage}, with the default bound.
     *
     * @param context what the verdict's opener was given
     * @param reader  cuts the input into messages; a new one per connection
     */
    protected UpgradedConnection(SwitchContext context, MessageReader reader) {
        this(context, reader, DEFAULT_MAX_QUEUED_BYTES);
    }

    /**
     * A connection that hands each message {@code reader} cuts to {@link #onMessage} (each chunk
     * read if {@code reader} is {@code null}).
     *
     * @param context        what the verdict's opener was given
     * @param reader         cuts the input into messages, a new one per connection; {@code null} for chunks
     * @param maxQueuedBytes the bytes that may wait to be written, at least 1 (see the class description)
     * @throws IllegalArgumentException if {@code maxQueuedBytes} is under 1
     */
    protected UpgradedConnection(SwitchContext context, MessageReader reader, int maxQueuedBytes) {
        this(context.endPoint(), context.connector().getExecutor(), context.connector().getByteBufferPool(), reader, maxQueuedBytes);
    }

    private UpgradedConnection(EndPoint endPoint, Executor executor, ByteBufferPool pool, MessageReader reader, int maxQueuedBytes) {
        super(endPoint, executor);
        this.pool = pool;
        this.reader = reader;
        this.maxQueuedBytes = maxQueuedBytes;
        this.outbound = new OutboundQueue(endPoint, maxQueuedBytes, new OutboundQueue.Owner() {
            @Override
            public void onDrained() {
                resumeReads();
            }

            @Override
            public void onFinished() {
                outputFinished = true;
                onOutputFinished();
            }

            @Override
            public void onWriteFailed(Throwable cause) {
                LOG.debug("write failed on {}", UpgradedConnection.this, cause);
                getEndPoint().close(cause);
            }
        });
        this.invocationType = READS_ITSELF.get(getClass()) ? InvocationType.BLOCKING : InvocationType.NON_BLOCKING;
    }

    @Override
    public final void onUpgradeTo(ByteBuffer buffer) {
        if (BufferUtil.hasContent(buffer)) {
            // Jetty may recycle the buffer it hands over: keep our own copy.
            leftover = BufferUtil.allocate(buffer.remaining());
            BufferUtil.append(leftover, buffer);
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        if (hasLeftover())
            getExecutor().execute(this::onFillable);
        else
            fillInterested();
    }

    /**
     * Fills {@code buffer} (in Jetty's flush mode, as {@link EndPoint#fill}) with the bytes the
     * client sent with its upgrade request, then with bytes from the endpoint. For connections that
     * read by themselves.
     *
     * @param buffer where to append the bytes
     * @return the number of bytes filled, 0 if none are available now, -1 at end of stream
     * @throws IOException if the endpoint cannot be read
     */
    protected int fill(ByteBuffer buffer) throws IOException {
        if (leftover != null) {
            synchronized (this) {
                ByteBuffer pending = leftover;
                if (pending != null) {
                    int n = BufferUtil.append(buffer, pending);
                    if (!pending.hasRemaining())
                        leftover = null;
                    if (n > 0)
                        return n;
                }
            }
        }
        return getEndPoint().fill(buffer);
    }

    /**
     * Whether bytes the client sent with its upgrade request are still unread.
     *
     * @return true until {@link #fill} has handed them all out
     */
    protected boolean hasLeftover() {
        return leftover != null;
    }

    // Reading.

    /** Reads as the class description says; a connection may override it to read by itself. */
    @Override
    public void onFillable() {
        try {
            while (true) {
                if (!discarding && backlogged() && pauseReads())
                    return;
                ByteBuffer buffer = readSpace();
                int filled = fill(buffer);
                if (filled > 0) {
                    if (!(discarding ? discard(buffer, filled) : deliver(buffer))) {
                        releaseReadBuffer();
                        return;
                    }
                } else if (filled == 0) {
                    if (!buffer.hasRemaining())
                        releaseReadBuffer();
                    fillInterested();
                    return;
                } else {
                    boolean truncated = !discarding && buffer.hasRemaining();
                    releaseReadBuffer();
                    inputEnded = true;
                    onInputEnd(truncated);
                    return;
                }
            }
        } catch (Throwable x) {
            LOG.debug("read failed on {}", this, x);
            releaseReadBuffer();
            getEndPoint().close(x);
        }
    }

    /**
     * Receives one message: a line or frame cut by the connection's {@link MessageReader}, or the
     * chunk read if it has none. The buffer is a view of the read buffer, valid only during the
     * call: copy what must outlive it (what is {@linkplain #write written} included). Runs on the
     * reading thread; must not block. Does nothing by default (the bytes are dropped).
     *
     * @param message the message's bytes, between position and limit
     * @throws Exception to stop reading: the exception goes to {@link #onReadFailure}
     */
    protected void onMessage(ByteBuffer message) throws Exception {
        // Dropped.
    }

    /** Runs after the messages of one read were handed to {@link #onMessage}: a place to acknowledge them in one go. */
    protected void onReadComplete() {
        // Nothing by default.
    }

    /**
     * The client's input could not be read on: a message over the reader's maximum or a refused
     * frame ({@link ProtocolException}, with a one-line reason fit for the peer), or whatever
     * {@link #onMessage} threw. Nothing more is decoded from this connection: after this returns,
     * what the client sends is dropped ({@link #discardInput()}) unless the connection is closed.
     * Closes the connection by default; a protocol overrides it to send its own close code first
     * (with {@link #writeLast}).
     *
     * @param failure why: a {@link ProtocolException} for the input, else what {@link #onMessage} threw
     */
    protected void onReadFailure(Throwable failure) {
        LOG.debug("closing {}: {}", this, failure.toString());
        close();
    }

    /**
     * The client ended its stream (it may still read). By default, finishes writing what is queued
     * (as {@code writeLast(null)}) and then closes.
     *
     * @param truncated whether it ended in the middle of a message
     */
    protected void onInputEnd(boolean truncated) {
        if (!outbound.addLast(null, Callback.NOOP, false) && outputFinished)
            close();
    }

    /**
     * From now on bytes read are dropped, not decoded, and the connection closes at the client's
     * end of stream or after 64 KiB more: for a protocol that has said its last word and waits for
     * the client to go, without letting it send forever. The idle timeout bounds the wait.
     */
    protected void discardInput() {
        discarding = true;
        resumeReads();
    }

    /**
     * Whether the client has ended its stream.
     *
     * @return true once a read returned the end of stream
     */
    protected boolean isInputEnded() {
        return inputEnded;
    }

    private ByteBuffer readSpace() {
        int needs = reader == null ? READ_BUFFER_BYTES : Math.max(READ_BUFFER_BYTES, reader.needs());
        if (readBuffer == null)
            readBuffer = pool.acquire(needs, true);
        ByteBuffer buffer = readBuffer.getByteBuffer();
        if (buffer.capacity() < needs) {
            // A message bigger than the buffer: move what we have of it to one that fits it whole.
            RetainableByteBuffer.Mutable bigger = pool.acquire(needs, true);
            bigger.append(buffer);
            readBuffer.release();
            readBuffer = bigger;
            buffer = bigger.getByteBuffer();
        } else if (buffer.limit() == buffer.capacity() || buffer.position() + needs > buffer.capacity()) {
            BufferUtil.compact(buffer);
        }
        return buffer;
    }

    /** @return whether to read on */
    private boolean deliver(ByteBuffer buffer) {
        try {
            if (reader == null) {
                onMessage(buffer);
            } else {
                ByteBuffer message;
                while (!discarding && getEndPoint().isOpen() && (message = reader.next(buffer)) != null)
                    onMessage(message);
            }
            if (discarding || reader == null || !buffer.hasRemaining())
                BufferUtil.clear(buffer);
            if (!getEndPoint().isOpen())
                return false;
            onReadComplete();
        } catch (Throwable x) {
            BufferUtil.clear(buffer);
            onReadFailure(x);
            if (!discarding && getEndPoint().isOpen())
                discardInput();
        }
        return getEndPoint().isOpen();
    }

    /** @return whether to read on */
    private boolean discard(ByteBuffer buffer, int filled) {
        BufferUtil.clear(buffer);
        discarded += filled;
        if (discarded <= MAX_DISCARDED_BYTES)
            return true;
        getEndPoint().close();
        return false;
    }

    private void releaseReadBuffer() {
        if (readBuffer != null) {
            readBuffer.release();
            readBuffer = null;
        }
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        // No onFillable is running when fill interest fails, so the read buffer is ours to release.
        releaseReadBuffer();
        super.onFillInterestedFailed(cause);
    }

    /**
     * Whether reading pauses while more than half of {@code maxQueuedBytes} waits to be written.
     * True by default: a protocol that answers what it reads then cannot be made to queue without
     * bound by a client that does not read. A protocol whose own rules answer a slow reader (a
     * close code) returns false and handles {@link #onOutboundFull}.
     *
     * @return whether reads pause while the queue is backlogged; true by default
     */
    protected boolean pausesReadsWhileBacklogged() {
        return true;
    }

    private boolean backlogged() {
        return pausesReadsWhileBacklogged() && outbound.queuedBytes() > maxQueuedBytes / 2;
    }

    /** @return whether reads stay paused; if not, the caller reads on */
    private boolean pauseReads() {
        readsPaused.set(true);
        // The queue may have drained meanwhile: whoever clears the flag reads.
        return backlogged() || !readsPaused.compareAndSet(true, false);
    }

    private void resumeReads() {
        if (readsPaused.compareAndSet(true, false) && getEndPoint().isOpen()) {
            if (hasLeftover())
                getExecutor().execute(this::onFillable);
            else
                fillInterested();
        }
    }

    // Writing.

    /**
     * As {@link #write(ByteBuffer, Callback)} with no callback.
     *
     * @param bytes the bytes, between position and limit; not to be changed until written
     * @return whether the bytes were queued
     */
    protected final boolean write(ByteBuffer bytes) {
        return write(bytes, Callback.NOOP);
    }

    /**
     * Queues {@code bytes} to be written after everything queued before; any thread. The buffer
     * must not be changed until {@code written} completes.
     *
     * @param bytes   the bytes, between position and limit
     * @param written succeeded once the bytes are written; failed if they are not queued or the
     *                connection closes first. Completed once, on a thread that must not block,
     *                possibly before this returns
     * @return whether the bytes were queued: false if they would take the queue over its bound
     *         ({@link #onOutboundFull} has then run), or after {@link #writeLast} or a close
     */
    protected final boolean write(ByteBuffer bytes, Callback written) {
        OutboundQueue.Added added = outbound.add(bytes, written);
        if (added == OutboundQueue.Added.FULL)
            onOutboundFull(bytes.remaining());
        return added == OutboundQueue.Added.QUEUED;
    }

    /**
     * As {@link #writeLast(ByteBuffer, boolean)}, after everything queued.
     *
     * @param bytes the last bytes, or {@code null} for none
     * @return completes once they are written
     */
    protected final CompletableFuture<Void> writeLast(ByteBuffer bytes) {
        return writeLast(bytes, false);
    }

    /**
     * Queues the last bytes this connection writes ({@code null} for none): not counted against the
     * bound, and no write is taken after them. Once they and everything before them are written,
     * {@link #onOutputFinished()} runs.
     *
     * @param bytes         the last bytes, or {@code null} for none
     * @param discardQueued drop what waits to be written (its callbacks fail), so that the last
     *                      bytes go next: for a close that must not wait behind a backlog
     * @return completes once the bytes are written; exceptionally if they cannot be (a last write
     *         was already queued, or the connection closed)
     */
    protected final CompletableFuture<Void> writeLast(ByteBuffer bytes, boolean discardQueued) {
        Callback.Completable done = new Callback.Completable();
        outbound.addLast(bytes, done, discardQueued);
        return done;
    }

    /**
     * The bytes queued and not yet written (the batch being written included). Any thread.
     *
     * @return bytes queued, at most {@code maxQueuedBytes} plus the batch being written and the last write
     */
    protected final long queuedBytes() {
        return outbound.queuedBytes();
    }

    /**
     * A write of {@code bytes} bytes was refused: it would have taken the bytes waiting over
     * {@code maxQueuedBytes}. Runs on the writing thread, before {@link #write} returns false.
     * Closes the connection by default; a protocol overrides it to close with its own code, e.g.
     * {@code writeLast(closeFrame, true)}.
     *
     * @param bytes the size of the write refused
     */
    protected void onOutboundFull(int bytes) {
        LOG.debug("closing {}: outbound queue full, {} more bytes refused", this, bytes);
        close();
    }

    /**
     * Everything up to the {@linkplain #writeLast last write} is written. By default: closes the
     * connection if the client has ended its stream; otherwise shuts the output (the client sees
     * the end of stream) and {@linkplain #discardInput() drops input} until the client's end of
     * stream — closing with unread input would make TCP reset the connection, and the client
     * could lose the last bytes.
     */
    protected void onOutputFinished() {
        if (inputEnded) {
            close();
        } else {
            getEndPoint().shutdownOutput();
            discardInput();
        }
    }

    // Goodbye.

    /**
     * Says goodbye when the dispatcher stops gracefully; runs once. By default writes what is
     * queued and finishes ({@code writeLast(null)}).
     *
     * @return completes once the goodbye is said (written, or answered if the protocol waits for
     *         an answer); the dispatcher's stop waits for it, up to the server's stop timeout, and
     *         then closes what is still open
     */
    protected CompletableFuture<Void> onGoodbye() {
        return writeLast(null);
    }

    /** Runs {@link #onGoodbye()} once (Jetty's {@link Graceful}, how the dispatcher reaches it). */
    @Override
    public final CompletableFuture<Void> shutdown() {
        if (goodbyeStarted.compareAndSet(false, true)) {
            CompletableFuture<Void> said;
            try {
                said = onGoodbye();
            } catch (Throwable x) {
                LOG.debug("goodbye failed on {}", this, x);
                said = CompletableFuture.failedFuture(x);
            }
            // A goodbye that cannot be said (the connection is closing anyway) must not fail the stop.
            goodbye = said.exceptionally(failure -> null);
        }
        CompletableFuture<Void> said = goodbye;
        return said != null ? said : closed;
    }

    @Override
    public final boolean isShutdown() {
        return goodbyeStarted.get();
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        outbound.fail(cause != null ? cause : new ClosedChannelException());
        closed.complete(null);
    }

    /**
     * Whether {@link #onFillable()} may block, which tells Jetty whether it may run reads on its
     * selector thread: {@code NON_BLOCKING} when the connection reads through this class (its
     * callbacks must not block), {@code BLOCKING} when it overrides {@link #onFillable()}.
     */
    @Override
    public InvocationType getInvocationType() {
        return invocationType;
    }

    /** Asks for {@link #onFillable()} when bytes arrive, on a thread fit for {@link #getInvocationType()}. */
    @Override
    public void fillInterested() {
        fillInterested(fillable);
    }
}
