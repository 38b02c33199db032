package org.switchboard.probe;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.probe.internal.Checklist;

import static org.assertj.core.api.Assertions.assertThat;

/** probe/README.md lists every check, id and name as the probe reports them. */
class ReadmeTest {

    @Test
    void theReadmeTableHasEveryCheck() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Target everything = new Target(URI.create("http://127.0.0.1/"), new InetSocketAddress("127.0.0.1", 80), "127.0.0.1", "/",
            Optional.of("/ws"), Optional.of("/required"), true, true, List.of(new Target.Upgrade("TOKEN", "/PATH")),
            Optional.of("http://evil.example"), Duration.ofSeconds(1));
        List<Check> checks = Checklist.checks(everything);
        assertThat(checks).hasSizeGreaterThan(40);
        for (Check check : checks)
            assertThat(readme).contains("| " + check.id() + " | " + check.name() + " |");
    }
}
