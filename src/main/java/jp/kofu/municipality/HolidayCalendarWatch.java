package jp.kofu.municipality;

import jp.kofu.contract.Tokyo;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Optional;

/**
 * Says at start-up, in the operations log, when the holiday calendar is about to end (or has ended) for a municipality
 * that serves some type on weekdays only: after its last year, such types are closed (docs/contract-notes.md).
 */
@Context
public final class HolidayCalendarWatch {
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.hours");

    HolidayCalendarWatch(MunicipalityRegistry municipalities, Clock clock) {
        warning(municipalities.all(), HolidayCalendar.japan(), LocalDate.now(clock.withZone(Tokyo.ZONE)))
                .ifPresent(OPS::warn);
    }

    /**
     * Whether a type served on weekdays only is closed today because the calendar has ended: {@code today} is after
     * its last year (the alarm HOLIDAY_CALENDAR).
     */
    public static boolean ended(Collection<Municipality> all, HolidayCalendar calendar, LocalDate today) {
        return needed(all) && calendar.lastYear() < today.getYear();
    }

    private static boolean needed(Collection<Municipality> all) {
        return all.stream().anyMatch(m -> m.serviceHours().usesHolidayCalendar(m::offers));
    }

    /** The warning to give, if a weekdays range is served and the calendar ends before next year is over. */
    static Optional<String> warning(Collection<Municipality> all, HolidayCalendar calendar, LocalDate today) {
        if (!needed(all) || calendar.lastYear() > today.getYear()) {
            return Optional.empty();
        }
        return Optional.of((ended(all, calendar, today) ? "ALARM " : "")
                + "holidays/japan.csv covers " + calendar.firstYear() + "-" + calendar.lastYear()
                + ": \"weekdays\" service is closed on every date after it; extend it (HolidayRules) before then");
    }
}
