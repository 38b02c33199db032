package org.switchboard.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ServerMain} in its own JVM, started with the same flags for every target and the
 * runner's own class path; its standard error goes to a log file.
 */
final class ForkedServer implements ServerControl {

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final int port;

    private ForkedServer(Process process, BufferedReader out, Writer in, int port) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.port = port;
    }

    static ForkedServer start(Target target, List<String> jvmFlags, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServerMain.class.getName());
        command.add(target.label());
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
            .redirectError(log.toFile())
            .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        // The JVM itself may print first (JFR announces its recording on standard output).
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("LISTENING "))
                    continue;
                return line;
            } catch (IOException x) {
                return null;
            }
        });
        String line;
        try {
            line = first.get(60, TimeUnit.SECONDS);
        } catch (Exception x) {
            line = null;
        }
        if (line == null || !line.startsWith("LISTENING ")) {
            process.destroyForcibly();
            throw new IOException(target.label() + " server did not start (" + line + "); see " + log);
        }
        return new ForkedServer(process, out, in, Integer.parseInt(line.substring("LISTENING ".length()).trim()));
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long cpuNanos() {
        // /proc/<pid>/stat on Linux, in clock ticks (10 ms): ample for windows of seconds.
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    @Override
    public ServerMain.ServerStats stats() throws IOException {
        in.write("stats\n");
        in.flush();
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("STATS "))
            continue;
        if (line == null)
            throw new IOException("server exited");
        return ServerMain.ServerStats.parse(line);
    }

    @Override
    public void close() {
        try {
            in.write("quit\n");
            in.flush();
            if (!process.waitFor(20, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException x) {
            process.destroyForcibly();
        }
    }
}
