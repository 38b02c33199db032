package org.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A real client program (curl, nghttp…) run to completion by a test, within a generous bound. */
public final class ExternalProgram {

    private static final int BOUND_SECONDS = 60;

    private ExternalProgram() {
    }

    /**
     * Runs {@code command} and returns what it wrote, standard output and error together.
     *
     * @param command the program and its arguments
     * @return its standard output and error, UTF-8
     * @throws IOException          if it cannot start, does not end within a minute, or ends with a
     *                              non-zero status (the message quotes its output)
     * @throws InterruptedException if the test is interrupted while it runs
     */
    public static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            // Read while it runs: a full pipe would block it.
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getInputStream().readAllBytes();
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
            if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS))
                throw new IOException(command[0] + " did not finish within " + BOUND_SECONDS + " s");
            String text = new String(output.join(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0)
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + "; output:\n" + text);
            return text;
        } finally {
            process.destroyForcibly();
        }
    }
}
