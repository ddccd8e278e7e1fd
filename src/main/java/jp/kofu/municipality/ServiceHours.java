package jp.kofu.municipality;

import jp.kofu.contract.Tokyo;
import jp.kofu.config.SettingException;
import jp.kofu.contract.CertificateType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a municipality issues each certificate type (contract §8): a range per type, or the {@code default} range;
 * a range may be {@code weekdays} only (Monday–Friday except national holidays, {@link HolidayCalendar}); and every
 * type is closed 12/29–1/3 (年末年始) unless the hours say otherwise (the built-in demo municipality, open always).
 * Times are local in Asia/Tokyo.
 */
public final class ServiceHours {
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.hours");
    private static final ZoneId TOKYO = Tokyo.ZONE;
    private static final String FORM = "expected \"HH:MM-HH:MM\" or \"HH:MM-HH:MM weekdays\", the end after the start";
    /** Dates already reported as outside the holiday calendar, so the alarm is raised once per date. */
    private static final Set<LocalDate> REPORTED = ConcurrentHashMap.newKeySet();

    /**
     * One range of a day: from {@code from} (inclusive) to {@code until} (exclusive; {@code null} = midnight,
     * "24:00"), on every day or on workdays only.
     */
    public record Range(LocalTime from, LocalTime until, boolean weekdaysOnly) {
        public boolean contains(LocalTime time) {
            return !time.isBefore(from) && (until == null || time.isBefore(until));
        }

        @Override
        public String toString() {
            return from + "-" + (until == null ? "24:00" : until.toString()) + (weekdaysOnly ? " weekdays" : "");
        }
    }

    private final Range defaultRange;
    private final Map<CertificateType, Range> byType;
    private final boolean closedAtYearEnd;
    /** 戸籍 types without a range of their own take the default range on weekdays only (as a municipality's file). */
    private final boolean kosekiOnWeekdays;
    private final HolidayCalendar calendar;

    private ServiceHours(Range defaultRange, Map<CertificateType, Range> byType, boolean closedAtYearEnd,
                         HolidayCalendar calendar) {
        this.defaultRange = defaultRange;
        this.byType = byType.isEmpty() ? Map.of() : new EnumMap<>(byType);
        this.closedAtYearEnd = closedAtYearEnd;
        this.kosekiOnWeekdays = closedAtYearEnd;
        this.calendar = calendar;
    }

    /** The same range for every type, on every day of the year (the demo municipality, and old callers). */
    public static ServiceHours always(LocalTime from, LocalTime until) {
        return new ServiceHours(new Range(from, until, false), Map.of(), false, HolidayCalendar.japan());
    }

    /** Hours as a municipalities file gives them: closed 12/29–1/3. */
    static ServiceHours of(Range defaultRange, Map<CertificateType, Range> byType, HolidayCalendar calendar) {
        return new ServiceHours(defaultRange, byType, true, calendar);
    }

    /**
     * Reads {@code serviceHours}: a string (one range for every type) or a mapping of {@code default} and type
     * names; absent → "06:30-23:00". {@code where} names the key in errors.
     */
    static ServiceHours parse(Object value, String key, String where, HolidayCalendar calendar) {
        if (value == null) {
            return of(new Range(LocalTime.of(6, 30), LocalTime.of(23, 0), false), Map.of(), calendar);
        }
        if (!(value instanceof Map<?, ?> map)) {
            return of(range(String.valueOf(value), key, where), Map.of(), calendar);
        }
        Range fallback = null;
        Map<CertificateType, Range> byType = new EnumMap<>(CertificateType.class);
        for (var e : map.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (e.getValue() == null) {
                throw new SettingException(key, where + "." + name + ": " + FORM);
            }
            Range r = range(String.valueOf(e.getValue()), key, where + "." + name);
            if ("default".equals(name)) {
                fallback = r;
            } else {
                CertificateType type = CertificateType.of(name).orElseThrow(() -> new SettingException(key,
                        where + "." + name + ": not a certificate type of contract §8 (nor 'default')"));
                byType.put(type, r);
            }
        }
        if (fallback == null) {
            throw new SettingException(key, where + ".default: required when serviceHours is a mapping");
        }
        return of(fallback, byType, calendar);
    }

