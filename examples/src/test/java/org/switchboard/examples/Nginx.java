package org.switchboard.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real nginx running {@code examples/deploy/nginx.conf} — the shipped file, with only the ports
 * and the pid file substituted — in front of a server on {@code backendPort}.
 */
final class Nginx implements AutoCloseable {

    private static final Path CONFIG = Path.of("deploy/nginx.conf");

    private final Process process;
    private final int port;

    private Nginx(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Nginx inFrontOf(int backendPort, Path workDir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String config = Files.readString(CONFIG)
            .replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + backendPort + ";")
            .replace("listen 127.0.0.1:8081;", "listen 127.0.0.1:" + port + ";")
            .replace("pid /tmp/switchboard-nginx.pid;", "pid " + workDir.resolve("nginx.pid") + ";");
        Path conf = workDir.resolve("nginx.conf");
        Files.writeString(conf, config);
        Files.createDirectories(workDir.resolve("logs"));
        Process process = new ProcessBuilder("/usr/sbin/nginx", "-p", workDir.toString(), "-c", conf.toString(), "-g", "daemon off;")
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("nginx.out").toFile())
            .start();
        Nginx nginx = new Nginx(process, port);
        nginx.awaitListening(workDir);
        return nginx;
    }

    int port() {
        return port;
    }

    private void awaitListening(Path workDir) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive())
                throw new IOException("nginx exited: " + Files.readString(workDir.resolve("nginx.out")));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("nginx did not listen on " + port);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
