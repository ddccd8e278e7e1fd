package jp.kofu.console.account;

import jakarta.inject.Singleton;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place where a password is compared with its Argon2id hash: at most
 * {@code kofu.console.max-concurrent-hashes} at a time on this node, and never while a database connection is held
 * (callers read the hash, give the connection back, then ask here). When every permit is taken the attempt is
 * refused at once ({@link Check#BUSY}) rather than queued, so a flood of logins cannot starve the node's two cores.
 * An unknown account is compared with a dummy hash, so that it costs the same time as a known one.
 */
@Singleton
public final class HashGate {
    /** What came of a comparison. */
    public enum Check { RIGHT, WRONG, BUSY }

    private final Semaphore permits;
    private final AtomicLong computed = new AtomicLong();

    public HashGate(ConsoleSettings settings) {
        this.permits = new Semaphore(settings.maxConcurrentHashes());
    }

    /** Compares {@code password} with {@code hashOrNull}; a null hash (no such account) is always WRONG. */
    public Check check(String password, String hashOrNull) {
        if (!permits.tryAcquire()) {
            return Check.BUSY;
        }
        try {
            computed.incrementAndGet();
            if (hashOrNull == null) {
                Passwords.burnTime(password);
                return Check.WRONG;
            }
            return Passwords.matches(password, hashOrNull) ? Check.RIGHT : Check.WRONG;
        } finally {
            permits.release();
        }
    }

    /** Hash computations begun on this node since it started (for tests and metrics). */
    public long computed() {
        return computed.get();
    }
}
