package org.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.Switchboard;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawUpgradeClient;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.ReadLimits;
import org.switchboard.testing.TestServer;
import org.switchboard.testing.RequestSummaryHandler;

/**
 * UpgradedConnection's reading, writing and closing, as a protocol author relies on them: on real
 * sockets, and on Jetty's {@link LocalConnector} where a client that reads nothing is needed (an
 * endpoint that holds at most a few KiB of unread output).
 */
class UpgradedConnectionTest {

    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: t\r\n\r\n";
    private static final int UNREAD_OUTPUT_BYTES = 16 * 1024;
    private static final int BOUND = 64 * 1024;
    private static final long WAIT_SECONDS = 30;

    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable server : servers)
            server.close();
    }

    @Test
    void writesFromManyThreadsGoOutWholeInEachThreadsOrderWithEachCallbackCompletedOnce() throws Exception {
        int threads = 8;
        int lines = 2_000;
        AtomicInteger succeeded = new AtomicInteger();
        RawUpgradeClient client = socketClient(context -> new UpgradedConnection(context) {
            @Override
            public void onOpen() {
                super.onOpen();
                List<CompletableFuture<Void>> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    writers.add(CompletableFuture.runAsync(() -> {
                        for (int i = 0; i < lines; i++)
                            write(BufferUtil.toBuffer(thread + ":" + i + "\n"), Callback.from(succeeded::incrementAndGet));
                    }));
                }
                CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).thenRun(() -> writeLast(BufferUtil.toBuffer("end\n")));
            }
        });

        int[] next = new int[threads];
        StringBuilder line = new StringBuilder();
        while (true) {
            char c = (char) client.readExactly(1)[0];
            if (c != '\n') {
                line.append(c);
                continue;
            }
            if (line.toString().equals("end"))
                break;
            String[] parts = line.toString().split(":");
            int thread = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).as("thread %d's next line", thread).isEqualTo(next[thread]++);
            line.setLength(0);
        }
        assertThat(next).containsOnly(lines);
        assertThat(client.closedWithin(Duration.ofMillis(30_000))).as("the output ends after the last write").isTrue();
        assertThat(succeeded.get()).isEqualTo(threads * lines);
    }

    /** Writes that complete at once, each started from the last one's callback: a recursion would overflow the stack. */
    @Test
    void callbacksThatWriteAgainLoopInsteadOfRecursing() throws Exception {
        int writes = 200_000;
        RawUpgradeClient client = socketClient(context -> new UpgradedConnection(context) {
            private int written;

            @Override
            public void onOpen() {
                super.onOpen();
                next();
            }

            private void next() {
                if (written++ < writes)
                    write(BufferUtil.toBuffer(new byte[] {'x'}), Callback.from(this::next));
                else
                    writeLast(BufferUtil.toBuffer("."));
            }
        });

        byte[] all = client.readExactly(writes + 1);
        assertThat(new String(all, 0, writes, StandardCharsets.US_ASCII)).matches("x+");
        assertThat(all[writes]).isEqualTo((byte) '.');
    }

    @Test
    void closeInsideOnMessageOrAWriteCallbackClosesTheConnection() throws Exception {
        ProtocolHandler closing = LineEchoProtocolHandler.scripted("t", (offer, request) -> Verdict.accept("t",
            context -> new UpgradedConnection(context, MessageReader.lines(64)) {
                @Override
                protected void onMessage(ByteBuffer line) {
                    String text = BufferUtil.toString(line);
                    if (text.equals("close"))
                        close();
                    else
                        write(BufferUtil.toBuffer(text + "\n"), Callback.from(this::close));
                }
            }));
        int port = socketServer(closing);

        try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
            assertThat(client.send(UPGRADE + "close\n").readHead().status()).isEqualTo(101);
            assertThat(client.closedWithin(Duration.ofMillis(30_000))).as("close() in onMessage").isTrue();
        }
        try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
            assertThat(client.send(UPGRADE + "bye\n").readHead().status()).isEqualTo(101);
            assertThat(client.readText(4)).isEqualTo("bye\n");
            assertThat(client.closedWithin(Duration.ofMillis(30_000))).as("close() in a write's callback").isTrue();
        }
        try (RawUpgradeClient client = RawUpgradeClient.connect(port)) {
            assertThat(client.send(UPGRADE + "y".repeat(100)).readHead().status()).isEqualTo(101);
            assertThat(client.closedWithin(Duration.ofMillis(30_000))).as("a line over the reader's maximum").isTrue();
        }
    }

    /**
     * An echo whose client reads nothing: the server stops reading once half its bound is queued,
     * so the bound is never reached, and once the client reads, everything comes back.
     */
    @Test
    void readsPauseWhileTheClientDoesNotReadSoAnEchoStaysUnderItsBound() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        AtomicLong mostQueued = new AtomicLong();
        LocalConnector connector = localServer(context -> new UpgradedConnection(context, null, BOUND) {
            @Override
            protected void onMessage(ByteBuffer chunk) {
                write(BufferUtil.copy(chunk));
                mostQueued.accumulateAndGet(queuedBytes(), Math::max);
            }

            @Override
            protected void onOutboundFull(int bytes) {
                refused.incrementAndGet();
                super.onOutboundFull(bytes);
            }
        });
        LocalConnector.LocalEndPoint client = connector.connect(UNREAD_OUTPUT_BYTES);
        byte[] sent = new byte[2 * 1024 * 1024];
        for (int i = 0; i < sent.length; i++)
            sent[i] = (byte) ('a' + i % 26);
        client.addInput(UPGRADE);
        readUntil(client, "\r\n\r\n");

        client.addInput(ByteBuffer.wrap(sent));
        byte[] echoed = readBytes(client, sent.length);

        assertThat(echoed).isEqualTo(sent);
        assertThat(refused.get()).isZero();
        assertThat(mostQueued.get()).isLessThanOrEqualTo(BOUND);
        assertThat(client.isOpen()).isTrue();
    }

    /** A protocol that pushes faster than its client reads hears of it once, and says its last word past the backlog. */
    @Test
    void aWriteOverTheBoundIsRefusedAndOnOutboundFullSaysTheLastWord() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        CompletableFuture<Boolean> lastWriteQueued = new CompletableFuture<>();
        LocalConnector connector = localServer(context -> new UpgradedConnection(context, null, BOUND) {
            @Override
            public void onOpen() {
                super.onOpen();
                getExecutor().execute(() -> {
                    while (write(BufferUtil.toBuffer("x".repeat(1024))))
                        mostly();
                    lastWriteQueued.complete(write(BufferUtil.toBuffer("after")));
                });
            }

            private void mostly() {
                // Keep pushing: the client reads nothing until the bound is hit.
            }

            @Override
            protected void onOutboundFull(int bytes) {
                refused.incrementAndGet();
                writeLast(BufferUtil.toBuffer("full\n"), true);
            }
        });
        LocalConnector.LocalEndPoint client = connector.connect(UNREAD_OUTPUT_BYTES);
        client.addInput(UPGRADE);

        // Read nothing until the bound is hit: bytes the client took meanwhile would have made room
        // for more, and the bound below counts only what the server could hold unread.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (refused.get() == 0 && System.nanoTime() < deadline)
            Thread.sleep(10);
        assertThat(refused.get()).as("onOutboundFull within %d s", WAIT_SECONDS).isEqualTo(1);
        String out = readUntil(client, "full\n");
        String body = out.substring(out.indexOf("\r\n\r\n") + 4, out.length() - "full\n".length());
        assertThat(body).matches("x*").hasSizeLessThanOrEqualTo(2 * BOUND + UNREAD_OUTPUT_BYTES);
        assertThat(refused.get()).isEqualTo(1);
        assertThat(lastWriteQueued.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("nothing is taken after the last write").isFalse();

        // The server shut its output after its last word and waits for the client's end of stream.
        client.addInputEOF();
        client.waitUntilClosedOrIdleFor(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void aConnectionReadingThroughTheBaseIsNonBlockingAndOneReadingByItselfIsNot() throws Exception {
        AtomicReference<UpgradedConnection> opened = new AtomicReference<>();
        LocalConnector connector = localServer(context -> {
            UpgradedConnection connection = new UpgradedConnection(context) {
            };
            opened.set(connection);
            return connection;
        });
        LocalConnector.LocalEndPoint client = connector.connect();
        client.addInput(UPGRADE);
        readUntil(client, "\r\n\r\n");
        assertThat(opened.get().getInvocationType()).isEqualTo(InvocationType.NON_BLOCKING);

        UpgradedConnection readingItself = new UpgradedConnection(client, Runnable::run) {
            @Override
            public void onFillable() {
                fillInterested();
            }
        };
        assertThat(readingItself.getInvocationType()).isEqualTo(InvocationType.BLOCKING);
    }

    private RawUpgradeClient socketClient(Verdict.ConnectionOpener opener) throws Exception {
        RawUpgradeClient client = RawUpgradeClient.connect(socketServer(LineEchoProtocolHandler.scripted("t", (offer, request) -> Verdict.accept("t", opener))));
        servers.add(client);
        assertThat(client.send(UPGRADE).readHead().status()).isEqualTo(101);
        return client;
    }

    private int socketServer(ProtocolHandler handler) throws Exception {
        TestServer server = TestServer.start(Switchboard.builder().handler(handler).build());
        servers.add(0, server);
        return server.port();
    }

    private LocalConnector localServer(Verdict.ConnectionOpener opener) throws Exception {
        Server server = new Server();
        LocalConnector connector = new LocalConnector(server, new HttpConnectionFactory());
        server.addConnector(connector);
        server.setHandler(new RequestSummaryHandler());
        Switchboard.builder().handler(LineEchoProtocolHandler.scripted("t", (offer, request) -> Verdict.accept("t", opener))).build().install(server);
        server.start();
        servers.add(server::stop);
        return connector;
    }

    private static String readUntil(LocalConnector.LocalEndPoint client, String suffix) throws Exception {
        StringBuilder out = new StringBuilder();
        while (!out.toString().endsWith(suffix))
            out.append(BufferUtil.toString(takeSome(client, out), StandardCharsets.ISO_8859_1));
        return out.toString();
    }

    private static byte[] readBytes(LocalConnector.LocalEndPoint client, int length) throws Exception {
        ByteBuffer all = ByteBuffer.allocate(length);
        while (all.hasRemaining()) {
            ByteBuffer more = takeSome(client, all.position() + " of " + length + " bytes");
            assertThat(more.remaining()).as("more output than was sent").isLessThanOrEqualTo(all.remaining());
            all.put(more);
        }
        return all.array();
    }

    /**
     * Some output, within a generous bound. Jetty's endpoint with bounded output can miss a write's
     * completion when the output is taken while the server is writing (the completion is given
     * only to a write already pending), so this takes again, which completes a pending write,
     * rather than only waiting to be told of output.
     */
    private static ByteBuffer takeSome(LocalConnector.LocalEndPoint client, Object soFar) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            ByteBuffer more = client.takeOutput();
            if (more.hasRemaining())
                return more;
            assertThat(client.isOutputShutdown()).as("output ended after %s", soFar).isFalse();
            more = client.waitForOutput(100, TimeUnit.MILLISECONDS);
            if (more != null && more.hasRemaining())
                return more;
        }
        throw new AssertionError("no output within " + WAIT_SECONDS + " s after " + soFar);
    }
}
