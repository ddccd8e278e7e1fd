package jp.kofu.bench;

import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * End-to-end issuance over mutual TLS against one node (issue 17): card verification, replica reads, PDF rendering,
 * PAdES signing and the log. The node runs in a JVM of its own ({@link NodeProcess}) on the embedded MariaDB, so
 * that its CPU, and its database's, can be read from {@code /proc} apart from the client's (TLS, card signatures).
 * After a warm-up ({@code --warmup}, default 4,000 issuances, {@code SELF} and {@code HOUSEHOLD_ALL} in turn), two
 * measured phases of {@code requests} issuances each, {@code SELF} and then {@code HOUSEHOLD_ALL}, for the
 * householder and the spouse of the demo household of four in turn, on {@code threads} client threads each with its
 * own kept-alive connection; between warm-up and measurement a wait for the node's JIT compilers to go idle. For each phase: answers by status, issuances (200s) per second, latency percentiles,
 * and the node's CPU per issuance: its JVM, its {@code mariadbd}, their sum; with {@code --profile} a Java Flight
 * Recording of the node JVM during each phase, saved under {@code target/bench/} and summarised ({@link JfrSummary}).
 * Run with {@code bench/run issuance [requests] [threads] [--warmup N] [--profile]}.
 */
public final class IssuanceBench {
    private IssuanceBench() {}

    private static final List<String> SCOPES = List.of("SELF", "HOUSEHOLD_ALL");

    /** What one measured phase gave: the load's result and the CPU spent meanwhile, ms. */
    record Phase(String scope, IssuanceLoad.Result result, double nodeJvm, double database, double client,
                 double machineBusy, double steal, Map<String, Double> nodeThreads, Map<String, Long> retries,
                 Map<String, Long> databaseStatus,
                 String loadBefore, String loadAfter, String sockets) {
        double perIssuance(double ms) {
            return ms / Math.max(1, result.ok());
        }
    }

