package org.switchboard.probe.internal;

import java.io.PrintStream;
import java.util.List;

import org.switchboard.probe.CheckResult;
import org.switchboard.probe.Result;

/** The report on stdout: one line a check (id, result, name), its detail indented below, then the totals. */
public final class TextTable {

    private TextTable() {}

    /**
     * Prints the report.
     *
     * @param out     where
     * @param target  the URL probed, in the first line
     * @param results every check's result, in order
     */
    public static void print(PrintStream out, String target, List<CheckResult> results) {
        out.println("switchboard-probe " + target);
        int idWidth = results.stream().mapToInt(r -> r.id().length()).max().orElse(2);
        for (CheckResult result : results) {
            out.printf("%-" + idWidth + "s  %-4s  %s%n", result.id(), result.result(), result.name());
            if (!result.detail().isEmpty())
                out.printf("%-" + idWidth + "s        %s%n", "", result.detail());
        }
        out.printf("%d checks: %d PASS, %d FAIL, %d SKIP%n", results.size(),
            count(results, Result.PASS), count(results, Result.FAIL), count(results, Result.SKIP));
    }

    static long count(List<CheckResult> results, Result result) {
        return results.stream().filter(r -> r.result() == result).count();
    }
}
