package org.switchboard.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What machine the numbers come from, for the report's first line. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst().orElse(cpu);
        } catch (IOException x) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), "
            + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB client heap, "
            + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
            + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")";
    }
}
