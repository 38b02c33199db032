package org.switchboard.benchmarks;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.switchboard.examples.SampleServer;

/**
 * The sample server as a benchmark target: built and started by the sample's own entry point with
 * its default options, as {@code java -jar switchboard-sample.jar --port N} would, in the harness's
 * server JVM (same flags as every target). Nothing of it is configured here.
 */
final class SampleTarget {

    private SampleTarget() {
    }

    static ServerUnderTest start(int port) throws Exception {
        Server server = SampleServer.serve("--host", "127.0.0.1", "--port", Integer.toString(port));
        return JettyConnectors.started(server, ((NetworkConnector) server.getConnectors()[0]).getLocalPort());
    }
}
