package jp.kofu.db;

/** The database could not be reached or did not answer; callers see 503 SERVICE_UNAVAILABLE. */
public final class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(Throwable cause) {
        super("database unavailable", cause);
    }
}
