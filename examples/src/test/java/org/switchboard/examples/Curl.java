package org.switchboard.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.testing.ExternalProgram;

/** The real curl (Debian's, with HTTP/2, TLS and ALPN). */
final class Curl {

    private Curl() {
    }

    /** Runs {@code curl args…} (each transfer bounded to 30 s) and returns what it printed, line by line; fails the test on a non-zero exit. */
    static List<String> run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "--max-time", "30"));
        command.addAll(List.of(args));
        return ExternalProgram.run(command.toArray(String[]::new)).lines().toList();
    }
}
