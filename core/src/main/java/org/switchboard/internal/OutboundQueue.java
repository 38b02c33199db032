package org.switchboard.internal;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * The writes of one connection, in call order, one gathering write at a time: what
 * {@code UpgradedConnection.write} stands on. Any thread may add; whatever is waiting when a write
 * completes goes out as the next batch, from a loop (Jetty's {@link IteratingCallback}), so writes
 * that complete at once never recurse, and each write's callback is completed once its bytes are
 * written — outside any lock, so a callback may write again.
 *
 * <p>The bound counts the bytes waiting, not the batch being written. A final write (see
 * {@link #addLast}) is not counted: it is one goodbye, after which nothing is taken.
 */
public final class OutboundQueue extends IteratingCallback {

    /** What {@link #add} did with the bytes. */
    public enum Added { QUEUED, FULL, FINISHED }

    private record Write(ByteBuffer bytes, Callback callback) {
    }

    /** Told what the queue cannot tell its connection through a return value. */
    public interface Owner {
        /** Nothing is waiting or being written any more. */
        void onDrained();

        /** Everything up to and including the final write is written. */
        void onFinished();

        /** A write failed: the connection is broken. */
        void onWriteFailed(Throwable cause);
    }

    private final EndPoint endPoint;
    private final int maxQueuedBytes;
    private final Owner owner;

    // Guarded by this.
    private final ArrayDeque<Write> waiting = new ArrayDeque<>();
    private long waitingBytes;
    private long writingBytes;
    private boolean last;
    private Throwable failure;

    // Only process() and onSuccess() touch it; Jetty serialises them.
    private final List<Write> batch = new ArrayList<>();

    public OutboundQueue(EndPoint endPoint, int maxQueuedBytes, Owner owner) {
        if (maxQueuedBytes < 1)
            throw new IllegalArgumentException("maxQueuedBytes must be at least 1: " + maxQueuedBytes);
        this.endPoint = endPoint;
        this.maxQueuedBytes = maxQueuedBytes;
        this.owner = owner;
    }

    /** Queues {@code bytes}; on anything but {@link Added#QUEUED} the callback is failed, here. */
    public Added add(ByteBuffer bytes, Callback callback) {
        Added added;
        synchronized (this) {
            if (last || failure != null)
                added = Added.FINISHED;
            else if (waitingBytes + bytes.remaining() > maxQueuedBytes)
                added = Added.FULL;
            else {
                waiting.add(new Write(bytes, callback));
                waitingBytes += bytes.remaining();
                added = Added.QUEUED;
            }
        }
        if (added == Added.QUEUED)
            iterate();
        else
            callback.failed(new ClosedChannelException());
        return added;
    }

    /**
     * Queues the final bytes ({@code null} for none), after which {@link #add} takes nothing; once
     * they are written the owner hears {@link Owner#onFinished()}. With {@code discardWaiting} what
     * waits is dropped (its callbacks failed) and the final bytes go next.
     *
     * @return false if a final write was already queued or the queue failed (the callback is failed)
     */
    public boolean addLast(ByteBuffer bytes, Callback callback, boolean discardWaiting) {
        List<Write> discarded = List.of();
        boolean added;
        synchronized (this) {
            added = !last && failure == null;
            if (added) {
                last = true;
                if (discardWaiting) {
                    discarded = new ArrayList<>(waiting);
                    waiting.clear();
                    waitingBytes = 0;
                }
                waiting.add(new Write(bytes == null ? BufferUtil.EMPTY_BUFFER : bytes, callback));
            }
        }
        if (!added) {
            callback.failed(new ClosedChannelException());
            return false;
        }
        ClosedChannelException dropped = new ClosedChannelException();
        discarded.forEach(write -> write.callback().failed(dropped));
        iterate();
        return true;
    }

    /** Bytes waiting plus bytes being written. */
    public synchronized long queuedBytes() {
        return waitingBytes + writingBytes;
    }

    /** Fails what is waiting and what is being written; nothing is taken after this. */
    public void fail(Throwable cause) {
        synchronized (this) {
            if (failure == null)
                failure = cause;
        }
        abort(cause);
    }

    @Override
    protected Action process() {
        boolean finished;
        synchronized (this) {
            finished = waiting.isEmpty() && last;
            while (!waiting.isEmpty()) {
                Write write = waiting.poll();
                batch.add(write);
                writingBytes += write.bytes().remaining();
            }
            waitingBytes = 0;
        }
        if (batch.isEmpty())
            return finished ? Action.SUCCEEDED : Action.IDLE;
        if (writingBytes() == 0) {
            // Nothing to put on the wire (a last write of no bytes): no endpoint write, which a
            // connection writing by itself may have pending.
            onSuccess();
            // Called from process(), iterate() only marks the loop to go round again.
            iterate();
            return Action.IDLE;
        }
        ByteBuffer[] writing = new ByteBuffer[batch.size()];
        for (int i = 0; i < writing.length; i++)
            writing[i] = batch.get(i).bytes();
        endPoint.write(this, writing);
        return Action.SCHEDULED;
    }

    private synchronized long writingBytes() {
        return writingBytes;
    }

    @Override
    protected void onSuccess() {
        boolean drained;
        synchronized (this) {
            writingBytes = 0;
            drained = waiting.isEmpty();
        }
        // Completed here, serialised with process(): a callback that writes again only marks the
        // loop to go round once more.
        for (Write write : batch)
            write.callback().succeeded();
        batch.clear();
        if (drained)
            owner.onDrained();
    }

    @Override
    protected void onCompleteSuccess() {
        owner.onFinished();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
        List<Write> failed;
        synchronized (this) {
            if (failure == null)
                failure = cause;
            failed = new ArrayList<>(batch);
            failed.addAll(waiting);
            waiting.clear();
            waitingBytes = 0;
            writingBytes = 0;
        }
        batch.clear();
        failed.forEach(write -> write.callback().failed(cause));
        owner.onWriteFailed(cause);
    }

    @Override
    public InvocationType getInvocationType() {
        // It writes and completes callbacks, which the connection's contract says must not block.
        return InvocationType.NON_BLOCKING;
    }
}
