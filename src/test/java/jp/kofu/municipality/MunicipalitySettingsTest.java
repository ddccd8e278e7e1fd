package jp.kofu.municipality;

import jp.kofu.config.SettingException;
import jp.kofu.contract.CertificateType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-type settings of a municipalities file (contract §8), validated at start-up, errors naming the key. */
final class MunicipalitySettingsTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    private static Municipality load(String extra) throws Exception {
        Path file = Files.createTempFile("municipalities", ".yml");
        try {
            Files.writeString(file, """
                    municipalities:
                      - code: "131016"
                        name: "千代田区"
                        mayorTitle: "千代田区長"
                        mayorName: "見本 花子"
                        syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                    """ + extra.indent(4));
            return MunicipalityRegistry.load(file).get("131016");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String refusal(String extra) {
        return assertThrows(SettingException.class, () -> load(extra)).getMessage();
    }

    private static ZonedDateTime at(int y, int m, int d, int hour, int minute) {
        return LocalDateTime.of(y, m, d, hour, minute).atZone(TOKYO);
    }

    /** A reload names the municipalities that changed: the same text read twice is equal, other hours are not. */
    @Test
    void theSameEntryReadTwiceIsEqualAndOtherHoursAreNot() throws Exception {
        String entry = "fees: { JUMINHYO: 300 }\nserviceHours: { default: \"06:30-23:00\", JUMINHYO: \"08:00-20:00 weekdays\" }";
        assertEquals(load(entry), load(entry));
        assertFalse(load(entry).equals(load(entry.replace("08:00", "09:00"))));
        // Regression: a YAML error quoted the line, which may hold a password.
        String bad = refusal("fees: { JUMINHYO: 300 }\nsigningKeystorePassword: \"secret-pw\n  x: [");
        assertTrue(bad.contains("not valid YAML at line"), bad);
        assertFalse(bad.contains("secret-pw"), bad);
    }

    @Test
    void feesAreKeyedByCertificateTypeAndATypeWithoutAFeeIsNotOffered() throws Exception {
        Municipality m = load("fees: { JUMINHYO: 300, INKAN: 300, KOSEKI_ZENBU: 450 }");
        assertEquals(Optional.of(450), m.feePerCopy(CertificateType.KOSEKI_ZENBU));
        assertEquals(Optional.of(300), m.feePerCopy("INKAN"));
        assertTrue(m.offers(CertificateType.INKAN));
        assertFalse(m.offers(CertificateType.KOSEKI_FUHYO));
        assertEquals(Optional.empty(), m.feePerCopy("KOSEKI_FUHYO"));
        assertEquals(Optional.empty(), m.feePerCopy("NOT_A_TYPE"));
    }

    @Test
    void refusesAnUnknownFeeTypeNamingTheKey() {
        String e = refusal("fees: { JUMINHYO: 300, INKAN_TOUROKU: 300 }");
        assertTrue(e.contains("municipalities[0].fees.INKAN_TOUROKU"), e);
        assertTrue(refusal("fees: { JUMINHYO: -1 }").contains("municipalities[0].fees.JUMINHYO"));
    }

    @Test
    void oneRangeServesEveryTypeAndKeepsTheOldAccessors() throws Exception {
        Municipality m = load("fees: { JUMINHYO: 300, INKAN: 300 }\nserviceHours: \"06:30-23:00\"");
        assertEquals(LocalTime.of(6, 30), m.serviceFrom());
        assertEquals(LocalTime.of(23, 0), m.serviceUntil());
        assertTrue(m.isOpenAt(LocalTime.of(6, 30)));
        assertFalse(m.isOpenAt(LocalTime.of(23, 0)));
        // Saturday 2026-12-05 and a holiday (勤労感謝の日 2026-11-23): every day for a range without "weekdays".
        assertTrue(m.isOpen(CertificateType.INKAN, at(2026, 12, 5, 7, 0)));
        assertTrue(m.isOpen(CertificateType.JUMINHYO, at(2026, 11, 23, 22, 59)));
        assertFalse(m.isOpen(CertificateType.JUMINHYO, at(2026, 11, 23, 6, 29)));
    }

    @Test
    void absentServiceHoursAreTheUsualRange() throws Exception {
        Municipality m = load("fees: { JUMINHYO: 300 }");
        assertEquals(LocalTime.of(6, 30), m.serviceFrom());
        assertEquals(LocalTime.of(23, 0), m.serviceUntil());
    }

    @Test
    void aWeekdayOnlyTypeIsClosedOnSaturdaysAndHolidays() throws Exception {
        Municipality m = load("""
                fees: { JUMINHYO: 300, KOSEKI_ZENBU: 450 }
                serviceHours: { default: "06:30-23:00", KOSEKI_ZENBU: "09:00-17:00 weekdays" }""");
        assertEquals(LocalTime.of(6, 30), m.serviceFrom(), "kiosk hours are checked against the default range");
        assertTrue(m.isOpen(CertificateType.KOSEKI_ZENBU, at(2026, 12, 1, 9, 0)), "a Tuesday");
        assertFalse(m.isOpen(CertificateType.KOSEKI_ZENBU, at(2026, 12, 1, 8, 59)));
        assertFalse(m.isOpen(CertificateType.KOSEKI_ZENBU, at(2026, 12, 1, 17, 0)));
        assertFalse(m.isOpen(CertificateType.KOSEKI_ZENBU, at(2026, 12, 5, 10, 0)), "a Saturday");
        assertFalse(m.isOpen(CertificateType.KOSEKI_ZENBU, at(2026, 12, 6, 10, 0)), "a Sunday");
        assertFalse(m.isOpen(CertificateType.KOSEKI_ZENBU, at(2026, 9, 22, 10, 0)), "国民の休日");
        assertFalse(m.isOpen(CertificateType.KOSEKI_ZENBU, at(2025, 2, 24, 10, 0)), "振替休日");
        assertTrue(m.isOpen(CertificateType.JUMINHYO, at(2026, 9, 22, 10, 0)), "the default range serves every day");
        assertTrue(m.isOpen(CertificateType.JUMINHYO, at(2026, 12, 5, 22, 0)));
    }

    @Test
    void judgesTheMomentInTokyoWhateverItsZone() throws Exception {
        Municipality m = load("""
                fees: { KOSEKI_ZENBU: 450 }
                serviceHours: { default: "06:30-23:00", KOSEKI_ZENBU: "09:00-17:00 weekdays" }""");
        // 2026-12-04 (Friday) 01:00 UTC = 10:00 in Tokyo; 2026-12-04 20:00 UTC is Saturday 05:00 in Tokyo.
        assertTrue(m.isOpen(CertificateType.KOSEKI_ZENBU, ZonedDateTime.of(2026, 12, 4, 1, 0, 0, 0, ZoneId.of("UTC"))));
        assertFalse(m.isOpen(CertificateType.KOSEKI_ZENBU, ZonedDateTime.of(2026, 12, 4, 20, 0, 0, 0, ZoneId.of("UTC"))));
    }

    @Test
    void everyTypeIsClosedFromDecember29ToJanuary3() throws Exception {
        Municipality m = load("""
                fees: { JUMINHYO: 300, INKAN: 300, KOSEKI_ZENBU: 450 }
                serviceHours: { default: "00:00-24:00", KOSEKI_ZENBU: "09:00-17:00 weekdays" }""");
        for (CertificateType t : CertificateType.values()) {
            assertFalse(m.isOpen(t, at(2026, 12, 31, 12, 0)), t + " on 12/31");
            assertFalse(m.isOpen(t, at(2027, 1, 2, 12, 0)), t + " on 1/2");
            assertFalse(m.isOpen(t, at(2026, 12, 29, 0, 0)), t + " from the first minute of 12/29");
            assertFalse(m.isOpen(t, at(2027, 1, 3, 23, 59)), t + " to the last minute of 1/3");
            assertTrue(m.isOpen(t, at(2027, 1, 4, 12, 0)), t + " on 1/4, a Monday");
        }
        assertTrue(m.isOpen(CertificateType.JUMINHYO, at(2026, 12, 28, 23, 59)));
        // 2025-01-04 is a Saturday: the every-day range opens, the weekday-only one stays closed until Monday.
        assertTrue(m.isOpen(CertificateType.JUMINHYO, at(2025, 1, 4, 12, 0)));
        assertFalse(m.isOpen(CertificateType.KOSEKI_ZENBU, at(2025, 1, 4, 12, 0)));
        assertTrue(m.isOpen(CertificateType.KOSEKI_ZENBU, at(2025, 1, 6, 12, 0)));
    }

    @Test
    void kosekiTypesWithoutHoursOfTheirOwnAreServedOnWeekdaysOnly() throws Exception {
        Municipality m = load("""
                fees: { JUMINHYO: 300, KOSEKI_ZENBU: 450, KOSEKI_KOJIN: 450, KOSEKI_FUHYO: 300 }
                serviceHours: { default: "06:30-23:00", KOSEKI_FUHYO: "06:30-23:00" }""");
        ZonedDateTime saturday = at(2026, 12, 5, 10, 0);
        ZonedDateTime friday = at(2026, 12, 4, 10, 0);
        assertEquals(Optional.of(ServiceHours.Closed.NOT_A_WORKDAY),
                m.serviceHours().closedAt(CertificateType.KOSEKI_ZENBU, saturday), "戸籍: weekdays by default");
        assertFalse(m.isOpen(CertificateType.KOSEKI_KOJIN, saturday));
        assertTrue(m.isOpen(CertificateType.KOSEKI_ZENBU, friday), "in the default range on a weekday");
        assertTrue(m.isOpen(CertificateType.KOSEKI_FUHYO, saturday), "a 戸籍 type with hours of its own keeps them");
        assertTrue(m.isOpen(CertificateType.JUMINHYO, saturday), "the replica's types are not affected");
        assertEquals(ServiceHours.Closed.NOT_A_WORKDAY, load("""
                fees: { KOSEKI_ZENBU: 450 }
                serviceHours: "00:00-24:00"
                """).serviceHours().closedAt(CertificateType.KOSEKI_ZENBU, saturday)
                .orElseThrow(), "also under one range for every type");
    }

    @Test
    void aWeekdayOnlyTypeIsClosedBeyondTheHolidayCalendar() throws Exception {
        // Regression guard: a date the calendar does not cover must not be taken for a workday.
        Municipality m = load("""
                fees: { JUMINHYO: 300, KOSEKI_ZENBU: 450 }
                serviceHours: { default: "06:30-23:00", KOSEKI_ZENBU: "09:00-17:00 weekdays" }""");
        ZonedDateTime monday2036 = at(2036, 1, 7, 10, 0);
        assertEquals(Optional.of(ServiceHours.Closed.CALENDAR_UNKNOWN),
                m.serviceHours().closedAt(CertificateType.KOSEKI_ZENBU, monday2036));
        assertTrue(m.isOpen(CertificateType.JUMINHYO, monday2036), "an every-day range needs no calendar");
    }

    @Test
    void refusesBadServiceHoursNamingTheKey() {
        assertTrue(refusal("fees: { JUMINHYO: 300 }\nserviceHours: \"23:00-06:30\"")
                .contains("municipalities[0].serviceHours"));
        assertTrue(refusal("fees: { JUMINHYO: 300 }\nserviceHours: { default: \"06:30-23:00\", KOSEKI: \"09:00-17:00\" }")
                .contains("municipalities[0].serviceHours.KOSEKI"));
        assertTrue(refusal("fees: { JUMINHYO: 300 }\nserviceHours: { default: \"06:30-23:00\", INKAN: \"09:00-17:00 weekends\" }")
                .contains("municipalities[0].serviceHours.INKAN"));
        assertTrue(refusal("fees: { JUMINHYO: 300 }\nserviceHours: { INKAN: \"09:00-17:00\" }")
                .contains("municipalities[0].serviceHours.default"));
    }

    @Test
    void aStoppedTypeIsClosedWhateverTheHours() throws Exception {
        Municipality m = load("fees: { JUMINHYO: 300, INKAN: 300 }\nstoppedTypes: [INKAN]");
        assertTrue(m.isStopped(CertificateType.INKAN));
        assertFalse(m.isOpen(CertificateType.INKAN, at(2026, 12, 1, 12, 0)));
        assertTrue(m.isOpen(CertificateType.JUMINHYO, at(2026, 12, 1, 12, 0)));
        assertTrue(refusal("fees: { JUMINHYO: 300 }\nstoppedTypes: [SEAL]").contains("municipalities[0].stoppedTypes[0]"));
        assertTrue(refusal("fees: { JUMINHYO: 300 }\nstoppedTypes: INKAN").contains("municipalities[0].stoppedTypes"));
    }

    @Test
    void inkanSealAndFeedSettingsHaveTheirDefaults() throws Exception {
        Municipality m = load("fees: { JUMINHYO: 300 }");
        assertTrue(m.inkanPrintsSex());
        assertEquals(Municipality.SealColor.RED, m.sealColor());
        assertEquals(Optional.of(Duration.ofMinutes(60)), m.maxFeedSilence(), "60 minutes when a file is given");
        Municipality set = load("fees: { JUMINHYO: 300 }\ninkanPrintsSex: false\nsealColor: black\nmaxFeedSilenceMinutes: 15");
        assertFalse(set.inkanPrintsSex());
        assertEquals(Municipality.SealColor.BLACK, set.sealColor());
        assertEquals(Optional.of(Duration.ofMinutes(15)), set.maxFeedSilence());
    }

    @Test
    void refusesBadInkanSealAndFeedSettingsNamingTheKey() {
        assertTrue(refusal("fees: { JUMINHYO: 300 }\ninkanPrintsSex: \"no\"").contains("municipalities[0].inkanPrintsSex"));
        assertTrue(refusal("fees: { JUMINHYO: 300 }\nsealColor: blue").contains("municipalities[0].sealColor"));
        assertTrue(refusal("fees: { JUMINHYO: 300 }\nmaxFeedSilenceMinutes: 0").contains("municipalities[0].maxFeedSilenceMinutes"));
        assertTrue(refusal("fees: { JUMINHYO: 300 }\nmaxFeedSilenceMinutes: 1.5").contains("municipalities[0].maxFeedSilenceMinutes"));
    }

    @Test
    void theDemoMunicipalityIsOpenAlwaysWithoutASilenceLimit() {
        Municipality demo = MunicipalityRegistry.demoMunicipality();
        assertEquals(Optional.empty(), demo.maxFeedSilence());
        assertTrue(demo.isOpen(CertificateType.JUMINHYO, at(2026, 12, 31, 3, 0)), "a newcomer can try it at any hour");
        assertEquals(LocalTime.MIDNIGHT, demo.serviceFrom());
        assertNull(demo.serviceUntil());
        assertEquals(Map.of(CertificateType.JUMINHYO, 200, CertificateType.JUMINHYO_KISAI, 200,
                CertificateType.INKAN, 200, CertificateType.KOSEKI_ZENBU, 450, CertificateType.KOSEKI_KOJIN, 450,
                CertificateType.KOSEKI_FUHYO, 300), demo.fees(), "the certificates of the replica and of the 戸籍 simulator");
        assertEquals(Optional.of(MunicipalityRegistry.DEMO_KOSEKI_URL), demo.koseki().map(Municipality.KosekiLink::url));
    }

    @Test
    void warnsWhenTheHolidayCalendarEndsThisYearForAWeekdaysRange() throws Exception {
        Municipality weekdays = load("""
                fees: { KOSEKI_ZENBU: 450 }
                serviceHours: { default: "06:30-23:00", KOSEKI_ZENBU: "09:00-17:00 weekdays" }""");
        Municipality everyDay = load("fees: { JUMINHYO: 300 }");
        HolidayCalendar japan = HolidayCalendar.japan();
        assertEquals(Optional.empty(), HolidayCalendarWatch.warning(List.of(weekdays), japan, LocalDate.of(2034, 12, 31)));
        assertTrue(HolidayCalendarWatch.warning(List.of(everyDay, weekdays), japan, LocalDate.of(2035, 1, 1))
                .orElseThrow().startsWith("holidays/japan.csv covers 2020-2035"));
        assertTrue(HolidayCalendarWatch.warning(List.of(weekdays), japan, LocalDate.of(2036, 1, 1))
                .orElseThrow().startsWith("ALARM"));
        assertEquals(Optional.empty(), HolidayCalendarWatch.warning(List.of(everyDay), japan, LocalDate.of(2036, 1, 1)),
                "no weekdays range, no need of the calendar");
    }

    @Test
    void theExampleMunicipalitiesFileLoads() throws Exception {
        // Without the key and seal paths, which name files of a real installation.
        Path example = Path.of("deploy/municipalities.example.yml");
        Path file = Files.createTempFile("municipalities", ".yml");
        try {
            Files.writeString(file, Files.readString(example).lines()
                    .filter(l -> !l.strip().startsWith("signingKeystore:") && !l.strip().startsWith("sealImage:"))
                    .collect(java.util.stream.Collectors.joining("\n")));
            Municipality m = MunicipalityRegistry.load(file).get("112038");
            assertTrue(m.serviceHours().rangeOf(CertificateType.KOSEKI_ZENBU).weekdaysOnly());
            assertEquals(Optional.of(200), m.feePerCopy(CertificateType.INKAN));
            assertEquals(Optional.of(Duration.ofMinutes(60)), m.maxFeedSilence());
            assertEquals(Municipality.SealColor.RED, m.sealColor());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
