package org.switchboard.probe.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.switchboard.probe.Target;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.ReadLimits;

/**
 * The connections one check opens to the target, with the test kit's raw client. Each read waits at
 * most the target's timeout, and the check as a whole gets no more: when its time is up every
 * connection it opened is closed, so a server that answers slowly, read after read, ends the check
 * with a FAIL rather than holding it. Heads are bounded to 16 KiB, anything else read to 1 MiB.
 */
final class CheckConnections implements AutoCloseable {

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "switchboard-probe-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final Target target;
    private final ReadLimits limits;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final ScheduledFuture<?> deadline;
    private volatile boolean expired;

    CheckConnections(Target target) {
        this.target = target;
        this.limits = new ReadLimits(target.timeout(), 16 * 1024, 1024 * 1024);
        this.deadline = DEADLINES.schedule(this::expire, target.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A new connection to the target, closed with the others at the end of the check. */
    RawUpgradeClient open() throws IOException {
        if (expired)
            throw new IOException("out of time");
        RawUpgradeClient client = RawUpgradeClient.connect(target.address(), limits);
        synchronized (opened) {
            opened.add(client);
        }
        if (expired)
            client.close();
        return client;
    }

    /**
     * Closes {@code connection} with the check's others: at its end, or when its time is up.
     *
     * @return {@code connection}
     * @throws IOException if the time is already up (the connection is closed then)
     */
    <C extends AutoCloseable> C track(C connection) throws IOException {
        synchronized (opened) {
            opened.add(connection);
        }
        if (expired) {
            closeAll();
            throw new IOException("out of time");
        }
        return connection;
    }

    /** Sends {@code request} on a new connection and returns the final head (or the 101). */
    RawResponse exchange(RawRequest request) throws IOException {
        try (RawUpgradeClient client = open()) {
            client.send(request.bytes());
            return finalHead(client);
        }
    }

    /** Reads heads until a final (non-1xx) one or a 101; a body is left unread. */
    static RawResponse finalHead(RawUpgradeClient client) throws IOException {
        RawResponse head = client.readHead();
        while (head.status() >= 100 && head.status() < 200 && head.status() != 101)
            head = client.readHead();
        return head;
    }

    /**
     * Appends what has arrived on {@code client} to {@code buffer} (in read mode before and after),
     * waiting for at least one byte.
     *
     * @return false if the server closed the connection instead
     * @throws IOException at the timeout, or when the buffer cannot take what arrived
     */
    static boolean readMore(RawUpgradeClient client, ByteBuffer buffer) throws IOException {
        byte[] bytes;
        try {
            bytes = client.readAvailable();
        } catch (EOFException e) {
            return false;
        }
        return append(buffer, bytes);
    }

    /**
     * Appends {@code bytes} to {@code buffer} (in read mode before and after).
     *
     * @return true
     * @throws IOException when the buffer cannot take them
     */
    static boolean append(ByteBuffer buffer, byte[] bytes) throws IOException {
        buffer.compact();
        if (bytes.length > buffer.remaining()) {
            buffer.flip();
            throw new IOException("more than " + buffer.capacity() + " bytes of frames unread");
        }
        buffer.put(bytes).flip();
        return true;
    }

    /** Whether the check ran out of time (and its connections were closed under it). */
    boolean expired() {
        return expired;
    }

    private void expire() {
        expired = true;
        closeAll();
    }

    @Override
    public void close() {
        deadline.cancel(false);
        closeAll();
    }

    private void closeAll() {
        List<AutoCloseable> connections;
        synchronized (opened) {
            connections = new ArrayList<>(opened);
        }
        for (AutoCloseable connection : connections) {
            try {
                connection.close();
            } catch (Exception e) {
                // closing is all that is left to do; a failure to close changes nothing for the report
            }
        }
    }
}
