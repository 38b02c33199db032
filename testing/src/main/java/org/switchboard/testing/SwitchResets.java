package org.switchboard.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Clients that ask to upgrade and then reset the connection (RST, {@code SO_LINGER 0}) at a random
 * point of the switch: right after the request, a moment later, after the first byte of the 101,
 * after its whole head, or after the new protocol's first bytes — so that a test can check that a
 * server forgets every connection that died on the way, whenever it died (SB6: a switched connection
 * is counted open from hand-over to close exactly once).
 *
 * <pre>{@code
 * SwitchResets.run(server.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: shout\r\n\r\n", 500, 8, seed);
 * await().until(() -> server.dispatcher().upgradedConnections() == 0);
 * }</pre>
 */
public final class SwitchResets {

    private SwitchResets() {
    }

    /**
     * Runs {@code connections} such clients against {@code 127.0.0.1:port}, {@code parallel} at a
     * time, each writing {@code request} in one write; the points are drawn from {@code seed}, so a
     * run can be repeated. Returns once every client has reset its connection.
     *
     * @param port        the server's port on 127.0.0.1
     * @param request     an upgrade request, written in one write
     * @param connections how many clients in all
     * @param parallel    how many at a time
     * @param seed        the seed of the reset points, to repeat a run
     * @throws Exception if a client is not done within 30 seconds, or the pool fails
     */
    public static void run(int port, byte[] request, int connections, int parallel, long seed) throws Exception {
        Random random = new Random(seed);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int point = random.nextInt(5);
                int pauseMicros = random.nextInt(300);
                clients.add(pool.submit(() -> {
                    resetAt(port, request, point, pauseMicros);
                    return null;
                }));
            }
            for (Future<?> client : clients)
                client.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * As {@link #run(int, byte[], int, int, long)} with a text request (ISO-8859-1).
     *
     * @param port        the server's port on 127.0.0.1
     * @param request     an upgrade request, one byte per character
     * @param connections how many clients in all
     * @param parallel    how many at a time
     * @param seed        the seed of the reset points, to repeat a run
     * @throws Exception if a client is not done within 30 seconds, or the pool fails
     */
    public static void run(int port, String request, int connections, int parallel, long seed) throws Exception {
        run(port, request.getBytes(StandardCharsets.ISO_8859_1), connections, parallel, seed);
    }

    private static void resetAt(int port, byte[] request, int point, int pauseMicros) {
        try (RawUpgradeClient client = RawUpgradeClient.connect(new InetSocketAddress("127.0.0.1", port), ReadLimits.DEFAULT)) {
            client.send(request);
            switch (point) {
                case 0 -> { }
                case 1 -> pause(pauseMicros);
                case 2 -> client.readExactly(1);
                case 3 -> client.readHead();
                default -> {
                    // After the 101, as the new protocol starts: a server that speaks first has
                    // written, one that waits for the client has not, so wait only a moment.
                    client.readHead();
                    client.quietFor(Duration.ofMillis(20));
                }
            }
            client.socket().setSoLinger(true, 0);
        } catch (IOException ignored) {
            // The server may close first (a refused upgrade, its own timeout): that is a reset too.
        }
    }

    private static void pause(int micros) {
        long until = System.nanoTime() + micros * 1000L;
        while (System.nanoTime() < until)
            Thread.onSpinWait();
    }
}
