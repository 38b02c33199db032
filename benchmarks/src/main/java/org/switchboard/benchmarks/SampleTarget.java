package org.switchboard.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.switchboard.examples.SampleServer;

/**
 * The sample server as a benchmark target: built and started by the sample's own entry point with
 * its default options, as {@code java -jar switchboard-sample.jar --port N} would, in the harness's
 * server JVM (same flags as every target). Nothing of it is configured here; options of the sample
 * can be added with {@code -D}{@value #ARGS}{@code ="--warm-up …"} in {@code --server-jvm}.
 */
final class SampleTarget {

    private SampleTarget() {
    }

    /** System property: more options for the sample, separated by spaces. */
    static final String ARGS = "switchboard.benchmarks.sampleArgs";

    static ServerUnderTest start(int port) throws Exception {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
        String more = System.getProperty(ARGS, "").strip();
        if (!more.isEmpty())
            args.addAll(Arrays.asList(more.split("\\s+")));
        Server server = SampleServer.serve(args.toArray(String[]::new));
        return JettyConnectors.started(server, ((NetworkConnector) server.getConnectors()[0]).getLocalPort());
    }
}
