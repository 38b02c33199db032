package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real curl (Debian's, with HTTP/2 over TLS and ALPN), run to completion within a generous bound. */
final class Curl {

    private Curl() {
    }

    /** Runs {@code curl args…} and returns its standard output, line by line; fails the test on a non-zero exit. */
    static List<String> run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "--max-time", "30"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getInputStream().readAllBytes();
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("curl finished in time").isTrue();
            String text = new String(output.join(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("curl %s exit status; output:%n%s", String.join(" ", args), text).isZero();
            return text.lines().toList();
        } finally {
            process.destroyForcibly();
        }
    }
}
