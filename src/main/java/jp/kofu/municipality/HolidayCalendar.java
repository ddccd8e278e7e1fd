package jp.kofu.municipality;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Japan's national holidays (国民の祝日, 振替休日, 国民の休日) as data: {@code holidays/japan.csv} on the class path,
 * lines {@code date,name}. It covers whole years, from the first to the last year it names; a date outside them is
 * not known to be a workday or a holiday, and {@link #isWorkday} says so ({@link Workday#UNKNOWN}) instead of
 * guessing (docs/contract-notes.md: "weekdays" service is closed then, with an operations alarm).
 */
public final class HolidayCalendar {
    private static final String RESOURCE = "/holidays/japan.csv";
    private static volatile HolidayCalendar japan;

    private final Map<LocalDate, String> holidays;
    private final int firstYear;
    private final int lastYear;

    private HolidayCalendar(Map<LocalDate, String> holidays) {
        if (holidays.isEmpty()) {
            throw new IllegalArgumentException("holiday calendar: no dates");
        }
        TreeMap<LocalDate, String> sorted = new TreeMap<>(holidays);
        this.firstYear = sorted.firstKey().getYear();
        this.lastYear = sorted.lastKey().getYear();
        for (int y = firstYear; y <= lastYear; y++) {
            if (!sorted.containsKey(LocalDate.of(y, 1, 1))) {
                throw new IllegalArgumentException("holiday calendar: year " + y + " is missing (no 元日)");
            }
        }
        this.holidays = Map.copyOf(sorted);
    }

    /** The shipped calendar, read once. */
    public static HolidayCalendar japan() {
        HolidayCalendar c = japan;
        if (c == null) {
            try (InputStream in = HolidayCalendar.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("holiday calendar " + RESOURCE + " is not on the class path");
                }
                c = parse(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("holiday calendar " + RESOURCE + " unreadable", e);
            }
            japan = c;
        }
        return c;
    }

    /** Reads {@code date,name} lines; {@code #} comments, blank lines and the header are skipped. */
    static HolidayCalendar parse(Reader reader) throws IOException {
        Map<LocalDate, String> holidays = new TreeMap<>();
        BufferedReader in = new BufferedReader(reader);
        int number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            number++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.equals("date,name")) {
                continue;
            }
            int comma = l.indexOf(',');
            try {
                LocalDate date = LocalDate.parse(comma < 0 ? l : l.substring(0, comma));
                String name = comma < 0 ? "" : l.substring(comma + 1).strip();
                if (name.isEmpty() || holidays.put(date, name) != null) {
                    throw new IllegalArgumentException("holiday calendar line " + number + ": no name, or date twice");
                }
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("holiday calendar line " + number + ": not YYYY-MM-DD,name");
            }
        }
        return new HolidayCalendar(holidays);
    }

    public int firstYear() {
        return firstYear;
    }

    public int lastYear() {
        return lastYear;
    }

    public boolean covers(LocalDate date) {
        return date.getYear() >= firstYear && date.getYear() <= lastYear;
    }

    /** The holiday's name (元日, 振替休日 …), or empty for a day that is none; empty too outside the covered years. */
    public Optional<String> holiday(LocalDate date) {
        return Optional.ofNullable(holidays.get(date));
    }

    /** Whether a date is a workday (Monday–Friday, no national holiday), or unknown outside the covered years. */
    public enum Workday { YES, NO, UNKNOWN }

    public Workday isWorkday(LocalDate date) {
        DayOfWeek d = date.getDayOfWeek();
        if (d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY) {
            return Workday.NO;
        }
        if (!covers(date)) {
            return Workday.UNKNOWN;
        }
        return holidays.containsKey(date) ? Workday.NO : Workday.YES;
    }
}
