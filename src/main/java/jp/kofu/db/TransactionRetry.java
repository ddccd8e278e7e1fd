package jp.kofu.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When {@link Database#inTransaction} runs a transaction again: after a deadlock, a lock wait timeout or a Galera
 * certification conflict, at most {@link #MAX_ATTEMPTS} runs in all, with a short exponential backoff with jitter
 * between them (so that two transactions that collided do not collide again in step). Each retry is counted in
 * {@code kofu_db_transaction_retries_total{reason}}.
 *
 * <p>On Galera a certification failure surfaces as error 1213 with SQLState 40001, the text of an InnoDB deadlock; it
 * is told apart by where it happens: at {@code COMMIT} on a Galera node (certification runs at commit). A 1213 during
 * a statement (an InnoDB deadlock, or a local transaction aborted by a write set another node committed first) counts
 * as {@code deadlock}. Error 1047 ({@code WSREP has not yet prepared node for application use}) is not a conflict:
 * the node is not part of the primary component, and the transaction fails as unavailable.
 */
final class TransactionRetry {
    /** The Micrometer name; Prometheus shows it as {@code kofu_db_transaction_retries_total}. */
    static final String METER = "kofu.db.transaction.retries";
    /**
     * Two Kofu nodes issuing for one municipality on a Galera cluster conflict on its chain head and number counter
     * (0.25–0.42 retries per issuance in KofuOnGaleraIT); with 5 runs one issuance in about a thousand still ran out
     * of attempts, a 503 to a resident. 10 runs (at most ~0.6 s of backoff in all) make that vanishingly rare until
     * those hot rows are split per node.
     */
    static final int MAX_ATTEMPTS = 10;
    /** Backoff before the second run; doubled for every further run, up to {@link #MAX_BACKOFF_MS}. */
    static final long FIRST_BACKOFF_MS = 4;
    static final long MAX_BACKOFF_MS = 100;

    static final int ER_LOCK_DEADLOCK = 1213;
    static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    /** ER_UNKNOWN_COM_ERROR, which Galera answers while the node is not ready (not synced, not primary). */
    static final int ER_WSREP_NOT_READY = 1047;

    enum Reason {
        DEADLOCK, LOCK_WAIT_TIMEOUT, CERTIFICATION,
        /** The connection broke (a database node died) before the commit, or at the commit of idempotent work. */
        CONNECTION_LOST;

        String tag() {
            return name().toLowerCase();
        }
    }

    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

    TransactionRetry(MeterRegistry meters) {
        for (Reason reason : Reason.values()) {
            counters.put(reason, Counter.builder(METER)
                    .description("Database transactions run again after a deadlock, lock wait timeout or Galera"
                            + " certification conflict")
                    .tag("reason", reason.tag())
                    .register(meters));
        }
    }

    /** How far a run of a transaction got when it failed. */
    enum Stage {
        /** Getting a connection from the pool (which has already waited for one). */
        CONNECTING,
        /** Running the work: nothing is committed yet. */
        WORKING,
        /** At the commit: it may or may not have been applied. */
        COMMITTING
    }

    /**
     * Why {@code e} is worth another run of the transaction, or empty when it is not. A connection lost while the
     * work ran is: nothing of it can have been committed. One lost at the commit only when the work is
     * {@code idempotent} — its second run after a commit that did happen changes nothing (it starts by claiming a
     * unique key, and finds it taken) — since the commit may have been applied. A failure to get a connection at
     * all is not (the pool has already waited for one).
     */
    static Optional<Reason> reason(SQLException e, Stage stage, boolean galera, boolean idempotent) {
        return switch (e.getErrorCode()) {
            case ER_LOCK_DEADLOCK -> Optional.of(galera && stage == Stage.COMMITTING ? Reason.CERTIFICATION
                    : Reason.DEADLOCK);
            case ER_LOCK_WAIT_TIMEOUT -> Optional.of(Reason.LOCK_WAIT_TIMEOUT);
            case ER_WSREP_NOT_READY -> Optional.empty();
            default -> isConnectionLoss(e) && (stage == Stage.WORKING || stage == Stage.COMMITTING && idempotent)
                    ? Optional.of(Reason.CONNECTION_LOST) : Optional.empty();
        };
    }

    /**
     * A broken connection: SQLState class 08 (connection exception), as the driver reports a dead server. (Galera's
     * 1047 comes with 08S01 too, but its connection is alive: {@link #reason} excludes it.)
     */
    static boolean isConnectionLoss(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    static boolean isNodeNotReady(SQLException e) {
        return e.getErrorCode() == ER_WSREP_NOT_READY;
    }

    void count(Reason reason) {
        counters.get(reason).increment();
    }

    /** The pause after run {@code attempt} (1-based) failed: half to all of 4, 8, 16 … ms, at most 100 ms. */
    static long backoffMillis(int attempt) {
        long ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempt - 1, 20));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
}
