package org.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Clients that ask to upgrade and then reset the connection (RST, {@code SO_LINGER 0}) at a random
 * point of the switch: right after the request, after the first byte of the 101, after its whole
 * head, or after some of the new protocol's bytes — so that a test can check that a server forgets
 * every connection that died on the way, whenever it died.
 */
public final class SwitchResets {

    private SwitchResets() {
    }

    /**
     * Runs {@code connections} such clients against {@code 127.0.0.1:port}, {@code parallel} at a
     * time, each writing {@code request} in one write; the points are drawn from {@code seed}.
     * Returns once every client has reset its connection.
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

    /** As {@link #run(int, byte[], int, int, long)} with a text request (ISO-8859-1). */
    public static void run(int port, String request, int connections, int parallel, long seed) throws Exception {
        run(port, request.getBytes(StandardCharsets.ISO_8859_1), connections, parallel, seed);
    }

    private static void resetAt(int port, byte[] request, int point, int pauseMicros) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(request);
            out.flush();
            switch (point) {
                case 0 -> { }
                case 1 -> pause(pauseMicros);
                case 2 -> in.read();
                case 3 -> readHead(in);
                default -> {
                    // After the 101, as the new protocol starts: a server that speaks first has
                    // written, one that waits for the client has not, so wait only a moment.
                    readHead(in);
                    socket.setSoTimeout(20);
                    try {
                        in.read();
                    } catch (java.net.SocketTimeoutException quiet) {
                        // nothing sent yet: reset now
                    }
                }
            }
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // The server may close first (a refused upgrade, its own timeout): that is a reset too.
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0)
                return;
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }

    private static void pause(int micros) {
        long until = System.nanoTime() + micros * 1000L;
        while (System.nanoTime() < until)
            Thread.onSpinWait();
    }
}
