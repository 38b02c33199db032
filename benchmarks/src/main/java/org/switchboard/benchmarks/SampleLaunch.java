package org.switchboard.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * How a command starts the sample in a JVM of its own ({@link SampleProcess}): the options
 * {@code reliability.sh} and {@code cluster.sh} share, as a picocli mixin.
 */
final class SampleLaunch {

    @Option(names = "--server-jvm", defaultValue = "-Xms256m -Xmx1g -XX:+UseG1GC -Djava.net.preferIPv4Stack=true",
        description = "flags of the sample's JVM (default: ${DEFAULT-VALUE})")
    String serverJvm;

    @Option(names = "--server-args", defaultValue = "", description = "more arguments for the sample (e.g. its limits' flags)")
    String serverArgs;

    @Option(names = "--examples", defaultValue = "../examples", description = "the examples module's folder, built (default ${DEFAULT-VALUE})")
    Path examples;

    /** Starts the sample with {@code --server-args} and then {@code args}. */
    SampleProcess start(List<String> args) throws IOException {
        List<String> all = new java.util.ArrayList<>(serverArgs.isBlank() ? List.of() : Arrays.asList(serverArgs.trim().split("\\s+")));
        all.addAll(args);
        return SampleProcess.start(examples, Arrays.asList(serverJvm.trim().split("\\s+")), all);
    }
}
