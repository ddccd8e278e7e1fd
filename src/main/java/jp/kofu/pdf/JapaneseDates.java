package jp.kofu.pdf;

import java.time.LocalDate;
import java.time.chrono.JapaneseDate;
import java.time.chrono.JapaneseEra;
import java.time.temporal.ChronoField;

/** Dates as a 住民票 prints them: 和暦 (令和8年11月23日, 元年 for the first year). */
public final class JapaneseDates {
    private static final LocalDate MEIJI_6 = LocalDate.of(1873, 1, 1);

    private JapaneseDates() {}

    public static String wareki(LocalDate date) {
        if (date.isBefore(MEIJI_6)) {
            return date.getYear() + "年" + date.getMonthValue() + "月" + date.getDayOfMonth() + "日";
        }
        JapaneseDate jd = JapaneseDate.from(date);
        int year = jd.get(ChronoField.YEAR_OF_ERA);
        return eraName(jd.getEra()) + (year == 1 ? "元" : String.valueOf(year)) + "年"
                + date.getMonthValue() + "月" + date.getDayOfMonth() + "日";
    }

    /** 西暦: 2026年11月23日. */
    static String seireki(LocalDate date) {
        return date.getYear() + "年" + date.getMonthValue() + "月" + date.getDayOfMonth() + "日";
    }

    private static String eraName(JapaneseEra era) {
        return switch (era.getValue()) {
            case -1 -> "明治";
            case 0 -> "大正";
            case 1 -> "昭和";
            case 2 -> "平成";
            default -> "令和";
        };
    }
}
