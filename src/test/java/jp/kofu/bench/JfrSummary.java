package jp.kofu.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the CPU of a Java Flight Recording goes, from its {@code jdk.ExecutionSample} events (a thread running Java
 * code, sampled every 10 ms with the {@code profile} settings; threads in native code, the garbage collector's and
 * the JIT compiler's threads are not in them): the methods by self samples (the top frame), Kofu's own methods
 * ({@code jp.kofu.*}) by total samples (anywhere in the stack, each method counted once per sample: the method and
 * what it calls; the framework's frames below them are in every sample and say nothing), the packages of the top
 * frames, and the sampled threads. (JDK 17's {@code jfr} tool has {@code print} and {@code summary}; {@code view}
 * came with JDK 21.)
 */
final class JfrSummary {
    private final int samples;
    private final int truncated;
    private final Map<String, Integer> self;
    private final Map<String, Integer> total;
    private final Map<String, Integer> packages;
    private final Map<String, Integer> threads;

    private JfrSummary(int samples, int truncated, Map<String, Integer> self, Map<String, Integer> total,
                       Map<String, Integer> packages, Map<String, Integer> threads) {
        this.samples = samples;
        this.truncated = truncated;
        this.self = self;
        this.total = total;
        this.packages = packages;
        this.threads = threads;
    }

    static JfrSummary of(Path recording) throws IOException {
        int samples = 0;
        int truncated = 0;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                if (stack.isTruncated()) {
                    truncated++;
                }
                List<RecordedFrame> frames = stack.getFrames();
                RecordedMethod top = frames.get(0).getMethod();
                self.merge(name(top), 1, Integer::sum);
                packages.merge(packageOf(top), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String m = name(f.getMethod());
                    if (m.startsWith("jp.kofu.") && seen.add(m)) {
                        total.merge(m, 1, Integer::sum);
                    }
                }
                RecordedThread t = e.getThread("sampledThread");
                String thread = t == null || t.getJavaName() == null ? "?" : t.getJavaName().replaceAll("[0-9]+", "#");
                threads.merge(thread, 1, Integer::sum);
            }
        }
        return new JfrSummary(samples, truncated, self, total, packages, threads);
    }

    /** The summary as text: the top {@code selfTop} methods by self samples, {@code totalTop} by total, … */
    String format(int selfTop, int totalTop, int packageTop) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("  %,d execution samples (Java code only; %,d with a truncated stack)%n", samples,
                truncated));
        table(b, "self (top frame)", self, selfTop);
        table(b, "total, Kofu's methods (jp.kofu.*, with what they call)", total, totalTop);
        table(b, "package of the top frame", packages, packageTop);
        table(b, "sampled thread", threads, 8);
        return b.toString();
    }

    private void table(StringBuilder b, String title, Map<String, Integer> counts, int top) {
        b.append("  by ").append(title).append(":\n");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(top)
                .forEach(e -> b.append(String.format("    %5.1f %%  %6d  %s%n", 100.0 * e.getValue() / samples,
                        e.getValue(), e.getKey())));
    }

    private static String name(RecordedMethod m) {
        // A lambda's hidden class is named Outer$$Lambda$1022+0x00007f07487b6ab8.897244035: one name for all its calls.
        return m == null ? "?"
                : m.getType().getName().replaceAll("\\$\\$Lambda\\$.*", "\\$\\$Lambda") + "." + m.getName();
    }

    private static String packageOf(RecordedMethod m) {
        if (m == null) {
            return "?";
        }
        String type = m.getType().getName();
        int dot = type.lastIndexOf('.');
        return dot < 0 ? "" : type.substring(0, dot);
    }
}
