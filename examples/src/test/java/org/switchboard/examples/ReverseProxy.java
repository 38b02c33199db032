package org.switchboard.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.switchboard.testing.ExternalServer;
import org.switchboard.testing.Nginx;

/**
 * A real reverse proxy in front of sample servers, on a free port of 127.0.0.1: nginx (the kit's
 * {@link Nginx}) or Apache httpd running a shipped configuration of {@code examples/deploy/} — the
 * file itself, with only its ports and pid file substituted — or HAProxy with a configuration the
 * test writes.
 */
final class ReverseProxy implements AutoCloseable {

    static final Path DEPLOY = Path.of("deploy");

    private final ExternalServer process;

    private ReverseProxy(ExternalServer process) {
        this.process = process;
    }

    /** nginx running {@code nginx.conf} in front of the server on {@code backendPort}. */
    static ReverseProxy nginx(int backendPort, Path workDir) throws IOException, InterruptedException {
        return new ReverseProxy(Nginx.single(DEPLOY, backendPort, workDir));
    }

    /** nginx running {@code nginx-cluster.conf} in front of the servers on {@code first} and {@code second}, in that order. */
    static ReverseProxy nginxCluster(int first, int second, Path workDir) throws IOException, InterruptedException {
        return new ReverseProxy(Nginx.cluster(DEPLOY, first, second, workDir));
    }

    /**
     * Debian's Apache httpd running {@code apache-cluster.conf} in front of the servers on
     * {@code first} and {@code second}: one process ({@code -X}, in the foreground), its
     * ServerRoot {@code workDir}.
     */
    static ReverseProxy apacheCluster(int first, int second, Path workDir) throws IOException, InterruptedException {
        int port = ExternalServer.freePort();
        Map<String, String> replacements = new LinkedHashMap<>();
        replacements.put("\"http://127.0.0.1:8080\"", "\"http://127.0.0.1:" + first + "\"");
        replacements.put("\"http://127.0.0.1:8082\"", "\"http://127.0.0.1:" + second + "\"");
        replacements.put("Listen 127.0.0.1:8081", "Listen 127.0.0.1:" + port);
        replacements.put("PidFile /tmp/switchboard-apache.pid", "PidFile " + workDir.resolve("httpd.pid"));
        Path conf = workDir.resolve("apache-cluster.conf");
        Files.writeString(conf, ExternalServer.configFrom(DEPLOY.resolve("apache-cluster.conf"), replacements));
        return new ReverseProxy(ExternalServer.start(
            List.of("/usr/sbin/apache2", "-X", "-d", workDir.toString(), "-f", conf.toString()),
            port, workDir.resolve("httpd.out")));
    }

    /**
     * Debian's HAProxy (2.6 on Debian 12) in HTTP mode in front of the server on {@code backendPort},
     * with the configuration people start from: {@code mode http}, a tunnel timeout for upgraded
     * connections, nothing about {@code Upgrade}.
     */
    static ReverseProxy haproxy(int backendPort, Path workDir) throws IOException, InterruptedException {
        int port = ExternalServer.freePort();
        Path conf = workDir.resolve("haproxy.cfg");
        Files.writeString(conf, String.join("\n",
            "global",
            "    log stderr format raw local0 warning",
            "defaults",
            "    mode http",
            "    log global",
            "    timeout connect 3s",
            "    timeout client 90s",
            "    timeout server 90s",
            "    timeout tunnel 90s",
            "frontend switchboard",
            "    bind 127.0.0.1:" + port,
            "    default_backend instances",
            "backend instances",
            "    server a 127.0.0.1:" + backendPort,
            ""));
        return new ReverseProxy(ExternalServer.start(List.of("/usr/sbin/haproxy", "-db", "-f", conf.toString()),
            port, workDir.resolve("haproxy.out")));
    }

    int port() {
        return process.port();
    }

    /** What the proxy logged (its error log goes to standard error). */
    String output() throws IOException {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
