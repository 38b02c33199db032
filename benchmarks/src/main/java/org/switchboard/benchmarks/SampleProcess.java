package org.switchboard.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The sample server ({@code org.switchboard.examples.SampleServer}) as operators run it, in a JVM
 * of its own, on the sample's own class path ({@code examples/target/classes} and
 * {@code examples/target/classpath.txt}), with a free port; what it costs is read from outside:
 * {@code /proc} for RSS, threads and descriptors, {@code jcmd} for the heap after a full collection.
 */
final class SampleProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Switchboard sample on http://[^:]+:(\\d+)/");

    private final Process process;
    private final int port;
    private final List<String> output;

    private SampleProcess(Process process, int port, List<String> output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /**
     * Starts the sample with {@code jvmFlags} and {@code args} (after {@code --port 0}); its
     * output is kept (see {@link #output()}).
     *
     * @param examples the {@code examples} module's folder, built ({@code target/classes}, {@code target/classpath.txt})
     */
    static SampleProcess start(Path examples, List<String> jvmFlags, List<String> args) throws IOException {
        Path classes = examples.resolve("target/classes");
        Path classpathFile = examples.resolve("target/classpath.txt");
        if (!Files.isDirectory(classes) || !Files.exists(classpathFile))
            throw new IOException("build the sample first: mvn -B -q -pl examples -am package -DskipTests (no " + classpathFile + ")");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classes + java.io.File.pathSeparator + Files.readString(classpathFile).trim());
        command.add("org.switchboard.examples.SampleServer");
        return start(command, args, null);
    }

    /**
     * Starts the sample as its runnable jar, {@code java -jar switchboard-sample.jar --port 0 ARGS},
     * in {@code directory}: what an operator who did not build it runs.
     */
    static SampleProcess startJar(Path jar, Path directory, List<String> args) throws IOException {
        if (!Files.exists(jar))
            throw new IOException("build the sample's jar first: mvn -B -q -pl examples -am package -DskipTests (no " + jar + ")");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", jar.toAbsolutePath().toString()));
        return start(command, args, directory);
    }

    private static SampleProcess start(List<String> command, List<String> args, Path directory) throws IOException {
        command.add("--port");
        command.add("0");
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null)
            builder.directory(directory.toFile());
        Process process = builder.start();
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find())
                        port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException ignored) {
                // the process ended
            }
            port.completeExceptionally(new IOException("the sample exited before listening: " + String.join("\n", output)));
        }, "sample-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new SampleProcess(process, port.get(60, TimeUnit.SECONDS), output);
        } catch (Exception x) {
            process.destroyForcibly();
            throw new IOException("the sample did not start", x);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * {@code protocols.PROTOCOL.open} of its {@code /health}: its connections switched to
     * {@code protocol} and still open; 0 if it has had none, -1 if it does not answer.
     */
    int open(String protocol) {
        try {
            String body = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher open = Pattern.compile("\"" + Pattern.quote(protocol) + "\":\\{\"open\":(\\d+)").matcher(body);
            return open.find() ? Integer.parseInt(open.group(1)) : 0;
        } catch (IOException x) {
            return -1;
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** What the sample printed so far. */
    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** The sample's costs now, its heap measured after a full collection. */
    Stats stats() throws IOException, InterruptedException {
        return new Stats(heapAfterGc(), status("VmRSS:") * 1024, (int) status("Threads:"), descriptors());
    }

    /** SIGTERM, as an operator's {@code kill} or a container stop: the sample stops gracefully. Waits for it to exit. */
    int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status")))
            if (line.startsWith(key))
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
        return -1;
    }

    private int descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) fds.count();
        }
    }

    private long heapAfterGc() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        for (int i = 0; i < 2; i++)
            run(jcmd.toString(), Long.toString(pid()), "GC.run");
        String info = run(jcmd.toString(), Long.toString(pid()), "GC.heap_info");
        // G1 prints one heap line, the serial and parallel collectors one per generation: add them up.
        Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        long kib = -1;
        while (used.find())
            kib = Math.max(kib, 0) + Long.parseLong(used.group(1));
        return kib < 0 ? -1 : kib * 1024;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /**
     * @param heapBytes   heap in use after full collections
     * @param rssBytes    resident set size
     * @param threads     the process's threads
     * @param descriptors open file descriptors
     */
    record Stats(long heapBytes, long rssBytes, int threads, int descriptors) {
        @Override
        public String toString() {
            return String.format("heap %.1f MB, RSS %.1f MB, %d threads, %d descriptors",
                heapBytes / 1e6, rssBytes / 1e6, threads, descriptors);
        }
    }
}
