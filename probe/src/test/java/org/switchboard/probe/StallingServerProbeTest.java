package org.switchboard.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that accepts, reads, and answers half a status line and then nothing: every check must
 * end in a FAIL that says it ran out of time (not hang, not crash), and the probe exits 1.
 */
class StallingServerProbeTest {

    private ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket socket = listener.accept();
                    accepted.add(socket);
                    Thread stall = new Thread(() -> stall(socket));
                    stall.setDaemon(true);
                    stall.start();
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "stalling-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void stall(Socket socket) {
        try (InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            if (in.read() >= 0)
                out.write("HTTP/1.1 2".getBytes(StandardCharsets.ISO_8859_1));
            byte[] discard = new byte[4096];
            while (in.read(discard) >= 0) {
                // read what the client sends, never answer
            }
        } catch (IOException closed) {
            // the probe gave up and closed
        }
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
        for (Socket socket : accepted)
            socket.close();
    }

    @Test
    void aServerThatNeverFinishesAHeadFailsEveryCheckAtItsTimeout() {
        ProbeOutput probe = ProbeOutput.run("http://127.0.0.1:" + listener.getLocalPort() + "/", "--timeout", "0.5", "--warm-up", "0.5");

        assertThat(probe.status()).isEqualTo(Probe.FAILED);
        assertThat(probe.out()).contains("U3   FAIL").contains("U7   FAIL").contains("SB5  FAIL").doesNotContain("PASS  ");
        assertThat(probe.out().lines().filter(line -> line.contains("within")).count()).as("each FAIL says it timed out").isGreaterThanOrEqualTo(5);
        assertThat(probe.err()).isEmpty();
    }
}
