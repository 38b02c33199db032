package org.switchboard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nginx ({@code /usr/sbin/nginx}, Debian's) running one of the configurations shipped in the
 * sample's {@code examples/deploy/} folder — the file itself, with only its ports and pid file
 * replaced ({@link ExternalServer#configFrom}) and the files it includes copied beside it unchanged
 * — in the foreground, in a folder of the caller's, on a free port of 127.0.0.1. For the sample's
 * proxy tests and the benchmarks' cluster figures alike.
 */
public final class Nginx {

    /** The files of {@code examples/deploy/} that both configurations include. */
    private static final List<String> INCLUDED = List.of("switchboard-upgrade.conf", "switchboard-location.conf");

    private Nginx() {
    }

    /**
     * {@code nginx.conf}, in front of one server.
     *
     * @param deploy      the {@code examples/deploy} folder
     * @param backendPort the server's port on 127.0.0.1
     * @param workDir     an empty folder for the configuration, pid file and output
     * @return nginx, listening
     * @throws IOException          if the files cannot be read or written, or nginx does not start
     * @throws InterruptedException if interrupted while nginx starts
     */
    public static ExternalServer single(Path deploy, int backendPort, Path workDir) throws IOException, InterruptedException {
        int port = ExternalServer.freePort();
        Map<String, String> replacements = new LinkedHashMap<>();
        replacements.put("server 127.0.0.1:8080;", "server 127.0.0.1:" + backendPort + ";");
        replacements.put("listen 127.0.0.1:8081;", "listen 127.0.0.1:" + port + ";");
        replacements.put("pid /tmp/switchboard-nginx.pid;", "pid " + workDir.resolve("nginx.pid") + ";");
        return start(deploy, "nginx.conf", port, workDir, replacements);
    }

    /**
     * {@code nginx-cluster.conf}, in front of two servers.
     *
     * @param deploy  the {@code examples/deploy} folder
     * @param first   the port on 127.0.0.1 of the server the file lists first
     * @param second  the port of the one it lists second
     * @param workDir an empty folder for the configuration, pid file and output
     * @return nginx, listening
     * @throws IOException          if the files cannot be read or written, or nginx does not start
     * @throws InterruptedException if interrupted while nginx starts
     */
    public static ExternalServer cluster(Path deploy, int first, int second, Path workDir) throws IOException, InterruptedException {
        int port = ExternalServer.freePort();
        Map<String, String> replacements = new LinkedHashMap<>();
        replacements.put("server 127.0.0.1:8080 ", "server 127.0.0.1:" + first + " ");
        replacements.put("server 127.0.0.1:8082 ", "server 127.0.0.1:" + second + " ");
        replacements.put("listen 127.0.0.1:8081;", "listen 127.0.0.1:" + port + ";");
        replacements.put("pid /tmp/switchboard-nginx-cluster.pid;", "pid " + workDir.resolve("nginx.pid") + ";");
        return start(deploy, "nginx-cluster.conf", port, workDir, replacements);
    }

    private static ExternalServer start(Path deploy, String file, int port, Path workDir, Map<String, String> replacements)
        throws IOException, InterruptedException {
        Path conf = workDir.resolve(file);
        Files.writeString(conf, ExternalServer.configFrom(deploy.resolve(file), replacements));
        for (String included : INCLUDED)
            Files.copy(deploy.resolve(included), workDir.resolve(included));
        Files.createDirectories(workDir.resolve("logs"));
        return ExternalServer.start(List.of("/usr/sbin/nginx", "-p", workDir.toString(), "-c", conf.toString(), "-g", "daemon off;"),
            port, workDir.resolve("nginx.out"));
    }
}
