package jp.kofu.bench;

import jp.kofu.TestNode;
import jp.kofu.cluster.GaleraCluster;
import jp.kofu.db.Database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same issuance load ({@link IssuanceLoad}: one municipality, a household of four) in one run on
 * <ol type="a">
 *   <li>one Kofu node on the embedded MariaDB, as {@code bench/run issuance};</li>
 *   <li>two Kofu nodes on a three-node Galera cluster that the benchmark starts under {@code target/}
 *       ({@link GaleraCluster}): node 1 on {@code sequential://db1,db2,db3}, node 2 on
 *       {@code sequential://db2,db3,db1}, so that each writes through another database node; the client threads
 *       alternate between the two.</li>
 * </ol>
 * Each gets a warm-up of {@code min(300, requests)} issuances, then {@code requests} on {@code threads} threads.
 * Printed for each: answers by HTTP status, issuances/s, latency percentiles, and the transaction retries by reason
 * that each Kofu node counted ({@code kofu.db.transaction.retries}, read from its MeterRegistry). The cluster is
 * removed at the end, also on failure. Exits with 1 if any answer was a 5xx. Run with
 * {@code bench/run issuance-cluster [requests] [threads]}.
 */
public final class IssuanceClusterBench {
    private IssuanceClusterBench() {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        // The driver logs a warning for every deadlock or certification failure answered by a server; each one that
        // Kofu retries is counted in kofu.db.transaction.retries, printed below, and any that reaches the client is
        // an answer counted by status.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.mariadb.jdbc.message.server.ErrorPacket"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        System.out.println(BenchMachine.describe());
        Map<String, IssuanceBench.Measured> results = new LinkedHashMap<>();

        try (TestNode node = TestNode.start()) {
            System.out.println("(a) one Kofu node on the embedded " + BenchMachine.databaseVersion(node));
            results.put("(a) 1 Kofu node, embedded MariaDB", run(List.of(node), requests, threads));
        }

        long started = System.nanoTime();
        try (GaleraCluster cluster = GaleraCluster.start()) {
            String db = cluster.createDatabase("kofu_bench");
            String urlA = cluster.sequentialUrl(db);
            String urlB = "jdbc:mariadb:sequential://127.0.0.1:" + cluster.port(2) + ",127.0.0.1:" + cluster.port(3)
                    + ",127.0.0.1:" + cluster.port(1) + "/" + db;
            try (TestNode a = TestNode.startOn(urlA, cluster.admin(), cluster.app(), Map.of(), null);
                 TestNode b = a.sibling(urlB, Map.of(), null)) {
                System.out.printf("(b) 3-node Galera cluster formed in %.1f s, both Kofu nodes up after %.1f s; %s;"
                                + " Kofu node 1 writes through %s, Kofu node 2 through %s%n",
                        cluster.startMillis() / 1e3, (System.nanoTime() - started) / 1e9,
                        BenchMachine.databaseVersion(a), wsrepNodeName(a), wsrepNodeName(b));
                Map<String, Long> before = clusterCounters(cluster);
                results.put("(b) 2 Kofu nodes, 3-node Galera", run(List.of(a, b), requests, threads));
                Map<String, Long> after = clusterCounters(cluster);
                Map<String, Long> delta = new LinkedHashMap<>();
                after.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0L)));
                System.out.println("    Galera counters during the measured run, summed over the 3 database nodes: "
                        + delta);
            }
        }

        System.out.println();
        System.out.println("| run | requests | threads | answers by status | 5xx | issuances/s | p50 ms | p95 ms | p99 ms"
                + " | retries by reason |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        int serverErrors = 0;
        for (var e : results.entrySet()) {
            IssuanceLoad.Result r = e.getValue().result();
            serverErrors += r.serverErrors();
            System.out.printf("| %s | %d | %d | %s | %d | %.1f | %.1f | %.1f | %.1f | %s |%n", e.getKey(),
                    r.requests(), r.threads(), r.statuses(), r.serverErrors(), r.throughput(), r.percentile(50),
                    r.percentile(95), r.percentile(99), perNode(e.getValue().retries()));
        }
        System.out.println("load average at the end: " + BenchMachine.loadAverage());
        if (serverErrors > 0) {
            System.out.println("FAILED: " + serverErrors + " answers were 5xx");
        }
        System.exit(serverErrors > 0 ? 1 : 0);
    }

    private static IssuanceBench.Measured run(List<TestNode> nodes, int requests, int threads) throws Exception {
        String loadBefore = BenchMachine.loadAverage();
        IssuanceBench.Measured m = IssuanceBench.measure(nodes, requests, threads);
        System.out.println("    " + m.result().summary());
        System.out.println("    transaction retries by reason: " + perNode(m.retries()) + "; load average before "
                + loadBefore + ", after " + BenchMachine.loadAverage());
        return m;
    }

    private static String perNode(List<Map<String, Long>> retries) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < retries.size(); i++) {
            out.add("Kofu node " + (i + 1) + " " + retries.get(i));
        }
        return String.join("; ", out);
    }

    /** {@code @@wsrep_node_name} of the database node that a Kofu node's pool is connected to. */
    private static String wsrepNodeName(TestNode node) {
        return node.context().getBean(Database.class).withConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@wsrep_node_name")) {
                rs.next();
                return "db " + rs.getString(1);
            }
        });
    }

    /** Certification failures, brute-force aborts and write sets replicated, summed over the database nodes. */
    static Map<String, Long> clusterCounters(GaleraCluster cluster) throws SQLException {
        Map<String, Long> sum = new LinkedHashMap<>();
        for (int n = 1; n <= cluster.size(); n++) {
            try (Connection c = cluster.connect(n); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_cert_failures',"
                         + " 'wsrep_local_bf_aborts', 'wsrep_replicated', 'wsrep_replicated_bytes')")) {
                while (rs.next()) {
                    sum.merge(rs.getString(1).toLowerCase(java.util.Locale.ROOT), Long.parseLong(rs.getString(2)),
                            Long::sum);
                }
            }
        }
        return sum;
    }
}
