package jp.kofu.console;

import jp.kofu.contract.Tokyo;
import jp.kofu.pdf.JapaneseDates;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Dates and times as the console shows them: 2026年11月23日 10:15:30 (Asia/Tokyo), and 和暦 where clerks expect it. */
final class ConsoleDates {
    static final ZoneId TOKYO = Tokyo.ZONE;
    private static final String[] WEEKDAYS = {"月", "火", "水", "木", "金", "土", "日"};

    private ConsoleDates() {}

    static String date(LocalDate d) {
        return d.getYear() + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日";
    }

    /** 令和8年11月23日 */
    static String wareki(LocalDate d) {
        return JapaneseDates.wareki(d);
    }

    /** 令和8年11月23日（月） */
    static String warekiWithWeekday(LocalDate d) {
        return wareki(d) + "（" + weekday(d.getDayOfWeek()) + "）";
    }

    /** 11月23日（月） */
    static String dayWithWeekday(LocalDate d) {
        return d.getMonthValue() + "月" + d.getDayOfMonth() + "日（" + weekday(d.getDayOfWeek()) + "）";
    }

    static String dateTime(Instant t) {
        ZonedDateTime z = t.atZone(TOKYO);
        return date(z.toLocalDate()) + String.format(" %d:%02d:%02d", z.getHour(), z.getMinute(), z.getSecond());
    }

    /** 令和8年11月23日（2026年11月23日）10時15分30秒 */
    static String longDateTime(Instant t) {
        ZonedDateTime z = t.atZone(TOKYO);
        LocalDate d = z.toLocalDate();
        return wareki(d) + "（" + date(d) + "）" + z.getHour() + "時" + z.getMinute() + "分" + z.getSecond() + "秒";
    }

    private static String weekday(DayOfWeek d) {
        return WEEKDAYS[d.getValue() - 1];
    }
}
