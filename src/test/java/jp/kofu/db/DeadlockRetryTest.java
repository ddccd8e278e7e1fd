package jp.kofu.db;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jp.kofu.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Real InnoDB deadlocks between two transactions that lock two rows in opposite order: the victim is run again and
 * both complete, and the retry is counted. Regression: on Galera, certification conflicts (error 1213) were 503s.
 */
final class DeadlockRetryTest {
    private static final int ROUNDS = 3;

    @Test
    void completesBothTransactionsOfADeadlockAndCountsTheRetry() throws Exception {
        String url = TestDatabase.newDatabase();
        try (Connection c = DriverManager.getConnection(url, TestDatabase.admin().user(), TestDatabase.admin().password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE counter_pair (id INT PRIMARY KEY, n INT NOT NULL)");
            s.execute("INSERT INTO counter_pair VALUES (1, 0), (2, 0)");
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Database db = Database.connect(url, TestDatabase.admin(), meters)) {
            for (int round = 0; round < ROUNDS; round++) {
                CyclicBarrier bothHoldTheirFirstRow = new CyclicBarrier(2);
                AtomicInteger runsA = new AtomicInteger();
                AtomicInteger runsB = new AtomicInteger();
                Future<Integer> a = threads.submit(() -> db.inTransaction(c -> lockBoth(c, 1, 2, runsA,
                        bothHoldTheirFirstRow)));
                Future<Integer> b = threads.submit(() -> db.inTransaction(c -> lockBoth(c, 2, 1, runsB,
                        bothHoldTheirFirstRow)));
                a.get(60, TimeUnit.SECONDS);
                b.get(60, TimeUnit.SECONDS);
                // One of the two was the deadlock's victim and ran twice.
                assertEquals(3, runsA.get() + runsB.get(), "runs in round " + round);
            }
            assertEquals(ROUNDS, (long) meters.get(TransactionRetry.METER).tag("reason", "deadlock").counter().count());
            assertEquals(0, (long) meters.get(TransactionRetry.METER).tag("reason", "certification").counter().count());
            int[] n = db.withConnection(c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT n FROM counter_pair ORDER BY id")) {
                    rs.next();
                    int first = rs.getInt(1);
                    rs.next();
                    return new int[] {first, rs.getInt(1)};
                }
            });
            // Every transaction's work committed exactly once: the victim's first run was rolled back.
            assertEquals(2 * ROUNDS, n[0]);
            assertEquals(2 * ROUNDS, n[1]);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Only a cluster reforms by itself: outside Galera a "not ready" answer is not tried again (TransactionRetryTest). */
    @Test
    void failsAtOnceWhenAServerThatIsNotAGaleraNodeAnswersNotReady() {
        AtomicInteger runs = new AtomicInteger();
        try (Database db = Database.connect(TestDatabase.newDatabase(), TestDatabase.admin(), new SimpleMeterRegistry())) {
            assertThrows(DatabaseUnavailableException.class, () -> db.inTransaction(c -> {
                runs.incrementAndGet();
                // What a Galera node outside the primary component answers to any statement.
                throw new SQLException("WSREP has not yet prepared node for application use", "08S01", 1047);
            }));
        }
        assertEquals(1, runs.get());
    }

    @Test
    void givesUpAConflictAfterMaxAttempts() {
        AtomicInteger runs = new AtomicInteger();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Database db = Database.connect(TestDatabase.newDatabase(), TestDatabase.admin(), meters)) {
            assertThrows(DatabaseUnavailableException.class, () -> db.inTransaction(c -> {
                runs.incrementAndGet();
                throw new SQLException("Deadlock found when trying to get lock; try restarting transaction", "40001",
                        1213);
            }));
        }
        assertEquals(TransactionRetry.MAX_ATTEMPTS, runs.get());
        assertEquals(TransactionRetry.MAX_ATTEMPTS - 1,
                (long) meters.get(TransactionRetry.METER).tag("reason", "deadlock").counter().count());
    }

    /** Locks {@code first}, waits (on the first run only) until the other transaction holds its row, locks {@code second}. */
    private static int lockBoth(Connection c, int first, int second, AtomicInteger runs, CyclicBarrier barrier)
            throws SQLException {
        lock(c, first);
        if (runs.incrementAndGet() == 1) {
            try {
                barrier.await(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the other transaction did not lock its first row", e);
            }
        }
        lock(c, second);
        try (Statement s = c.createStatement()) {
            return s.executeUpdate("UPDATE counter_pair SET n = n + 1");
        }
    }

    private static void lock(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT n FROM counter_pair WHERE id = ? FOR UPDATE")) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
            }
        }
    }
}
