package jp.kofu.municipality;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class HolidayCalendarTest {
    private final HolidayCalendar japan = HolidayCalendar.japan();

    @Test
    void shippedFileIsWhatTheHolidayLawGives() throws Exception {
        // The data is shipped; the rules only check it. A hand edit (or a law change) shows here.
        try (InputStream in = HolidayCalendar.class.getResourceAsStream("/holidays/japan.csv")) {
            String shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(HolidayRules.csv(2020, 2035), shipped);
        }
        assertEquals(2020, japan.firstYear());
        assertEquals(2035, japan.lastYear());
    }

    @Test
    void knowsSubstituteHolidaysAndCitizensHolidays() {
        assertEquals(Optional.of("振替休日"), japan.holiday(LocalDate.of(2025, 2, 24)), "天皇誕生日 on a Sunday");
        assertEquals(Optional.of("振替休日"), japan.holiday(LocalDate.of(2025, 5, 6)), "みどりの日 on a Sunday, 5/5 taken");
        assertEquals(Optional.of("国民の休日"), japan.holiday(LocalDate.of(2026, 9, 22)), "between 敬老の日 and 秋分の日");
        assertEquals(Optional.of("振替休日"), japan.holiday(LocalDate.of(2024, 9, 23)), "秋分の日 on a Sunday");
        assertEquals(Optional.of("国民の休日"), japan.holiday(LocalDate.of(2032, 9, 21)));
    }

    @Test
    void knowsTheOlympicMovesOf2020And2021() {
        assertEquals(Optional.of("海の日"), japan.holiday(LocalDate.of(2020, 7, 23)));
        assertEquals(Optional.of("スポーツの日"), japan.holiday(LocalDate.of(2020, 7, 24)));
        assertEquals(Optional.of("山の日"), japan.holiday(LocalDate.of(2020, 8, 10)));
        assertEquals(Optional.of("海の日"), japan.holiday(LocalDate.of(2021, 7, 22)));
        assertEquals(Optional.of("スポーツの日"), japan.holiday(LocalDate.of(2021, 7, 23)));
        assertEquals(Optional.of("振替休日"), japan.holiday(LocalDate.of(2021, 8, 9)), "山の日 8/8 was a Sunday");
        assertEquals(Optional.empty(), japan.holiday(LocalDate.of(2021, 10, 11)), "no スポーツの日 in October 2021");
        assertEquals(Optional.empty(), japan.holiday(LocalDate.of(2020, 8, 11)));
    }

    @Test
    void computesTheEquinoxesAsAnnounced() {
        // 暦要項 of the 国立天文台.
        assertEquals(Optional.of("春分の日"), japan.holiday(LocalDate.of(2023, 3, 21)));
        assertEquals(Optional.of("春分の日"), japan.holiday(LocalDate.of(2024, 3, 20)));
        assertEquals(Optional.of("秋分の日"), japan.holiday(LocalDate.of(2024, 9, 22)));
        assertEquals(Optional.of("秋分の日"), japan.holiday(LocalDate.of(2025, 9, 23)));
        assertEquals(Optional.of("春分の日"), japan.holiday(LocalDate.of(2027, 3, 21)));
    }

    @Test
    void saysWorkdayUnknownOutsideTheCoveredYears() {
        assertEquals(HolidayCalendar.Workday.UNKNOWN, japan.isWorkday(LocalDate.of(2036, 1, 7)));
        assertEquals(HolidayCalendar.Workday.UNKNOWN, japan.isWorkday(LocalDate.of(2019, 12, 2)));
        assertEquals(HolidayCalendar.Workday.NO, japan.isWorkday(LocalDate.of(2036, 1, 5)), "a Saturday needs no calendar");
        assertEquals(HolidayCalendar.Workday.YES, japan.isWorkday(LocalDate.of(2026, 12, 1)));
        assertEquals(HolidayCalendar.Workday.NO, japan.isWorkday(LocalDate.of(2026, 11, 23)));
    }

    @Test
    void refusesACalendarWithAMissingYear() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HolidayCalendar.parse(
                new StringReader("date,name\n2020-01-01,元日\n2022-01-01,元日\n")));
        assertTrue(e.getMessage().contains("2021"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HolidayCalendar.parse(new StringReader("2020-13-01,x\n")));
    }
}
