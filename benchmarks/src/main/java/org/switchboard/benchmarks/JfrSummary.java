package org.switchboard.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a server's CPU went, from a JFR recording made with {@code run.sh ... --jfr DIR}: the
 * hottest methods by samples on top of the stack (self) and by samples anywhere in the stack
 * (total), and the share of samples under a package prefix ({@code org.switchboard} by default).
 * Java 17's {@code jfr} tool has no such view.
 *
 * <p>Usage: {@code benchmarks/run.sh profile FILE.jfr [TOP] [PREFIX] [LEAF]}; with {@code LEAF}, also
 * the commonest stacks (12 frames) of the samples whose top frame's name contains it.
 */
public final class JfrSummary {

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String prefix = args.length > 2 ? args[2] : "org.switchboard";
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        String leaf = args.length > 3 ? args[3] : null;
        Map<String, Integer> leafStacks = new HashMap<>();
        int samples = 0;
        int underPrefix = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample"))
                continue;
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty())
                continue;
            // The main thread only starts the server and waits on standard input: startup, not load.
            if (event.getThread("sampledThread") != null && "main".equals(event.getThread("sampledThread").getJavaName()))
                continue;
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            if (leaf != null && name(frames.get(0)).contains(leaf)) {
                StringBuilder trace = new StringBuilder();
                for (int i = 0; i < Math.min(12, frames.size()); i++)
                    trace.append("\n          ").append(name(frames.get(i))).append(':').append(frames.get(i).getLineNumber());
                leafStacks.merge(trace.toString(), 1, Integer::sum);
            }
            Set<String> seen = new HashSet<>();
            boolean ours = false;
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (seen.add(name))
                    total.merge(name, 1, Integer::sum);
                ours |= name.startsWith(prefix);
            }
            if (ours)
                underPrefix++;
        }
        System.out.printf(Locale.ROOT, "%s: %d execution samples, %.1f%% with a %s frame on the stack%n",
            file.getFileName(), samples, 100.0 * underPrefix / Math.max(1, samples), prefix);
        print("self", self, samples, top, null);
        print("total", total, samples, top, null);
        print("total, " + prefix + " only", total, samples, top, prefix);
        if (leaf != null)
            print("stacks under " + leaf, leafStacks, samples, 8, null);
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top, String prefix) {
        System.out.println("-- " + title);
        counts.entrySet().stream()
            .filter(e -> prefix == null || e.getKey().startsWith(prefix))
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(top)
            .forEach(e -> System.out.printf(Locale.ROOT, "%6.2f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
