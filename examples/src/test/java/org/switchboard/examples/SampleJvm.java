package org.switchboard.examples;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.testing.ExternalServer;

/**
 * The sample in a JVM of its own, started as an operator starts it — {@code SampleServer} on the
 * module's run-time class path ({@code target/classes}, {@code target/classpath.txt}), on a free
 * port of 127.0.0.1 — so that a test can kill it with SIGKILL ({@link #kill()}) or stop it with
 * SIGTERM ({@link #close()}: the sample's graceful stop).
 */
final class SampleJvm implements SampleInstance, AutoCloseable {

    private final ExternalServer process;

    private SampleJvm(ExternalServer process) {
        this.process = process;
    }

    /** Starts the sample with {@code args} after {@code --port}; its output goes to {@code NAME.out} in {@code workDir}. */
    static SampleJvm start(Path workDir, String name, String... args) throws IOException, InterruptedException {
        int port = ExternalServer.freePort();
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", "target/classes" + File.pathSeparator + Files.readString(Path.of("target/classpath.txt")).trim(),
            SampleServer.class.getName(), "--port", Integer.toString(port)));
        command.addAll(List.of(args));
        return new SampleJvm(ExternalServer.start(command, port, workDir.resolve(name + ".out")));
    }

    int port() {
        return process.port();
    }

    @Override
    public URI base() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** SIGKILL: the JVM ends at once, no goodbye to any client; the kernel closes its connections. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** What it printed so far. */
    String output() throws IOException {
        return process.output();
    }

    /** SIGTERM: the sample stops gracefully (WebSocket 1001, relay CLOSE 1001, GOAWAY), within its 5 s stop timeout. */
    @Override
    public void close() {
        process.close();
    }
}
