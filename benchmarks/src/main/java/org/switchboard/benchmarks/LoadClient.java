package org.switchboard.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The load generator: one thread, one NIO {@link Selector}, many non-blocking connections to a
 * server on 127.0.0.1, each running a {@link Workload}'s {@link Conversation}. Bounded in time
 * (warm-up plus measured window) and optionally in operations. Every failure — refused connect,
 * reset, unexpected status, byte or close — is counted, and a run with any is not a result
 * ({@link LoadResult#valid()}).
 *
 * <p>One-shot connections are closed with {@code SO_LINGER 0} once their operation is done, so
 * that tens of thousands of handshakes do not leave the client's ephemeral ports in
 * {@code TIME_WAIT}; every target gets the same treatment.
 */
public final class LoadClient implements AutoCloseable {

    private static final int ERROR_SAMPLES = 5;

    private final InetSocketAddress server;
    private final String host;
    private final Workload workload;
    private final Selector selector;
    private final Set<Connection> connections = new HashSet<>();
    private final List<String> errorSamples = new ArrayList<>();
    private boolean replacing = true;
    private long operations;
    private long upgrades;
    private long errors;

    private LoadClient(int port, Workload workload) throws IOException {
        this.server = new InetSocketAddress("127.0.0.1", port);
        this.host = "127.0.0.1:" + port;
        this.workload = workload;
        this.selector = Selector.open();
    }

    /**
     * Runs {@code concurrency} connections of {@code scenario} against 127.0.0.1:{@code port} for
     * {@code warmup} plus {@code duration}, or until {@code maxOperations} (0: no bound) are measured.
     */
    public static LoadResult run(Scenario scenario, Target target, int port, Scenario.Settings settings) throws IOException {
        return run(scenario.workload(target, settings), port, settings.concurrency(), settings.warmup(), settings.duration(),
            settings.maxOperations(), () -> -1);
    }

    /** As above, reading {@code serverCpu} (nanoseconds so far, or -1) when the measured window opens and closes. */
    static LoadResult run(Workload workload, int port, int concurrency, Duration warmup, Duration duration, long maxOperations,
                          LongSupplier serverCpu) throws IOException {
        try (LoadClient client = new LoadClient(port, workload)) {
            return client.drive(concurrency, warmup, duration, maxOperations, serverCpu);
        }
    }

    /**
     * What a fresh server does in its first seconds: runs {@code concurrency} connections of
     * {@code workload} for {@code seconds} from the first connection on, no warm-up, and returns the
     * operations completed and the server's CPU time ({@code serverCpu}, nanoseconds so far or -1) at
     * the end of each second.
     */
    static WarmUpCurve curve(Workload workload, int port, int concurrency, int seconds, LongSupplier serverCpu) throws IOException {
        try (LoadClient client = new LoadClient(port, workload)) {
            long[] operations = new long[seconds];
            long[] cpu = new long[seconds];
            long cpuAtStart = serverCpu.getAsLong();
            long start = System.nanoTime();
            for (int i = 0; i < concurrency; i++)
                client.connect();
            for (int second = 0; second < seconds; second++) {
                long boundary = start + (second + 1) * 1_000_000_000L;
                long opsBefore = client.operations;
                for (long now; (now = System.nanoTime()) < boundary; )
                    client.poll(Math.max(1, Math.min(100, (boundary - now) / 1_000_000)));
                operations[second] = client.operations - opsBefore;
                long at = serverCpu.getAsLong();
                cpu[second] = cpuAtStart < 0 || at < 0 ? -1 : at;
            }
            client.replacing = false;
            for (int second = seconds - 1; second > 0; second--)
                cpu[second] = cpu[second] < 0 || cpu[second - 1] < 0 ? -1 : cpu[second] - cpu[second - 1];
            if (seconds > 0)
                cpu[0] = cpu[0] < 0 ? -1 : cpu[0] - cpuAtStart;
            return new WarmUpCurve(workload.description(), operations, cpu, client.errors, client.errorSamples);
        }
    }

    /**
     * Opens {@code count} connections of an idle workload, at most {@code concurrency} handshaking at
     * a time, and returns once all are upgraded (or on the first error, or after {@code timeout}).
     * The connections stay open until the returned client is closed.
     */
    static LoadClient hold(Workload workload, int port, int count, int concurrency, Duration timeout) throws IOException {
        LoadClient client = new LoadClient(port, workload);
        client.replacing = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        int started = 0;
        try {
            while (client.upgrades < count && client.errors == 0 && System.nanoTime() < deadline) {
                while (started < count && started - client.upgrades < concurrency) {
                    client.connect();
                    started++;
                }
                client.poll(100);
            }
        } catch (IOException | RuntimeException x) {
            client.close();
            throw x;
        }
        return client;
    }

    /** Upgraded connections (for {@link #hold}: how many are held). */
    long upgrades() {
        return upgrades;
    }

    long errors() {
        return errors;
    }

    List<String> errorSamples() {
        return List.copyOf(errorSamples);
    }

    private LoadResult drive(int concurrency, Duration warmup, Duration duration, long maxOperations, LongSupplier serverCpu)
        throws IOException {
        long start = System.nanoTime();
        long warm = start + warmup.toNanos();
        long end = warm + duration.toNanos();
        for (int i = 0; i < concurrency; i++)
            connect();
        long operationsAtWarm = -1;
        long measuredFrom = warm;
        long cpuAtWarm = -1;
        long now;
        while (true) {
            now = System.nanoTime();
            if (operationsAtWarm < 0 && now >= warm) {
                operationsAtWarm = operations;
                cpuAtWarm = serverCpu.getAsLong();
                measuredFrom = now;
            }
            if (now >= end || (maxOperations > 0 && operationsAtWarm >= 0 && operations - operationsAtWarm >= maxOperations))
                break;
            long next = operationsAtWarm < 0 ? warm : end;
            poll(Math.max(1, Math.min(100, (next - now) / 1_000_000)));
        }
        long cpuAtEnd = serverCpu.getAsLong();
        replacing = false;
        long measured = operationsAtWarm < 0 ? 0 : operations - operationsAtWarm;
        long cpu = cpuAtWarm < 0 || cpuAtEnd < 0 ? -1 : cpuAtEnd - cpuAtWarm;
        return new LoadResult(workload.description(), measured, (now - measuredFrom) / 1e9, upgrades, errors, errorSamples, cpu);
    }

    private void connect() throws IOException {
        SocketChannel channel = SocketChannel.open();
        Connection connection = new Connection(channel, workload.conversation().apply(host));
        connections.add(connection);
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (workload.mode() == Mode.ONE_SHOT)
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            if (channel.connect(server)) {
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                connection.connected();
            } else {
                connection.key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
            }
        } catch (IOException x) {
            // Not replaced: a server that refuses connections would otherwise be hammered in a loop.
            error("connect: " + x);
            connection.close();
        }
    }

    private void poll(long timeoutMillis) throws IOException {
        selector.select(key -> ((Connection) key.attachment()).ready(key), timeoutMillis);
    }

    private void error(String what) {
        errors++;
        if (errorSamples.size() < ERROR_SAMPLES)
            errorSamples.add(what);
    }

    @Override
    public void close() {
        replacing = false;
        for (Connection connection : List.copyOf(connections))
            connection.close();
        try {
            selector.close();
        } catch (IOException x) {
            // nothing left to release
        }
    }

    /** One client connection: its socket, its conversation, its buffers. */
    private final class Connection implements Wire {

        private final SocketChannel channel;
        private final Conversation conversation;
        private final ByteBuffer in;
        private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>(2);
        private SelectionKey key;
        private boolean closed;

        Connection(SocketChannel channel, Conversation conversation) {
            this.channel = channel;
            this.conversation = conversation;
            this.in = ByteBuffer.allocate(workload.readBuffer());
        }

        void ready(SelectionKey key) {
            try {
                if (key.isConnectable()) {
                    channel.finishConnect();
                    key.interestOps(SelectionKey.OP_READ);
                    connected();
                }
                if (!closed && key.isWritable())
                    flush();
                if (!closed && key.isReadable())
                    read();
            } catch (ProtocolViolation x) {
                fail(x.getMessage());
            } catch (IOException x) {
                fail(x.toString());
            }
        }

        void connected() {
            conversation.start(this);
        }

        private void read() throws IOException, ProtocolViolation {
            int n = channel.read(in);
            if (n < 0) {
                if (conversation.endOfStreamExpected())
                    finish();
                else
                    fail("server closed the connection");
                return;
            }
            in.flip();
            conversation.received(in, this);
            in.compact();
        }

        @Override
        public void send(ByteBuffer bytes) {
            if (closed)
                return;
            try {
                if (out.isEmpty()) {
                    channel.write(bytes);
                    if (!bytes.hasRemaining())
                        return;
                    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                }
                out.add(bytes);
            } catch (IOException x) {
                fail("write: " + x);
            }
        }

        private void flush() throws IOException {
            while (!out.isEmpty()) {
                ByteBuffer head = out.peek();
                channel.write(head);
                if (head.hasRemaining())
                    return;
                out.poll();
            }
            key.interestOps(SelectionKey.OP_READ);
        }

        @Override
        public void upgraded() {
            upgrades++;
        }

        @Override
        public void completed() {
            operations++;
        }

        @Override
        public void finish() {
            close();
            replace();
        }

        void fail(String what) {
            if (closed)
                return;
            error(what);
            close();
            replace();
        }

        private void replace() {
            if (!replacing || workload.mode() == Mode.IDLE)
                return;
            try {
                connect();
            } catch (ClosedChannelException x) {
                // the client is closing
            } catch (IOException x) {
                error("connect: " + x);
            }
        }

        void close() {
            if (closed)
                return;
            closed = true;
            connections.remove(this);
            try {
                channel.close();
            } catch (IOException x) {
                // closing is best effort
            }
        }
    }
}
