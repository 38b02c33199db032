package org.switchboard.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real server program — nginx, Apache httpd, HAProxy, redis-server… — that a test runs beside
 * itself as a child process, in the foreground, and stops after it. It is ready once it accepts TCP
 * connections on its port of 127.0.0.1; what it prints (standard output and error together) goes to
 * a file, so that nothing blocks on a full pipe. ({@link ExternalProgram} runs a client program to
 * its end instead.)
 *
 * <pre>{@code
 * int port = ExternalServer.freePort();
 * Files.writeString(conf, ExternalServer.configFrom(Path.of("deploy/nginx.conf"),
 *     Map.of("listen 127.0.0.1:8081;", "listen 127.0.0.1:" + port + ";")));
 * try (ExternalServer nginx = ExternalServer.start(
 *         List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c", conf.toString(), "-g", "daemon off;"),
 *         port, dir.resolve("nginx.out"))) {
 *     // talk to 127.0.0.1:port
 * }
 * }</pre>
 */
public final class ExternalServer implements AutoCloseable {

    private static final long READY_BOUND_SECONDS = 120;
    private static final long STOP_BOUND_SECONDS = 10;

    private final List<String> command;
    private final Process process;
    private final int port;
    private final Path output;

    private ExternalServer(List<String> command, Process process, int port, Path output) {
        this.command = command;
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /**
     * A TCP port of 127.0.0.1 that was free a moment ago: the kernel's pick for a socket bound to
     * port 0, closed again, for a program that takes its port from its configuration.
     *
     * @return a port number, 1 to 65535
     * @throws IOException if no socket can be bound
     */
    public static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /**
     * A configuration made from a shipped file, each of {@code replacements}' keys replaced, at every
     * place it occurs, by its value. A key that does not occur is an error, so that a test fails when
     * the file changes rather than quietly running something other than the file.
     *
     * @param template     the file, UTF-8
     * @param replacements literal text of the file to the text that replaces it (a port, a path)
     * @return the file's text with the replacements made
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if a key does not occur in the file; the message names it
     */
    public static String configFrom(Path template, Map<String, String> replacements) throws IOException {
        String text = Files.readString(template, StandardCharsets.UTF_8);
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            if (!text.contains(replacement.getKey()))
                throw new IllegalArgumentException(template + " no longer contains \"" + replacement.getKey() + "\"");
            text = text.replace(replacement.getKey(), replacement.getValue());
        }
        return text;
    }

    /**
     * Starts {@code command} and waits until it accepts connections on {@code port} of 127.0.0.1 —
     * at most 2 minutes (a JVM on a busy machine can take a while).
     *
     * @param command the program, run in the foreground (not as a daemon), and its arguments
     * @param port    the port its configuration makes it listen on
     * @param output  the file its standard output and error go to (replaced if it exists)
     * @return the running server; {@link #close()} stops it
     * @throws IOException          if it cannot start, exits, or does not listen within the bound; the
     *                              message quotes what it printed
     * @throws InterruptedException if the test is interrupted while waiting
     */
    public static ExternalServer start(List<String> command, int port, Path output) throws IOException, InterruptedException {
        List<String> copy = List.copyOf(command);
        Process process = new ProcessBuilder(copy)
            .redirectErrorStream(true)
            .redirectOutput(Objects.requireNonNull(output, "output").toFile())
            .start();
        ExternalServer server = new ExternalServer(copy, process, port, output);
        try {
            server.awaitListening();
        } catch (IOException | InterruptedException | RuntimeException x) {
            server.close();
            throw x;
        }
        return server;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_BOUND_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IOException(command.get(0) + " exited with " + process.exitValue() + " before listening on " + port + ": " + output());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException(command.get(0) + " did not listen on " + port + " within " + READY_BOUND_SECONDS + " s: " + output());
    }

    /**
     * The port it listens on, on 127.0.0.1.
     *
     * @return the port given to {@link #start}
     */
    public int port() {
        return port;
    }

    /**
     * Whether the program is still running.
     *
     * @return true until it exits or is stopped
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * What the program printed so far, standard output and error together.
     *
     * @return its output, UTF-8 (malformed bytes replaced); empty if there is none
     * @throws IOException if the output file cannot be read
     */
    public String output() throws IOException {
        return Files.exists(output) ? new String(Files.readAllBytes(output), StandardCharsets.UTF_8) : "";
    }

    /**
     * Kills the program (SIGKILL): it ends at once, saying nothing to anyone; the kernel closes its
     * sockets. Waits, at most 10 seconds, for it to be gone.
     *
     * @throws InterruptedException if the test is interrupted while waiting
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Stops the program as an operator would (SIGTERM), and kills it (SIGKILL) if it has not exited
     * within 10 seconds. Does nothing if it has exited already.
     */
    @Override
    public void close() {
        if (!process.isAlive())
            return;
        process.destroy();
        try {
            if (!process.waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException x) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return command.get(0) + " on 127.0.0.1:" + port + (process.isAlive() ? "" : " (exited)");
    }
}
