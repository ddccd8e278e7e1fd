package jp.kofu.db;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures run a transaction again, and how long it waits before. */
final class TransactionRetryTest {
    private static final SQLException DEADLOCK = new SQLException(
            "Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);

    @Test
    void countsADeadlockAtCommitOnGaleraAsACertificationConflict() {
        assertEquals(Optional.of(TransactionRetry.Reason.CERTIFICATION), TransactionRetry.reason(DEADLOCK, TransactionRetry.Stage.COMMITTING, true, false));
        assertEquals(Optional.of(TransactionRetry.Reason.DEADLOCK), TransactionRetry.reason(DEADLOCK, TransactionRetry.Stage.WORKING, true, false));
        assertEquals(Optional.of(TransactionRetry.Reason.DEADLOCK), TransactionRetry.reason(DEADLOCK, TransactionRetry.Stage.COMMITTING, false, false));
    }

    @Test
    void retriesALockWaitTimeout() {
        assertEquals(Optional.of(TransactionRetry.Reason.LOCK_WAIT_TIMEOUT), TransactionRetry.reason(
                new SQLException("Lock wait timeout exceeded; try restarting transaction", "HY000", 1205), TransactionRetry.Stage.WORKING,
                false, false));
    }

    @Test
    void triesANodeOutsideThePrimaryComponentForAWhile() {
        SQLException notReady = new SQLException("WSREP has not yet prepared node for application use", "08S01", 1047);
        assertEquals(Optional.of(TransactionRetry.Reason.NOT_PRIMARY),
                TransactionRetry.reason(notReady, TransactionRetry.Stage.WORKING, true, false));
        SQLException commitRefused = new SQLException("Error while appending streaming replication fragment"
                + "(provider status: Not connected to Primary Component)", "HY000", 1180);
        assertEquals(Optional.of(TransactionRetry.Reason.NOT_PRIMARY),
                TransactionRetry.reason(commitRefused, TransactionRetry.Stage.COMMITTING, true, false));
        assertTrue(TransactionRetry.isNodeNotReady(notReady));
        // For a time, not a number of runs: a cluster reforms within seconds.
        assertTrue(TransactionRetry.runsAgain(TransactionRetry.Reason.NOT_PRIMARY, 40, 11_000));
        assertFalse(TransactionRetry.runsAgain(TransactionRetry.Reason.NOT_PRIMARY, 2, 12_500));
        assertFalse(TransactionRetry.runsAgain(TransactionRetry.Reason.CERTIFICATION, 10, 50));
        assertTrue(TransactionRetry.runsAgain(TransactionRetry.Reason.CERTIFICATION, 9, 50));
    }

    @Test
    void triesToGetAConnectionAgainOnAClusterOnly() {
        SQLException noConnection = new java.sql.SQLTransientConnectionException(
                "kofu - Connection is not available, request timed out after 3000ms.");
        assertEquals(Optional.of(TransactionRetry.Reason.NO_CONNECTION),
                TransactionRetry.reason(noConnection, TransactionRetry.Stage.CONNECTING, true, false));
        assertEquals(Optional.empty(),
                TransactionRetry.reason(noConnection, TransactionRetry.Stage.CONNECTING, false, false));
    }

    @Test
    void retriesAConnectionLostBeforeTheCommitOrAtTheCommitOfIdempotentWork() {
        SQLException lost = new java.sql.SQLNonTransientConnectionException(
                "(conn=12) Connection reset", "08000", 0);
        assertEquals(Optional.of(TransactionRetry.Reason.CONNECTION_LOST),
                TransactionRetry.reason(lost, TransactionRetry.Stage.WORKING, true, false));
        // At the commit the outcome is unknown (it may have been applied): run again only when that is harmless.
        assertEquals(Optional.empty(), TransactionRetry.reason(lost, TransactionRetry.Stage.COMMITTING, true, false));
        assertEquals(Optional.of(TransactionRetry.Reason.CONNECTION_LOST),
                TransactionRetry.reason(lost, TransactionRetry.Stage.COMMITTING, true, true));
        // Wrapped by the driver, with the SQLState on the cause only.
        assertEquals(Optional.of(TransactionRetry.Reason.CONNECTION_LOST), TransactionRetry.reason(
                new SQLException("statement failed", null, 0, new SQLException("Socket closed", "08S01")), TransactionRetry.Stage.WORKING,
                false, false));
    }

    @Test
    void backsOffAFewMillisecondsGrowingToACap() {
        for (int i = 0; i < 200; i++) {
            long first = TransactionRetry.backoffMillis(TransactionRetry.Reason.CERTIFICATION, 1);
            assertTrue(first >= 2 && first <= 4, "first " + first);
            long third = TransactionRetry.backoffMillis(TransactionRetry.Reason.DEADLOCK, 3);
            assertTrue(third >= 8 && third <= 16, "third " + third);
            long late = TransactionRetry.backoffMillis(TransactionRetry.Reason.CERTIFICATION, 30);
            assertTrue(late >= 50 && late <= 100, "late " + late);
            long lateUnavailable = TransactionRetry.backoffMillis(TransactionRetry.Reason.NO_CONNECTION, 30);
            assertTrue(lateUnavailable >= 250 && lateUnavailable <= 500, "late, node away " + lateUnavailable);
        }
    }
}
