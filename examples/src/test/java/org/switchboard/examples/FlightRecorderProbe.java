package org.switchboard.examples;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.DefaultHandler;
import org.switchboard.Switchboard;

/**
 * Records Switchboard's JFR events around one real upgrade to {@code time/1} (the handler found by
 * ServiceLoader) and prints each as {@code event NAME PROTOCOL}: run in a JVM of its own by
 * {@link ModulePathDiscoveryTest}, with core on the module path, where its events live in a package
 * it does not export.
 */
public final class FlightRecorderProbe {

    private FlightRecorderProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Files.createTempFile("switchboard", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("org.switchboard.Negotiation");
            recording.enable("org.switchboard.UpgradedConnection");
            recording.start();
            Switchboard switchboard = Switchboard.builder().discoverHandlers().build();
            Server server = switchboard.newServer("127.0.0.1", 0, new DefaultHandler());
            server.start();
            try (Socket socket = new Socket("127.0.0.1", ((NetworkConnector) server.getConnectors()[0]).getLocalPort())) {
                OutputStream out = socket.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: time/1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                StringBuilder seen = new StringBuilder();
                // The 101's head, then the first time the server pushes: the connection was handed over.
                while (!seen.toString().matches("(?s).*\r\n\r\n.*Z\n")) {
                    int b = in.read();
                    if (b < 0)
                        throw new IllegalStateException("closed after " + seen);
                    seen.append((char) b);
                }
            }
            for (int polls = 0; switchboard.metrics().snapshot().open("time") > 0 && polls < 200; polls++)
                Thread.sleep(50);
            server.stop();
            recording.stop();
            recording.dump(file);
        }
        for (RecordedEvent event : RecordingFile.readAllEvents(file))
            System.out.println("event " + event.getEventType().getName() + " " + event.getString("protocol"));
        Files.delete(file);
    }
}