    /** One range, "HH:MM-HH:MM" with an optional " weekdays" ("24:00" = midnight at the end). */
    static Range range(String value, String key, String where) {
        String text = value.strip();
        boolean weekdays = false;
        if (text.endsWith(" weekdays")) {
            weekdays = true;
            text = text.substring(0, text.length() - " weekdays".length()).strip();
        }
        String[] parts = text.split("-");
        try {
            if (parts.length == 2) {
                LocalTime from = LocalTime.parse(parts[0].trim());
                String end = parts[1].trim();
                LocalTime until = "24:00".equals(end) ? null : LocalTime.parse(end);
                if (until == null || until.isAfter(from)) {
                    return new Range(from, until, weekdays);
                }
            }
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        throw new SettingException(key, where + ": " + FORM);
    }

    /** The range of types that have none of their own: what the kiosk hours are checked against. */
    public Range defaultRange() {
        return defaultRange;
    }

    /**
     * The type's range: its own, else the default — for a 戸籍 type of a municipality's file the default on weekdays
     * only (issue 15: 戸籍 is a weekday service unless the file gives the type hours of its own, e.g.
     * {@code KOSEKI_FUHYO: "06:30-23:00"}).
     */
    public Range rangeOf(CertificateType type) {
        Range own = byType.get(type);
        if (own != null) {
            return own;
        }
        if (kosekiOnWeekdays && type.isKoseki() && !defaultRange.weekdaysOnly()) {
            return new Range(defaultRange.from(), defaultRange.until(), true);
        }
        return defaultRange;
    }

    /** True when the range of some type {@code offered} is weekdays only, so the holiday calendar matters. */
    public boolean usesHolidayCalendar(java.util.function.Predicate<CertificateType> offered) {
        return java.util.Arrays.stream(CertificateType.values()).filter(offered)
                .anyMatch(t -> rangeOf(t).weekdaysOnly());
    }

    public boolean closedAtYearEnd() {
        return closedAtYearEnd;
    }

    /** Why a type is closed at a moment, or empty when it is open. */
    public enum Closed { HOURS, YEAR_END, NOT_A_WORKDAY, CALENDAR_UNKNOWN }

    /**
     * Whether the type is issued at this moment (any zone; judged in Asia/Tokyo). A {@code weekdays} range on a date
     * the holiday calendar does not cover is closed (fail closed), with an operations alarm once per date.
     */
    public Optional<Closed> closedAt(CertificateType type, ZonedDateTime moment) {
        ZonedDateTime tokyo = moment.withZoneSameInstant(TOKYO);
        LocalDate day = tokyo.toLocalDate();
        if (closedAtYearEnd && isYearEnd(day)) {
            return Optional.of(Closed.YEAR_END);
        }
        Range r = rangeOf(type);
        if (!r.contains(tokyo.toLocalTime())) {
            return Optional.of(Closed.HOURS);
        }
        if (r.weekdaysOnly()) {
            switch (calendar.isWorkday(day)) {
                case NO:
                    return Optional.of(Closed.NOT_A_WORKDAY);
                case UNKNOWN:
                    if (REPORTED.add(day)) {
                        OPS.error("ALARM holiday calendar covers {}-{} only: {} is not known to be a workday;"
                                + " \"weekdays\" service is closed until holidays/japan.csv is extended",
                                calendar.firstYear(), calendar.lastYear(), day);
                    }
                    return Optional.of(Closed.CALENDAR_UNKNOWN);
                default:
                    break;
            }
        }
        return Optional.empty();
    }

    public boolean isOpen(CertificateType type, ZonedDateTime moment) {
        return closedAt(type, moment).isEmpty();
    }

    /** 12/29 to 1/3 inclusive: 年末年始. */
    static boolean isYearEnd(LocalDate day) {
        MonthDay md = MonthDay.from(day);
        return !md.isBefore(MonthDay.of(12, 29)) || !md.isAfter(MonthDay.of(1, 3));
    }

    @Override
    public String toString() {
        return "ServiceHours[default " + defaultRange + (byType.isEmpty() ? "" : ", " + byType) + "]";
    }

    /** Same hours, same calendar: a reload tells a changed municipality from an unchanged one by this. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceHours h && defaultRange.equals(h.defaultRange) && byType.equals(h.byType)
                && closedAtYearEnd == h.closedAtYearEnd && kosekiOnWeekdays == h.kosekiOnWeekdays
                && calendar == h.calendar;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(defaultRange, byType, closedAtYearEnd, kosekiOnWeekdays);
    }
}
