package org.switchboard.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

/**
 * A base for the connection a {@link Verdict.Switch} opens: it takes the bytes the client sent
 * after its upgrade request — often in the same TCP write, before it has seen the 101 — and gives
 * them back first from {@link #fill(ByteBuffer)}, so that no protocol author can lose them (U4,
 * U10).
 *
 * <p>Subclasses implement {@link #onFillable()} reading with {@link #fill(ByteBuffer)} (never with
 * {@code getEndPoint().fill}), and call {@link #fillInterested()} when it returns 0. If leftover
 * bytes exist, {@link #onFillable()} runs once on the executor as soon as the connection opens.
 */
public abstract class UpgradedConnection extends AbstractConnection implements Connection.UpgradeTo {

    // Set once before onOpen, cleared once drained: reads after that skip the lock.
    private volatile ByteBuffer leftover;

    protected UpgradedConnection(EndPoint endPoint, Executor executor) {
        super(endPoint, executor);
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
     * client sent with its upgrade request, then with bytes from the endpoint.
     *
     * @return the number of bytes filled, 0 if none are available now, -1 at end of stream
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

    /** Whether bytes the client sent with its upgrade request are still unread. */
    protected boolean hasLeftover() {
        return leftover != null;
    }
}
