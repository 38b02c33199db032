package org.switchboard.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;

/**
 * What {@code reliability.sh} and {@code cluster.sh} share: a scenario named on the command line,
 * run against the sample started in JVMs of its own ({@link SampleLaunch}), its figures printed,
 * its failed checks collected into a last line {@code PASS SCENARIO} or {@code FAIL SCENARIO: …}
 * (exit status 1).
 */
abstract class ScenarioCommand implements Callable<Integer> {

    @CommandLine.Mixin
    SampleLaunch launch;

    final PrintStream out;
    final List<String> failures = new ArrayList<>();

    ScenarioCommand(PrintStream out) {
        this.out = out;
    }

    /** The scenarios this command knows. */
    abstract List<String> scenarios();

    /** The scenario named on the command line. */
    abstract String scenario();

    /** Runs {@code scenario}, one of {@link #scenarios()}, printing to {@link #out} and noting failures. */
    abstract void run(String scenario) throws Exception;

    @Override
    public Integer call() throws Exception {
        if (!scenarios().contains(scenario()))
            throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario " + scenario() + "; one of " + scenarios());
        run(scenario());
        out.println(failures.isEmpty() ? "PASS " + scenario() : "FAIL " + scenario() + ": " + String.join("; ", failures));
        return failures.isEmpty() ? 0 : 1;
    }

    /** Prints {@code what} as passed or failed; a failure makes the verdict FAIL. */
    void check(boolean ok, String what) {
        out.println((ok ? "  ok   " : "  FAIL ") + what);
        if (!ok)
            failures.add(what);
    }
}
