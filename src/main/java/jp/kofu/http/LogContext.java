package jp.kofu.http;

import org.slf4j.MDC;

/**
 * The two MDC keys of the operations log (docs/logs.md): {@value #REQUEST}, a short id of each HTTP request
 * ({@link RequestLogFilter}), and {@value #TRANSACTION}, the center's {@code centerTransactionId} of a
 * card-signed request once its body is parsed. Nothing else goes into the MDC, and never personal data: both are
 * opaque ids, the transaction id checked against the contract's token pattern before it is set.
 */
public final class LogContext {
    public static final String REQUEST = "req";
    public static final String TRANSACTION = "txn";

    private LogContext() {}

    /** Tags the rest of the request's lines with its transaction id; {@link #transactionScope()} removes it. */
    public static void transaction(String centerTransactionId) {
        MDC.put(TRANSACTION, centerTransactionId);
    }

    /**
     * The part of a request in which {@link #transaction} may be called; closing it removes the transaction id from
     * the thread, so that the next request served on the same pool thread never carries it (the propagated MDC is
     * restored after the controller too; this holds even where it is not).
     */
    public static Scope transactionScope() {
        return () -> MDC.remove(TRANSACTION);
    }

    /** A scope without checked exceptions, for try-with-resources. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
