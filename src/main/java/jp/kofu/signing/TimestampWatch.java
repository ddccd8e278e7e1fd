package jp.kofu.signing;

/**
 * Told of every answer and every failure of the time-stamp authority ({@code kofu.tsa.url}), so that a failure
 * becomes an alarm and a later answer ends it (jp.kofu.alarm.TimestampAlarms). Must be quick and never throw.
 */
public interface TimestampWatch {
    TimestampWatch NONE = new TimestampWatch() {
        @Override
        public void answered() {}

        @Override
        public void failed(Exception e) {}
    };

    void answered();

    void failed(Exception e);
}