    public static void main(String[] args) throws Exception {
        int requests = 2_000;
        int threads = 4;
        int warmup = 4_000;
        boolean profile = false;
        double rate = 0;
        List<String> nodeJvm = new ArrayList<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--profile")) {
                profile = true;
            } else if (a.equals("--warmup") && i + 1 < args.length) {
                warmup = Integer.parseInt(args[++i]);
            } else if (a.startsWith("--warmup=")) {
                warmup = Integer.parseInt(a.substring("--warmup=".length()));
            } else if (a.equals("--rate") && i + 1 < args.length) {
                rate = Double.parseDouble(args[++i]);
            } else if (a.startsWith("--node-jvm=")) {
                nodeJvm.addAll(List.of(a.substring("--node-jvm=".length()).trim().split("\\s+")));
            } else if (a.startsWith("--")) {
                System.err.println("usage: bench/run issuance [requests] [threads] [--warmup N] [--profile]"
                        + " [--rate R] [--node-jvm='-XX:... ...']");
                System.exit(2);
            } else {
                positional.add(a);
            }
        }
        if (!positional.isEmpty()) {
            requests = Integer.parseInt(positional.get(0));
        }
        if (positional.size() > 1) {
            threads = Integer.parseInt(positional.get(1));
        }

        System.out.println(BenchMachine.describe());
        List<String> jvm = new ArrayList<>(deployedJvmOptions());
        jvm.addAll(nodeJvm);
        System.out.println("node JVM options: " + String.join(" ", jvm));
        if (profile) {
            // Samples at the exact line, not the last safepoint; stacks deep enough for Netty + Micronaut.
            jvm.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
                    "-XX:FlightRecorderOptions:stackdepth=256"));
        }
        Path out = Files.createDirectories(Path.of("target", "bench"));
        List<Phase> phases = new ArrayList<>();
        Map<String, Path> recordings = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (NodeProcess node = NodeProcess.start(jvm)) {
            System.out.printf("node: pid %d (%s), up in %.1f s; embedded %s, mariadbd pid %d%n", node.pid(),
                    node.fact("jvm"), (System.nanoTime() - started) / 1e9, node.fact("db"), node.databasePid());
            List<SoftwareCard> cards = node.cards().values().stream()
                    .map(p -> SoftwareCard.load(p, node.password())).toList();
            IssuanceLoad load = new IssuanceLoad(List.<Supplier<CenterClient>>of(node::center), cards);
            System.out.println("cards: " + node.cards().keySet() + " (householder and spouse of a household of 4)");

            String recordingBefore = null;
            if (profile) {
                // Enabling JFR's events makes the JIT recompile what inlined them: a recording with the same settings
                // from the warm-up on keeps them enabled while each phase's own recording starts and stops.
                recordingBefore = "warm-up";
                node.startRecording(recordingBefore, null);
            }
            if (warmup > 0) {
                IssuanceLoad.Result w = load.run(warmup, threads, SCOPES);
                System.out.println("warm-up (SELF and HOUSEHOLD_ALL in turn): " + w.summary());
            }
            System.out.println(awaitCompilers(node.pid()));
            for (String scope : SCOPES) {
                Path recording = out.resolve("issuance-" + scope + ".jfr").toAbsolutePath();
                if (profile) {
                    Files.deleteIfExists(recording);
                    node.startRecording(scope, recording);
                    node.stopRecording(recordingBefore);
                    recordingBefore = scope;
                    recordings.put(scope, recording);
                }
                Phase phase = measure(node, load, scope, requests, threads, 0);
                phases.add(phase);
                print(phase);
            }
            if (rate > 0) {
                // the latency at an offered rate below what the node can take, not at saturation
                Phase phase = measure(node, load, "HOUSEHOLD_ALL", requests, threads, rate);
                phases.add(phase);
                print(phase);
            }
            if (profile) {
                node.stopRecording(recordingBefore);
            }
        }

        System.out.println();
        System.out.println("| scope | answers by status | issuances/s | p50 ms | p95 ms | p99 ms | node CPU ms per"
                + " issuance: JVM | DB | total | client JVM ms | machine busy ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        int serverErrors = 0;
        for (Phase p : phases) {
            IssuanceLoad.Result r = p.result();
            serverErrors += r.serverErrors();
            System.out.printf("| %s | %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | **%.2f** | %.2f | %.2f |%n",
                    p.scope(), r.statuses(), r.throughput(), r.percentile(50), r.percentile(95), r.percentile(99),
                    p.perIssuance(p.nodeJvm()), p.perIssuance(p.database()),
                    p.perIssuance(p.nodeJvm() + p.database()), p.perIssuance(p.client()),
                    p.perIssuance(p.machineBusy()));
        }
        for (var e : recordings.entrySet()) {
            System.out.println();
            System.out.println("profile of the node JVM, " + e.getKey() + " phase (" + e.getValue() + "):");
            System.out.print(JfrSummary.of(e.getValue()).format(25, 15, 15));
        }
        if (serverErrors > 0) {
            System.out.println("FAILED: " + serverErrors + " answers were 5xx");
        }
        System.exit(serverErrors > 0 ? 1 : 0);
    }

    /**
     * Waits until the node's JIT compiler threads have spent less than 20 ms of CPU in a second (at most 60 s), so
     * that the compilations queued by the warm-up are done before the measured phases: on two shared cores C2 is
     * still compiling after 4,000 issuances. Their CPU during each phase is printed by thread.
     */
    private static String awaitCompilers(long pid) throws InterruptedException {
        long started = System.nanoTime();
        for (int i = 0; i < 60; i++) {
            double before = compilers(pid);
            Thread.sleep(1_000);
            double spent = compilers(pid) - before;
            if (spent < 20) {
                return String.format("the node's JIT compilers idle after %.0f s (%.0f ms in the last second)",
                        (System.nanoTime() - started) / 1e9, spent);
            }
        }
        return "the node's JIT compilers still busy after 60 s; measuring anyway";
    }

    private static double compilers(long pid) {
        return ProcCpu.threads(pid).entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /**
     * The JVM options a production node runs with: those of {@code ExecStart} in {@code deploy/kofu.service}, so that
     * the bench measures the node as it is deployed.
     */
    static List<String> deployedJvmOptions() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("deploy", "kofu.service"))) {
            if (line.startsWith("ExecStart=")) {
                List<String> words = List.of(line.substring("ExecStart=".length()).trim().split("\\s+"));
                int jar = words.indexOf("-jar");
                if (jar > 0) {
                    return words.subList(1, jar);
                }
            }
        }
        throw new IllegalStateException("deploy/kofu.service has no ExecStart=java … -jar");
    }

    /** One measured phase of {@code scope}, with the CPU of the node JVM, its database and this JVM around it. */
    private static Phase measure(NodeProcess node, IssuanceLoad load, String scope, int requests, int threads,
                                 double rate) throws Exception {
        long self = ProcessHandle.current().pid();
        Map<String, Double> retriesBefore = node.retries();
        Map<String, Double> databaseBefore = node.databaseStatus();
        String loadBefore = BenchMachine.loadAverage();
        Map<String, Double> threadsBefore = ProcCpu.threads(node.pid());
        Map<String, Double> machineBefore = ProcCpu.machine();
        double jvmBefore = ProcCpu.process(node.pid());
        double dbBefore = ProcCpu.process(node.databasePid());
        double clientBefore = ProcCpu.process(self);

        IssuanceLoad.Result result = load.run(requests, threads, List.of(scope), rate);

        double jvm = ProcCpu.process(node.pid()) - jvmBefore;
        double db = ProcCpu.process(node.databasePid()) - dbBefore;
        double client = ProcCpu.process(self) - clientBefore;
        Map<String, Double> machineAfter = ProcCpu.machine();
        Map<String, Double> threadsAfter = ProcCpu.threads(node.pid());
        Map<String, Double> byThread = new LinkedHashMap<>();
        threadsAfter.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> byThread.put(e.getKey(), e.getValue()));
        String name = rate > 0 ? String.format("%s at %.0f/s", scope, rate) : scope;
        return new Phase(name, result, jvm, db, client, machineAfter.get("busy") - machineBefore.get("busy"),
                machineAfter.get("steal") - machineBefore.get("steal"), byThread,
                IssuanceLoad.delta(retriesBefore, node.retries()),
                IssuanceLoad.delta(databaseBefore, node.databaseStatus()), loadBefore, BenchMachine.loadAverage(),
                BenchMachine.serverSockets(java.net.URI.create(node.fact("uri")).getPort()));
    }

    private static void print(Phase p) {
        System.out.println(p.scope() + ": " + p.result().summary());
        System.out.printf("    node CPU per issuance: JVM %.2f ms + database %.2f ms = %.2f ms (%.1f + %.1f s in"
                        + " %.1f s); client JVM %.2f ms (not counted); machine busy %.2f ms, stolen %.2f ms"
                        + " (all cores); load average before %s, after %s%n",
                p.perIssuance(p.nodeJvm()), p.perIssuance(p.database()), p.perIssuance(p.nodeJvm() + p.database()),
                p.nodeJvm() / 1e3, p.database() / 1e3, p.result().seconds(), p.perIssuance(p.client()),
                p.perIssuance(p.machineBusy()), p.perIssuance(p.steal()), p.loadBefore(), p.loadAfter());
        StringBuilder b = new StringBuilder("    node JVM CPU per issuance by thread:");
        double named = 0;
        int shown = 0;
        for (var e : p.nodeThreads().entrySet()) {
            named += e.getValue();
            if (shown++ < 8) {
                b.append(String.format(" %s %.2f ms,", e.getKey(), p.perIssuance(e.getValue())));
            }
        }
        b.append(String.format(" rest (other threads, ended threads) %.2f ms", p.perIssuance(p.nodeJvm() - named)));
        System.out.println(b);
        Map<String, Long> d = p.databaseStatus();
        System.out.printf("    the database per issuance: %.1f statements (Questions, the status queries included),"
                        + " %.2f commits, %.2f rollbacks, %.1f KB received, %.1f KB sent, %.1f KB written to InnoDB"
                        + " files, %.1f KB to its redo log%n",
                p.perIssuance(d.getOrDefault("Questions", 0L)), p.perIssuance(d.getOrDefault("Com_commit", 0L)),
                p.perIssuance(d.getOrDefault("Com_rollback", 0L)),
                p.perIssuance(d.getOrDefault("Bytes_received", 0L)) / 1024,
                p.perIssuance(d.getOrDefault("Bytes_sent", 0L)) / 1024,
                p.perIssuance(d.getOrDefault("Innodb_data_written", 0L)) / 1024,
                p.perIssuance(d.getOrDefault("Innodb_os_log_written", 0L)) / 1024);
        System.out.println("    transaction retries by reason: " + p.retries() + "; TCP connections of the node's"
                + " HTTPS port after the phase: " + p.sockets());
    }

    /** A measured run, and the retries ({@code kofu.db.transaction.retries} by reason) each node counted in it. */
    record Measured(IssuanceLoad.Result result, List<Map<String, Long>> retries) {}

    /**
     * For the in-process nodes of {@code issuance-cluster}: a warm-up of {@code min(300, requests)} issuances of
     * {@code HOUSEHOLD_ALL} on {@code nodes}, then the measured run.
     */
    static Measured measure(List<TestNode> nodes, int requests, int threads) throws Exception {
        IssuanceLoad load = new IssuanceLoad(nodes);
        IssuanceLoad.Result warmUp = load.run(Math.min(300, requests), threads);
        if (warmUp.ok() != warmUp.requests()) {
            System.out.println("warm-up: " + warmUp.summary());
        }
        List<Map<String, Double>> before = nodes.stream().map(IssuanceLoad::retries).toList();
        IssuanceLoad.Result result = load.run(requests, threads);
        List<Map<String, Long>> retries = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            retries.add(IssuanceLoad.delta(before.get(i), IssuanceLoad.retries(nodes.get(i))));
        }
        return new Measured(result, retries);
    }
}
