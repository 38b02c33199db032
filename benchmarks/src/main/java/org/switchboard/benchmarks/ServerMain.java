package org.switchboard.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One server under test in its own JVM, driven by {@link BenchmarkCommand} through standard I/O:
 * it prints {@code LISTENING <port>} once started, then answers each line on standard input —
 * {@code stats} with {@code STATS heap=<bytes used after GC> rss=<bytes> threads=<n>}, {@code config}
 * with its {@link TargetConfiguration} ({@code CONFIG key=value…}), {@code quit}
 * by stopping and exiting (as does the end of standard input, so a dying runner leaves no server).
 *
 * <p>Usage: {@code ServerMain sample|switchboard|jetty|netty [port]}.
 */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Target target = Target.of(args[0]);
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        try (ServerUnderTest server = ServerUnderTest.start(target, port)) {
            System.out.println("LISTENING " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("quit"))
                    break;
                if (line.equals("stats"))
                    System.out.println(ServerStats.measure().format());
                else if (line.equals("config"))
                    System.out.println(server.configuration().format());
                else
                    System.out.println("ERROR unknown command " + line);
                System.out.flush();
            }
        }
        System.exit(0);
    }

    /**
     * What a server costs right now.
     *
     * @param heapBytes heap in use after full collections (what live objects hold)
     * @param rssBytes  the process's resident set ({@code VmRSS}), 0 where {@code /proc} is missing
     * @param threads   live JVM threads
     */
    record ServerStats(long heapBytes, long rssBytes, int threads) {

        static ServerStats measure() {
            // Several collections: G1 may need more than one to settle what is really live.
            for (int i = 0; i < 3; i++)
                System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            return new ServerStats(heap, rss(), ManagementFactory.getThreadMXBean().getThreadCount());
        }

        String format() {
            return "STATS heap=" + heapBytes + " rss=" + rssBytes + " threads=" + threads;
        }

        static ServerStats parse(String line) {
            if (!line.startsWith("STATS "))
                throw new IllegalArgumentException("not a STATS line: " + line);
            long heap = 0, rss = 0;
            int threads = 0;
            for (String part : line.substring(6).split(" ")) {
                String[] kv = part.split("=", 2);
                switch (kv[0]) {
                    case "heap" -> heap = Long.parseLong(kv[1]);
                    case "rss" -> rss = Long.parseLong(kv[1]);
                    case "threads" -> threads = Integer.parseInt(kv[1]);
                    default -> { }
                }
            }
            return new ServerStats(heap, rss, threads);
        }

        private static long rss() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:"))
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            } catch (IOException | RuntimeException x) {
                // not Linux: RSS is reported as 0
            }
            return 0;
        }
    }
}
