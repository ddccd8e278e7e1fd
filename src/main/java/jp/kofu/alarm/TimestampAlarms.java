package jp.kofu.alarm;

import jakarta.inject.Singleton;
import jp.kofu.signing.TimestampWatch;

/**
 * The time-stamp authority as this node sees it: each failure is an occurrence of TSA_DOWN (ASP-wide: one
 * {@code kofu.tsa.url} serves every municipality; per node: it is this node's way to it), the first answer after a
 * failure ends it. The watcher ({@link AlarmWatcher}) marks the row seen while the last call failed.
 */
@Singleton
public final class TimestampAlarms implements TimestampWatch {
    static final String SUBJECT = "時刻認証局（kofu.tsa.url）";
    private final Alarms alarms;
    /** True after a failure, and at start (a row this node left open before a restart is ended by the first answer). */
    private volatile boolean failing = true;
    private volatile boolean failedLast;

    public TimestampAlarms(Alarms alarms) {
        this.alarms = alarms;
    }

    @Override
    public void answered() {
        failedLast = false;
        if (failing) {
            failing = false;
            alarms.clear(AlarmKind.TSA_DOWN, null, alarms.onThisNode(SUBJECT));
        }
    }

    @Override
    public void failed(Exception e) {
        failing = true;
        failedLast = true;
        String why = e.getMessage() == null ? "" : ": " + e.getMessage();
        alarms.occurred(AlarmKind.TSA_DOWN, null, alarms.onThisNode(SUBJECT),
                "time-stamp request failed, nothing issued: " + e.getClass().getSimpleName() + Alarms.cut(why, 200),
                null);
    }

    /** Whether the last call to the authority from this node failed. */
    boolean down() {
        return failedLast;
    }
}
