package jp.kofu.console;

import jp.kofu.console.account.Passwords;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's small rules: store chains, CSV cells, filters, chart scale, dates, passwords. */
final class ConsoleUnitsTest {
    @Test
    void namesTheChainByThePrefixOfTheStoreCode() {
        assertEquals("セブン-イレブン", StoreChains.of("CONVENIENCE_STORE", "SEJ-0012345", "SEJ-0012345-01"));
        assertEquals("ローソン", StoreChains.of("CONVENIENCE_STORE", null, "law-1-2"));
        assertEquals(StoreChains.KIOSK, StoreChains.of("KIOSK", null, "KIOSK-1"));
        assertEquals("その他（XYZ）", StoreChains.of("CONVENIENCE_STORE", "XYZ-1", null));
    }

    @Test
    void writesNoCellThatExcelWouldRunAsAFormula() {
        assertEquals("'=HYPERLINK(1)", IssuanceLogController.cell("=HYPERLINK(1)"));
        assertEquals("'-1+2", IssuanceLogController.cell("-1+2"));
        assertEquals("SEJ-1", IssuanceLogController.cell("SEJ-1"));
    }

    @Test
    void readsFullWidthInputAndExplainsWhatIsWrong() {
        SearchFilters f = SearchFilters.parse(Map.of("issuanceNumber", "１１２０３８－２０２６１１２３－０００００１",
                "residentId", "R'; DROP", "from", "2026-11-30", "to", "2026-11-01"), LocalDate.of(2026, 11, 23));
        assertEquals("112038-20261123-000001", f.issuanceNumber());
        assertEquals(null, f.residentId());
        assertEquals(LocalDate.of(2026, 11, 1), f.from(), "dates given the wrong way round are swapped");
        assertEquals(2, f.problems().size(), f.problems().toString());
        assertTrue(!f.describe().contains("residentId"), "the resident id has a column of its own");
    }

    @Test
    void scalesTheChartToRoundSteps() {
        assertEquals(4, HourlyChart.niceCeiling(0));
        assertEquals(8, HourlyChart.niceCeiling(5));
        assertEquals(200, HourlyChart.niceCeiling(101));
        HourlyChart c = HourlyChart.of(new long[24], new long[24], "発行", "お断り");
        assertEquals(48, c.bars().size());
    }

    @Test
    void writesDatesAsClerksReadThem() {
        assertEquals("令和8年11月23日（月）", ConsoleDates.warekiWithWeekday(LocalDate.of(2026, 11, 23)));
        assertEquals("2026年11月23日", ConsoleDates.date(LocalDate.of(2026, 11, 23)));
    }

    @Test
    void refusesWeakPasswordsAndMakesStrongOnes() {
        assertTrue(Passwords.problem("short", "tanaka").isPresent());
        assertTrue(Passwords.problem("tanaka-is-my-name", "tanaka").isPresent());
        assertTrue(Passwords.problem("aaaaaaaaaaaaaaaa", "tanaka").isPresent());
        String generated = Passwords.generate();
        assertTrue(Passwords.problem(generated, "tanaka").isEmpty(), generated);
    }

    @Test
    void escapesWildcardsInPrefixSearches() {
        assertEquals("SEJ\\_0\\%1\\\\%", IssuanceSearch.likePrefix("SEJ_0%1\\"),
                "'_', '%' and '\\' typed by a clerk match only themselves");
        assertEquals("LAW-%", IssuanceSearch.likePrefix("LAW-"));
    }

    @Test
    void namesTheKeyOfABadConsoleSetting() {
        for (String key : java.util.List.of("kofu.console.max-concurrent-hashes",
                "kofu.console.login-attempts-per-address-per-minute", "kofu.console.login-attempts-per-login-per-minute",
                "kofu.console.max-form-bytes")) {
            try (var context = io.micronaut.context.ApplicationContext.builder().properties(Map.of(key, 0)).build()) {
                var env = context.getEnvironment().start();
                var e = org.junit.jupiter.api.Assertions.assertThrows(jp.kofu.config.SettingException.class,
                        () -> new jp.kofu.console.account.ConsoleSettings(env));
                assertTrue(e.getMessage().startsWith(key + ": must be between"), e.getMessage());
            }
        }
        try (var context = io.micronaut.context.ApplicationContext.builder().build()) {
            var settings = new jp.kofu.console.account.ConsoleSettings(context.getEnvironment().start());
            assertEquals(2, settings.maxConcurrentHashes());
            assertEquals(30, settings.attemptsPerAddress());
            assertEquals(10, settings.attemptsPerLogin());
            assertEquals(16 * 1024, settings.maxFormBytes());
        }
    }
}
