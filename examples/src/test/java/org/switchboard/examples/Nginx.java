package org.switchboard.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.switchboard.testing.ExternalServer;

/**
 * A real nginx running a shipped configuration of {@code examples/deploy/} — {@code nginx.conf} in
 * front of one server, {@code nginx-cluster.conf} in front of two — with only the ports and the
 * pid file substituted; the files it includes are copied beside it, unchanged.
 */
final class Nginx implements AutoCloseable {

    static final Path DEPLOY = Path.of("deploy");
    private static final List<String> INCLUDED = List.of("switchboard-upgrade.conf", "switchboard-location.conf");

    private final ExternalServer process;

    private Nginx(ExternalServer process) {
        this.process = process;
    }

    /** {@code nginx.conf} in front of the server on {@code backendPort}. */
    static Nginx inFrontOf(int backendPort, Path workDir) throws IOException, InterruptedException {
        int port = ExternalServer.freePort();
        return start("nginx.conf", port, workDir, Map.of(
            "server 127.0.0.1:8080;", "server 127.0.0.1:" + backendPort + ";",
            "listen 127.0.0.1:8081;", "listen 127.0.0.1:" + port + ";",
            "pid /tmp/switchboard-nginx.pid;", "pid " + workDir.resolve("nginx.pid") + ";"));
    }

    /** {@code nginx-cluster.conf} in front of the two servers on {@code first} and {@code second}, in that order. */
    static Nginx inFrontOfCluster(int first, int second, Path workDir) throws IOException, InterruptedException {
        int port = ExternalServer.freePort();
        Map<String, String> replacements = new LinkedHashMap<>();
        replacements.put("server 127.0.0.1:8080 ", "server 127.0.0.1:" + first + " ");
        replacements.put("server 127.0.0.1:8082 ", "server 127.0.0.1:" + second + " ");
        replacements.put("listen 127.0.0.1:8081;", "listen 127.0.0.1:" + port + ";");
        replacements.put("pid /tmp/switchboard-nginx-cluster.pid;", "pid " + workDir.resolve("nginx.pid") + ";");
        return start("nginx-cluster.conf", port, workDir, replacements);
    }

    private static Nginx start(String file, int port, Path workDir, Map<String, String> replacements) throws IOException, InterruptedException {
        Path conf = workDir.resolve(file);
        Files.writeString(conf, ExternalServer.configFrom(DEPLOY.resolve(file), replacements));
        for (String included : INCLUDED)
            Files.copy(DEPLOY.resolve(included), workDir.resolve(included));
        Files.createDirectories(workDir.resolve("logs"));
        return new Nginx(ExternalServer.start(
            List.of("/usr/sbin/nginx", "-p", workDir.toString(), "-c", conf.toString(), "-g", "daemon off;"),
            port, workDir.resolve("nginx.out")));
    }

    int port() {
        return process.port();
    }

    /** What nginx logged (its error log goes to standard error). */
    String output() throws IOException {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
