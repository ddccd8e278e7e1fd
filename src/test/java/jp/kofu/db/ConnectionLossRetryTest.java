package jp.kofu.db;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jp.kofu.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A transaction whose connection is killed by the server while it runs (what a dead database node looks like to
 * its clients) is run again on a new connection, counted as {@code connection_lost}; its first run left nothing.
 */
final class ConnectionLossRetryTest {
    @Test
    void runsTheTransactionAgainOnANewConnectionWhenItsConnectionIsKilledBeforeTheCommit() throws Exception {
        String url = TestDatabase.newDatabase();
        try (Connection c = admin(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE visit (id INT PRIMARY KEY, run INT NOT NULL)");
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicInteger runs = new AtomicInteger();
        try (Database db = Database.connect(url, TestDatabase.admin(), meters)) {
            int committedBy = db.inTransaction(c -> {
                int run = runs.incrementAndGet();
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO visit (id, run) VALUES (" + run + ", " + run + ")");
                    if (run == 1) {
                        kill(url, connectionId(c));
                    }
                    s.executeUpdate("UPDATE visit SET run = run WHERE id = " + run);
                }
                return run;
            });
            assertEquals(2, committedBy, "the second run committed");
            assertEquals(1, (long) meters.get(TransactionRetry.METER).tag("reason", "connection_lost").counter()
                    .count());
            int[] rows = db.withConnection(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM visit")) {
                    rs.next();
                    int only = rs.getInt(1);
                    return new int[] {only, rs.next() ? 1 : 0};
                }
            });
            assertEquals(2, rows[0], "only the second run's row");
            assertEquals(0, rows[1], "and no other");
        }
    }

    @Test
    void runsAReadAgainWhenItsConnectionIsKilledUnderIt() throws Exception {
        String url = TestDatabase.newDatabase();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicInteger runs = new AtomicInteger();
        try (Database db = Database.connect(url, TestDatabase.admin(), meters)) {
            long answer = db.read(c -> {
                if (runs.incrementAndGet() == 1) {
                    kill(url, connectionId(c));
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 6 * 7")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertEquals(42, answer);
            assertEquals(2, runs.get());
            assertEquals(1, (long) meters.get(TransactionRetry.METER).tag("reason", "connection_lost").counter()
                    .count());
        }
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void kill(String url, long id) throws SQLException {
        try (Connection c = admin(url); Statement s = c.createStatement()) {
            s.execute("KILL CONNECTION " + id);
        }
    }

    private static Connection admin(String url) throws SQLException {
        return DriverManager.getConnection(url, TestDatabase.admin().user(), TestDatabase.admin().password());
    }
}
