package jp.kofu.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When {@link Database#inTransaction} runs a transaction again, and how long it keeps trying. Two kinds of failure
 * are worth another run, each counted in {@code kofu_db_transaction_retries_total{reason}}:
 * <ul>
 *   <li><b>Conflicts</b> — a deadlock, a lock wait timeout, a Galera certification conflict: at most
 *   {@link #MAX_ATTEMPTS} runs in all, with a short exponential backoff with jitter between them (so that two
 *   transactions that collided do not collide again in step).</li>
 *   <li><b>A database node going away</b> — the connection lost while the work ran, no connection to be had, or a
 *   Galera node outside the primary component (1047, or 1180 at the commit): the cluster needs a few seconds to
 *   notice a dead node and go on without it ({@code evs.suspect_timeout}, 5 s), so these are tried again, with
 *   backoff up to {@link #MAX_UNAVAILABLE_BACKOFF_MS}, for {@link #UNAVAILABLE_BUDGET} from the first run. A
 *   request in flight when a node dies is thus answered once the cluster has gone on, not with a 503.</li>
 * </ul>
 *
 * <p>On Galera a certification failure surfaces as error 1213 with SQLState 40001, the text of an InnoDB deadlock; it
 * is told apart by where it happens: at {@code COMMIT} on a Galera node (certification runs at commit). A 1213 during
 * a statement (an InnoDB deadlock, or a local transaction aborted by a write set another node committed first) counts
 * as {@code deadlock}.
 */
final class TransactionRetry {
    /** The Micrometer name; Prometheus shows it as {@code kofu_db_transaction_retries_total}. */
    static final String METER = "kofu.db.transaction.retries";
    /**
     * Runs of a transaction that keeps conflicting. KofuOnGaleraIT saw 0.25–0.42 retries per issuance while every
     * issuance of a municipality wrote one chain head and one counter; with 5 runs one issuance in about a thousand
     * still ran out of attempts. 10 runs are at most ~0.6 s of backoff in all.
     */
    static final int MAX_ATTEMPTS = 10;
    /** Backoff before the second run; doubled for every further run, up to {@link #MAX_BACKOFF_MS}. */
    static final long FIRST_BACKOFF_MS = 4;
    static final long MAX_BACKOFF_MS = 100;
    /** How long a transaction is tried again while its database node is going away (a cluster reforms in ~6 s). */
    static final Duration UNAVAILABLE_BUDGET = Duration.ofSeconds(12);
    static final long MAX_UNAVAILABLE_BACKOFF_MS = 500;

    static final int ER_LOCK_DEADLOCK = 1213;
    static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    /** ER_UNKNOWN_COM_ERROR, which Galera answers while the node is not ready (not synced, not primary). */
    static final int ER_WSREP_NOT_READY = 1047;
    /** ER_ERROR_DURING_COMMIT: on Galera, a commit refused (rolled back) while the node is not primary. */
    static final int ER_ERROR_DURING_COMMIT = 1180;

    enum Reason {
        DEADLOCK, LOCK_WAIT_TIMEOUT, CERTIFICATION,
        /** The connection broke (a database node died) before the commit, or at the commit of idempotent work. */
        CONNECTION_LOST,
        /** The pool had no connection to give within its timeout (every server it tried was gone or stalled). */
        NO_CONNECTION,
        /** A Galera node outside the primary component refused the work or its commit. */
        NOT_PRIMARY;

        String tag() {
            return name().toLowerCase();
        }

        /** Whether this reason is a database node going away (tried for a time) rather than a conflict. */
        boolean unavailable() {
            return this == CONNECTION_LOST || this == NO_CONNECTION || this == NOT_PRIMARY;
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

    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

    TransactionRetry(MeterRegistry meters) {
        for (Reason reason : Reason.values()) {
            counters.put(reason, Counter.builder(METER)
                    .description("Database transactions run again after a conflict (deadlock, lock wait timeout,"
                            + " Galera certification) or while a database node went away")
                    .tag("reason", reason.tag())
                    .register(meters));
        }
    }

    /**
     * Why {@code e} is worth another run of the transaction, or empty when it is not. A connection lost while the
     * work ran is: nothing of it can have been committed. One lost at the commit only when the work is
     * {@code idempotent} — its second run after a commit that did happen changes nothing (it starts by claiming a
     * unique key, and finds it taken) — since the commit may have been applied. No connection at all is worth
     * another run on a Galera cluster only (its nodes reform within seconds; the pool has already waited 3 s).
     */
    static Optional<Reason> reason(SQLException e, Stage stage, boolean galera, boolean idempotent) {
        if (stage == Stage.CONNECTING) {
            // Only a cluster comes back by itself within seconds; a single server that is gone is simply down.
            return galera ? Optional.of(isNodeNotReady(e) ? Reason.NOT_PRIMARY : Reason.NO_CONNECTION)
                    : Optional.empty();
        }
        return switch (e.getErrorCode()) {
            case ER_LOCK_DEADLOCK -> Optional.of(galera && stage == Stage.COMMITTING ? Reason.CERTIFICATION
                    : Reason.DEADLOCK);
            case ER_LOCK_WAIT_TIMEOUT -> Optional.of(Reason.LOCK_WAIT_TIMEOUT);
            case ER_WSREP_NOT_READY -> galera ? Optional.of(Reason.NOT_PRIMARY) : Optional.empty();
            case ER_ERROR_DURING_COMMIT -> galera ? Optional.of(Reason.NOT_PRIMARY) : Optional.empty();
            default -> isConnectionLoss(e) && (stage == Stage.WORKING || stage == Stage.COMMITTING && idempotent)
                    ? Optional.of(Reason.CONNECTION_LOST) : Optional.empty();
        };
    }

    /**
     * Whether a transaction that failed for {@code reason} on run {@code attempt}, {@code elapsedMillis} after its
     * first run began, runs again.
     */
    static boolean runsAgain(Reason reason, int attempt, long elapsedMillis) {
        return reason.unavailable() ? elapsedMillis < UNAVAILABLE_BUDGET.toMillis() : attempt < MAX_ATTEMPTS;
    }

    /**
     * A broken connection: SQLState class 08 (connection exception), as the driver reports a dead server. (Galera's
     * 1047 comes with 08S01 too, but its connection is alive: {@link #reason} tells it apart.)
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
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() == ER_WSREP_NOT_READY) {
                return true;
            }
        }
        return false;
    }

    void count(Reason reason) {
        counters.get(reason).increment();
    }

    /**
     * The pause after run {@code attempt} (1-based) failed: half to all of 4, 8, 16 … ms, at most 100 ms after a
     * conflict, at most 500 ms while a node is going away.
     */
    static long backoffMillis(Reason reason, int attempt) {
        long cap = reason.unavailable() ? MAX_UNAVAILABLE_BACKOFF_MS : MAX_BACKOFF_MS;
        long ceiling = Math.min(cap, FIRST_BACKOFF_MS << Math.min(attempt - 1, 20));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
}
