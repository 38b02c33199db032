package org.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for a test: a child process on 127.0.0.1 and a free port, with no
 * persistence ({@code --save "" --appendonly no}), so that each start is an empty Redis — and a
 * {@link #restart()} is a Redis that lost its data. Any packaged service on 6379 is left alone.
 *
 * <p>The program is {@code /usr/bin/redis-server} (Debian's {@code redis-server} package), or the
 * {@code redis-server} on the {@code PATH}. Starting waits, at most {@value #START_BOUND_SECONDS}
 * seconds, until it answers {@code PING}; stopping sends SIGTERM and waits as long, then kills.
 * Its output goes to a file in the temporary directory, quoted when it fails to start.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     Server sample = SampleServer.start("127.0.0.1", 0, RoomOptions.DEFAULT.onRedis(redis.uri()));
 *     ...
 *     redis.stop();      // Redis down: the sample says so
 *     redis.restart();   // back, empty, on the same port
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

    /** The most seconds a start or a stop may take. */
    public static final int START_BOUND_SECONDS = 30;

    private final String program;
    private final int port;
    private final Path log;
    private Process process;

    private RedisServer(String program, int port, Path log) {
        this.program = program;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts an empty {@code redis-server} on a free port of 127.0.0.1.
     *
     * @return the running server: close it (or {@link #stop()} it) after the test
     * @throws IOException          if {@code redis-server} is missing or does not answer in time
     * @throws InterruptedException if the test is interrupted while it starts
     */
    public static RedisServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisServer redis = new RedisServer(program(), port, Files.createTempFile("redis-server-" + port + "-", ".log"));
        redis.restart();
        return redis;
    }

    private static String program() throws IOException {
        if (Files.isExecutable(Path.of("/usr/bin/redis-server")))
            return "/usr/bin/redis-server";
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (!dir.isEmpty() && Files.isExecutable(candidate))
                return candidate.toString();
        }
        throw new IOException("redis-server is not installed (Debian: apt-get install redis-server; .ci/setup.d/examples-redis.sh does it)");
    }

    /**
     * The port it listens on; the same after {@link #restart()}.
     *
     * @return a port of 127.0.0.1
     */
    public int port() {
        return port;
    }

    /**
     * Its address for a client.
     *
     * @return {@code redis://127.0.0.1:PORT}
     */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Whether the process runs.
     *
     * @return {@code true} between a start and a stop
     */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts it again on the same port, empty (nothing was saved): for a test, a Redis that restarted
     * and lost its data. Does nothing if it runs.
     *
     * @throws IOException          if it does not answer {@code PING} in time (the message quotes its output)
     * @throws InterruptedException if the test is interrupted while it starts
     */
    public synchronized void restart() throws IOException, InterruptedException {
        if (isRunning())
            return;
        process = new ProcessBuilder(List.of(program, "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--protected-mode", "no"))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_BOUND_SECONDS);
        while (true) {
            if (!process.isAlive())
                throw new IOException("redis-server exited with " + process.exitValue() + "; its output:\n" + Files.readString(log));
            if (answersPing())
                return;
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new InterruptedIOException("redis-server did not answer PING on port " + port + " within " + START_BOUND_SECONDS
                    + " s; its output:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) Duration.ofSeconds(2).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException x) {
            return false;
        }
    }

    /**
     * Stops it (SIGTERM, then SIGKILL after {@value #START_BOUND_SECONDS} seconds) and waits for the
     * process to end: clients see their connections closed. Its data is gone. Does nothing if stopped.
     *
     * @throws InterruptedException if the test is interrupted while it stops
     */
    public synchronized void stop() throws InterruptedException {
        if (process == null)
            return;
        process.destroy();
        if (!process.waitFor(START_BOUND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(START_BOUND_SECONDS, TimeUnit.SECONDS);
        }
        process = null;
    }

    /** Stops it, if it runs, and deletes its output file. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException x) {
            // A file in the temporary directory: harmless.
        }
    }
}
