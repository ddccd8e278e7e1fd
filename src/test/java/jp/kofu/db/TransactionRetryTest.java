package jp.kofu.db;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void doesNotRetryANodeThatIsNotReady() {
        SQLException notReady = new SQLException("WSREP has not yet prepared node for application use", "08S01", 1047);
        assertEquals(Optional.empty(), TransactionRetry.reason(notReady, TransactionRetry.Stage.WORKING, true, true));
        assertTrue(TransactionRetry.isNodeNotReady(notReady));
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
        // No connection at all: the pool has waited already.
        assertEquals(Optional.empty(), TransactionRetry.reason(new java.sql.SQLTransientConnectionException(
                "kofu - Connection is not available, request timed out after 3000ms."), TransactionRetry.Stage.CONNECTING, true, true));
        // Wrapped by the driver, with the SQLState on the cause only.
        assertEquals(Optional.of(TransactionRetry.Reason.CONNECTION_LOST), TransactionRetry.reason(
                new SQLException("statement failed", null, 0, new SQLException("Socket closed", "08S01")), TransactionRetry.Stage.WORKING,
                false, false));
    }

    @Test
    void backsOffAFewMillisecondsGrowingToACap() {
        for (int i = 0; i < 200; i++) {
            long first = TransactionRetry.backoffMillis(1);
            assertTrue(first >= 2 && first <= 4, "first " + first);
            long third = TransactionRetry.backoffMillis(3);
            assertTrue(third >= 8 && third <= 16, "third " + third);
            long late = TransactionRetry.backoffMillis(30);
            assertTrue(late >= 50 && late <= 100, "late " + late);
        }
    }
}
