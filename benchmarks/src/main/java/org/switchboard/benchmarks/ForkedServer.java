package org.switchboard.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ServerMain} in its own JVM, started with the same flags for every target and the
 * runner's own class path; its standard error, and whatever it prints on standard output besides
 * its answers (the sample logs there), go to a log file. Standard output is read all the time, so
 * that a server that logs a lot never blocks on a full pipe while it is measured.
 */
final class ForkedServer implements ServerControl {

    private static final String END = "\u0000end";

    private final Process process;
    private final BlockingQueue<String> answers;
    private final Writer in;
    private final int port;

    private ForkedServer(Process process, BlockingQueue<String> answers, Writer in, int port) {
        this.process = process;
        this.answers = answers;
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
        Files.write(log, new byte[0]);
        Process process = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
        BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> drain(process, log, answers), "server-output-" + target.label());
        reader.setDaemon(true);
        reader.start();
        Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String line = next(answers, "LISTENING ", 60);
        if (line == null) {
            process.destroyForcibly();
            throw new IOException(target.label() + " server did not start; see " + log);
        }
        return new ForkedServer(process, answers, in, Integer.parseInt(line.substring("LISTENING ".length()).trim()));
    }

    /** Answers ({@code LISTENING}, {@code STATS}, {@code CONFIG}) to the queue, anything else (JFR's notice, the sample's log) to the log. */
    private static void drain(Process process, Path log, BlockingQueue<String> answers) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("LISTENING ") || line.startsWith("STATS ") || line.startsWith("CONFIG "))
                    answers.add(line);
                else
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } catch (IOException x) {
            // the process ended
        } finally {
            answers.add(END);
        }
    }

    /** The next answer starting with {@code prefix}, or null if the server exited or took {@code seconds}. */
    private static String next(BlockingQueue<String> answers, String prefix, long seconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (true) {
                String line = answers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals(END)) {
                    if (line != null)
                        answers.add(END);
                    return null;
                }
                if (line.startsWith(prefix))
                    return line;
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", x);
        }
    }

    private String ask(String command, String prefix) throws IOException {
        in.write(command + "\n");
        in.flush();
        String line = next(answers, prefix, 120);
        if (line == null)
            throw new IOException("server exited or did not answer " + command);
        return line;
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

    /**
     * From {@code /proc/<pid>/task/*}: the user and system time of the threads named {@code C1 CompilerThre…}
     * and {@code C2 CompilerThre…} (HotSpot's compiler threads, the name cut at 15 characters by Linux).
     * A compiler thread that HotSpot has already retired is no longer listed: a lower bound.
     */
    @Override
    public long jitCpuNanos() {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        long ticks = 0;
        try (java.util.stream.Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    String name = Files.readString(thread.resolve("comm")).strip();
                    if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre"))
                        continue;
                    String stat = Files.readString(thread.resolve("stat"));
                    // Fields after the command's closing parenthesis: state is field 3; utime and stime are 14 and 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException x) {
            return -1;
        }
        return ticks * NANOS_PER_TICK;
    }

    /** Linux's USER_HZ, the unit of /proc's times: 100 on every mainstream architecture. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    @Override
    public ServerMain.ServerStats stats() throws IOException {
        return ServerMain.ServerStats.parse(ask("stats", "STATS "));
    }

    @Override
    public TargetConfiguration configuration() throws IOException {
        return TargetConfiguration.parse(ask("config", "CONFIG "));
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
