package jp.kofu.kiosk;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the kiosk accepts of a typed 利用登録申請 before the card signs it. */
final class KosekiApplicationTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);

    private static KosekiApplication.Reading read(String honseki, String hittosha, String name, String y, String m,
                                                  String d) {
        return KosekiApplication.read(honseki, hittosha, name, y, m, d, TODAY);
    }

    @Test
    void takesTheFieldsTrimmedAndTheDateFromItsThreeParts() {
        var reading = read("　埼玉県川口市青木二丁目1番 ", "川口 太郎", "川口\u0007 花子", "１９８２", "7", "15");
        assertEquals(new KosekiApplication.Valid(new KosekiApplication("埼玉県川口市青木二丁目1番", "川口 太郎", "川口 花子",
                LocalDate.of(1982, 7, 15))), reading);
    }

    @Test
    void refusesAMissingFieldATooLongOneAndDatesThatAreNone() {
        assertEquals(new KosekiApplication.Invalid(KosekiApplication.Problem.MISSING),
                read("埼玉県川口市", "　", "川口 花子", "1982", "7", "15"));
        assertEquals(new KosekiApplication.Invalid(KosekiApplication.Problem.TOO_LONG),
                read("番".repeat(101), "川口 太郎", "川口 花子", "1982", "7", "15"));
        // 𠮷 is one character of two chars: 100 of them fit.
        assertEquals(KosekiApplication.Valid.class,
                read("埼玉県", "𠮷".repeat(100), "川口 花子", "1982", "7", "15").getClass());
        for (String[] date : new String[][] {{"1982", "2", "30"}, {"2027", "1", "1"}, {"1899", "12", "31"},
                {"", "7", "15"}, {"1982", "七", "15"}}) {
            assertEquals(new KosekiApplication.Invalid(KosekiApplication.Problem.BIRTH_DATE),
                    read("埼玉県", "川口 太郎", "川口 花子", date[0], date[1], date[2]), String.join("-", date));
        }
    }
}
