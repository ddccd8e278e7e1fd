package jp.kofu.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test cluster itself: three mariadbd with wsrep on 127.0.0.1 form one cluster, replicate a write, survive the
 * SIGKILL of a node as a two-node primary component, and take the node back with what it missed. The packages are
 * installed when missing; a machine where they cannot be fails the test rather than skipping it.
 */
final class GaleraClusterIT {
    private static GaleraCluster cluster;
    private static String db;

    @BeforeAll
    static void startCluster() {
        cluster = GaleraCluster.start();
        db = cluster.createDatabase("galera_it");
        for (int n = 1; n <= 3; n++) {
            System.out.printf("GaleraClusterIT: node %d mariadbd pid %d, %d MB resident after start%n", n,
                    cluster.pid(n), cluster.residentKb(n) / 1024);
        }
        System.out.printf("GaleraClusterIT: cluster formed in %d ms%n", cluster.startMillis());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRowWrittenThroughOneNodeIsReadThroughAnotherAndANodeKilledRejoinsWithWhatItMissed() throws Exception {
        for (int n = 1; n <= 3; n++) {
            assertEquals("3", cluster.status(n).get("wsrep_cluster_size"), "node " + n + " sees three nodes");
            assertEquals("Synced", cluster.status(n).get("wsrep_local_state_comment"), "node " + n);
        }
        try (Connection c = connect(1); var s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, written_on INT NOT NULL) ENGINE=InnoDB");
            s.execute("INSERT INTO t VALUES (1, 1)");
        }
        assertEquals(List.of(1), ids(3), "node 3 reads node 1's row");

        long pid = cluster.pid(3);
        assertTrue(ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("").endsWith("/mariadbd"),
                "the process killed is mariadbd itself");
        long killed = System.nanoTime();
        cluster.kill(3);
        System.out.printf("GaleraClusterIT: two-node primary component %d ms after the SIGKILL%n",
                (System.nanoTime() - killed) / 1_000_000);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "node 3 is dead");
        for (int n = 1; n <= 2; n++) {
            assertEquals("2", cluster.status(n).get("wsrep_cluster_size"), "node " + n + " after the kill");
            assertEquals("Primary", cluster.status(n).get("wsrep_cluster_status"), "node " + n + " still primary");
        }
        try (Connection c = connect(1); var s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (2, 1)");
        }
        try (Connection c = connect(2); var s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (3, 2)");
        }
        assertEquals(List.of(1, 2, 3), ids(2), "the two-node primary component accepts writes on both nodes");

        GaleraCluster.Rejoin rejoin = cluster.restart(3);
        System.out.printf("GaleraClusterIT: node 3 rejoined by %s in %d ms%n", rejoin.transfer(), rejoin.millis());
        // The recovered position lets it take only the missed write sets from a peer's gcache, not a full copy.
        assertEquals("IST", rejoin.transfer(), "node 3 catches up by incremental state transfer");
        assertEquals("3", cluster.status(3).get("wsrep_cluster_size"), "node 3 is back in the cluster");
        assertEquals(List.of(1, 2, 3), ids(3), "node 3 has the rows written while it was down");
        try (Connection c = connect(3); var s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (4, 3)");
        }
        assertEquals(List.of(1, 2, 3, 4), ids(1), "and writes again");
        for (int n = 1; n <= 3; n++) {
            System.out.printf("GaleraClusterIT: node %d %d MB resident at the end%n", n, cluster.residentKb(n) / 1024);
        }
    }

    @Test
    void nodesRunWithTheDeployedConfiguration() throws SQLException {
        // deploy/galera/60-galera.cnf is the file the nodes start with; these come from it, not the command line.
        try (Connection c = connect(2); var s = c.createStatement(); var rs = s.executeQuery("SELECT @@wsrep_on,"
                + " @@binlog_format, @@default_storage_engine, @@innodb_autoinc_lock_mode, @@wsrep_sst_method,"
                + " @@collation_server, @@wsrep_sync_wait, @@wsrep_provider")) {
            assertTrue(rs.next());
            assertEquals(List.of("1", "ROW", "InnoDB", "2", "rsync", "utf8mb4_bin", "0",
                    "/usr/lib/galera/libgalera_smm.so"), List.of(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
        }
    }

    @Test
    void theSequentialUrlNamesEveryNodeInOrder() {
        String url = cluster.sequentialUrl(db);
        assertEquals("jdbc:mariadb:sequential://127.0.0.1:" + cluster.port(1) + ",127.0.0.1:" + cluster.port(2)
                + ",127.0.0.1:" + cluster.port(3) + "/" + db, url);
        assertEquals("jdbc:mariadb://127.0.0.1:" + cluster.port(2) + "/" + db, cluster.url(2, db));
    }

    private static Connection connect(int n) throws SQLException {
        Connection c = cluster.connect(n);
        c.setCatalog(db);
        return c;
    }

    /** The ids of table t read through node {@code n}, after it has applied what the cluster committed before. */
    private static List<Integer> ids(int n) throws SQLException {
        try (Connection c = connect(n); var s = c.createStatement()) {
            s.execute("SET SESSION wsrep_sync_wait = 1"); // a causal read: wait for the write sets committed elsewhere
            List<Integer> ids = new ArrayList<>();
            try (var rs = s.executeQuery("SELECT id FROM t ORDER BY id")) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
            return ids;
        }
    }
}
