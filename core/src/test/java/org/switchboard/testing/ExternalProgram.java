package org.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

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
     * Runs {@code command} and returns what it wrote, standard output and error together; fails the
     * test if it does not end within a minute or ends with a non-zero status.
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
            assertThat(process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)).as("%s finished in time", command[0]).isTrue();
            String text = new String(output.join(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("%s exit status; output:%n%s", String.join(" ", command), text).isZero();
            return text;
        } finally {
            process.destroyForcibly();
        }
    }
}
