package jp.kofu.kiosk;

import java.time.LocalDate;
import java.util.Optional;

/**
 * What a resident types for a 本籍地 利用登録申請 (contract §9): the 戸籍 as they know it (本籍, 筆頭者) and who they are
 * in it (氏名, 生年月日). Staff compare it with the 戸籍 before approving, so it is taken as typed, only trimmed.
 */
record KosekiApplication(String honseki, String hittosha, String name, LocalDate birthDate) {
    /** The longest text a field takes: a 本籍 with its 番地 fits well within it. */
    static final int MAX_LENGTH = 100;

    /** What is wrong with a form, as the message key the screen shows. */
    enum Problem { MISSING, TOO_LONG, BIRTH_DATE }

    /** A sealed outcome of reading the form. */
    sealed interface Reading permits Valid, Invalid {}

    record Valid(KosekiApplication application) implements Reading {}

    record Invalid(Problem problem) implements Reading {}

    static Reading read(String honseki, String hittosha, String name, String year, String month, String day,
                        LocalDate today) {
        String[] texts = {clean(honseki), clean(hittosha), clean(name)};
        for (String t : texts) {
            if (t.isEmpty()) {
                return new Invalid(Problem.MISSING);
            }
            if (t.codePointCount(0, t.length()) > MAX_LENGTH) {
                return new Invalid(Problem.TOO_LONG);
            }
        }
        Optional<LocalDate> birth = date(year, month, day);
        if (birth.isEmpty() || birth.get().isAfter(today) || birth.get().getYear() < 1900) {
            return new Invalid(Problem.BIRTH_DATE);
        }
        return new Valid(new KosekiApplication(texts[0], texts[1], texts[2], birth.get()));
    }

    /** Trimmed (also of 全角 spaces), with control characters taken out. */
    private static String clean(String text) {
        if (text == null) {
            return "";
        }
        return text.replaceAll("\\p{Cntrl}", "").strip();
    }

    private static Optional<LocalDate> date(String year, String month, String day) {
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(digits(year)), Integer.parseInt(digits(month)),
                    Integer.parseInt(digits(day))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** 全角 digits, as an IME may give them, read as ASCII. */
    private static String digits(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : (text == null ? "" : text.strip()).toCharArray()) {
            b.append(c >= '０' && c <= '９' ? (char) ('0' + c - '０') : c);
        }
        return b.toString();
    }
}
