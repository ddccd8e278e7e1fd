package jp.kofu;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand. */
public final class TestClock extends Clock {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    /**
     * Noon of the last day before today (Asia/Tokyo) on which every certificate is served: every type is closed
     * 12/29–1/3 (contract §8), so a test of a municipalities file run then steps back to 12/28.
     */
    public static java.time.ZonedDateTime lastServiceDayNoon() {
        return serviceDayNotAfter(java.time.LocalDate.now(TOKYO).minusDays(1)).atTime(12, 0).atZone(TOKYO);
    }

    /**
     * The system clock, set back to 12/28 when today is in the year-end closure (12/29–1/3), so that a test that
     * runs on real time with a municipalities file can issue on any day of the year. Sign requests with it.
     */
    public static Clock serviceDay() {
        java.time.LocalDate today = java.time.LocalDate.now(TOKYO);
        return Clock.offset(Clock.systemUTC(), Duration.ofDays(serviceDayNotAfter(today).toEpochDay() - today.toEpochDay()));
    }

    /** {@code day}, or the last day before it outside the year-end closure. */
    private static java.time.LocalDate serviceDayNotAfter(java.time.LocalDate day) {
        while ((day.getMonthValue() == 12 && day.getDayOfMonth() >= 29)
                || (day.getMonthValue() == 1 && day.getDayOfMonth() <= 3)) {
            day = day.minusDays(1);
        }
        return day;
    }

    private volatile Instant now;

    public TestClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
