package jp.kofu.bench;

import jp.kofu.TestNode;
import jp.kofu.cluster.GaleraCluster;

import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT /sync/v1/snapshot} of a generated municipality ({@link SyntheticResidents}) on a three-node Galera
 * cluster that the benchmark starts under {@code target/} ({@link GaleraCluster}), through one Kofu node on
 * {@code sequential://db1,db2,db3}: twice, the first load (empty replica) and a re-setup (replaces every resident),
 * as {@code bench/run snapshot} does on the embedded MariaDB. The load commits every 5,000 lines
 * ({@code ReplicaStore.SNAPSHOT_COMMIT_EVERY}), so each write set is one chunk, not the municipality. Printed per
 * round: seconds, residents/s, the answer, the write sets db1 replicated (count, bytes, mean size), certification
 * failures, the residents counted on db3, and whether a write-set limit was hit ({@code wsrep_max_ws_size},
 * {@code wsrep_max_ws_rows}: an error answer, or lines about it in a node's error log). The cluster is removed at the
 * end, also on failure. Exits with 1 if a round did not answer 200 or a limit was hit. Run with
 * {@code bench/run snapshot-cluster [residents] [buffer-pool] [redo-log]}: the last two are each database node's
 * {@code innodb_buffer_pool_size} and {@code innodb_log_file_size} (by default the test cluster's 64M and 16M; the
 * embedded server of {@code bench/run snapshot} has 1G and 512M).
 */
public final class SnapshotClusterBench {
    /** What MariaDB and Galera log when a transaction's write set is over a limit. */
    private static final String WRITE_SET_LIMIT =
            "(?i)max_ws_size|max_ws_rows|writeset size|write set size|ws_size|maximum writeset|transaction size limit";

    private SnapshotClusterBench() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 600_000;
        List<String> serverOptions = new ArrayList<>();
        if (args.length > 1) {
            serverOptions.add("--innodb-buffer-pool-size=" + args[1]);
        }
        if (args.length > 2) {
            serverOptions.add("--innodb-log-file-size=" + args[2]);
        }
        System.out.println(BenchMachine.describe());
        boolean failed = false;
        long started = System.nanoTime();
        try (GaleraCluster cluster = GaleraCluster.start(3, serverOptions)) {
            String db = cluster.createDatabase("kofu_bench");
            try (TestNode node = TestNode.startOn(cluster.sequentialUrl(db), cluster.admin(), cluster.app(),
                    Map.of(), null)) {
                System.out.printf("3-node Galera cluster formed in %.1f s, Kofu node up after %.1f s; %s; limits:"
                                + " %s%n", cluster.startMillis() / 1e3, (System.nanoTime() - started) / 1e9,
                        BenchMachine.databaseVersion(node), limits(cluster));
                HttpClient http = SnapshotLoadBench.mtlsClient(node);
                for (int round = 1; round <= 2; round++) {
                    String loadBefore = BenchMachine.loadAverage();
                    long[] before = replicated(cluster);
                    SnapshotLoadBench.Round r = SnapshotLoadBench.put(http, node, count, round, Duration.ofMinutes(60));
                    long[] after = replicated(cluster);
                    long writeSets = after[0] - before[0];
                    long bytes = after[1] - before[1];
                    List<String> limitLines = new ArrayList<>();
                    for (int n = 1; n <= cluster.size(); n++) {
                        for (String line : cluster.logLines(n, WRITE_SET_LIMIT)) {
                            limitLines.add("db" + n + ": " + line);
                        }
                    }
                    boolean limitHit = !limitLines.isEmpty() || java.util.regex.Pattern.compile(WRITE_SET_LIMIT).matcher(r.body()).find();
                    failed |= r.status() != 200 || limitHit;
                    System.out.printf("snapshot round %d (%s): %s%n", round, round == 1 ? "first load" : "re-setup", r);
                    System.out.printf("    db1 replicated %d write sets, %.1f MB (mean %.2f MB); certification failures"
                                    + " %d; residents of 112038 on db3: %d; write-set limit hit: %s; load average"
                                    + " before %s, after %s%n", writeSets, bytes / 1e6,
                            writeSets == 0 ? 0.0 : bytes / 1e6 / writeSets, after[2] - before[2],
                            residentsOn(cluster, 3, db), limitHit ? "YES " + limitLines : "no", loadBefore,
                            BenchMachine.loadAverage());
                }
                System.out.printf("mariadbd resident memory (VmRSS) db1 %d MB, db2 %d MB, db3 %d MB%n",
                        cluster.residentKb(1) / 1024, cluster.residentKb(2) / 1024, cluster.residentKb(3) / 1024);
            }
        }
        System.exit(failed ? 1 : 0);
    }

    private static String limits(GaleraCluster cluster) throws SQLException {
        try (Connection c = cluster.connect(1); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@wsrep_max_ws_size, @@wsrep_max_ws_rows, @@max_allowed_packet,"
                     + " @@innodb_buffer_pool_size, @@innodb_log_file_size")) {
            rs.next();
            return "wsrep_max_ws_size " + rs.getLong(1) + ", wsrep_max_ws_rows " + rs.getLong(2)
                    + ", max_allowed_packet " + rs.getLong(3) + "; per node innodb_buffer_pool_size "
                    + rs.getLong(4) / (1024 * 1024) + " MB, innodb_log_file_size " + rs.getLong(5) / (1024 * 1024)
                    + " MB";
        }
    }

    /** Of db1 (where the Kofu node writes): write sets replicated, their bytes, local certification failures. */
    private static long[] replicated(GaleraCluster cluster) throws SQLException {
        long[] out = new long[3];
        try (Connection c = cluster.connect(1); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_replicated',"
                     + " 'wsrep_replicated_bytes', 'wsrep_local_cert_failures')")) {
            while (rs.next()) {
                switch (rs.getString(1).toLowerCase(java.util.Locale.ROOT)) {
                    case "wsrep_replicated" -> out[0] = rs.getLong(2);
                    case "wsrep_replicated_bytes" -> out[1] = rs.getLong(2);
                    case "wsrep_local_cert_failures" -> out[2] = rs.getLong(2);
                    default -> { }
                }
            }
        }
        return out;
    }

    /** The live residents of 112038 as database node {@code n} has them, after every earlier commit applied. */
    private static long residentsOn(GaleraCluster cluster, int n, String db) throws SQLException {
        try (Connection c = cluster.connect(n); Statement s = c.createStatement()) {
            c.setCatalog(db);
            s.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM resident r JOIN municipality_replica st"
                    + " ON st.municipality_code = r.municipality_code AND st.generation = r.generation"
                    + " WHERE r.municipality_code = '112038'")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
