package jp.kofu.alarm;

import jp.kofu.TestClock;
import jp.kofu.TestMunicipalities;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.demo.DemoResidents;
import jp.kofu.signing.MunicipalSigners;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watcher raises the conditions that hold and ends them when they are gone, by the node's clock. */
final class AlarmWatcherTest {
    private static final AtomicLong SEQ = new AtomicLong(10);
    private static TestNode node;
    private static TestClock clock;

    @BeforeAll
    static void start() throws Exception {
        Path file = TestMunicipalities.file(TestMunicipalities.yaml(
                TestMunicipalities.kawaguchi("""
                    serviceHours: { default: "00:00-24:00", JUMINHYO_KISAI: "09:00-17:00 weekdays" }
                    fees: { JUMINHYO: 200, JUMINHYO_KISAI: 200 }
                    syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                    maxFeedSilenceMinutes: 60
                    """)));
        clock = new TestClock(TestClock.lastServiceDayNoon().toInstant());
        // the scheduled round is kept out of the way: each test runs its rounds itself
        node = TestNode.start(Map.of("kofu.municipalities-file", file.toString(), "kofu.alarms.check-interval", "1h"),
                clock);
        Files.delete(file);
        CenterClient.Response r = node.sync().put("/sync/v1/snapshot?municipalityCode=112038&asOfSeq="
                + SEQ.get(), DemoResidents.snapshot("112038", node.pki()), "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void check() {
        node.context().getBean(AlarmWatcher.class).check();
    }

    private static long open(String kind) {
        return node.count("SELECT COUNT(*) FROM alarm WHERE kind = '" + kind + "' AND municipality_code = '112038'"
                + " AND ended_at IS NULL");
    }

    private static long ended(String kind) {
        return node.count("SELECT COUNT(*) FROM alarm WHERE kind = '" + kind + "' AND municipality_code = '112038'"
                + " AND ended_at IS NOT NULL");
    }

    private static void heartbeat() throws Exception {
        String line = "{\"seq\":" + SEQ.incrementAndGet() + ",\"type\":\"HEARTBEAT\",\"municipalityCode\":\"112038\","
                + "\"asOf\":\"" + OffsetDateTime.ofInstant(clock.instant(), ZoneId.of("Asia/Tokyo")) + "\"}\n";
        CenterClient.Response r = node.sync().post("/sync/v1/changes", line.getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    @Test
    void raisesFeedSilentWhenTheClockPassesTheLimitAndEndsItWhenAHeartbeatArrives() throws Exception {
        heartbeat();
        check();
        assertEquals(0, open("FEED_SILENT"), "just heard");
        long endedBefore = ended("FEED_SILENT");
        clock.advance(Duration.ofMinutes(59));
        check();
        assertEquals(0, open("FEED_SILENT"), "59 minutes are within maxFeedSilenceMinutes 60");

        clock.advance(Duration.ofMinutes(2));
        check();
        check(); // a second round, as the next tick or another node: the same row
        assertEquals(1, open("FEED_SILENT"), "61 minutes silent: one open row");
        String detail = node.context().getBean(AlarmBook.class).open("112038").stream()
                .filter(a -> a.kind() == AlarmKind.FEED_SILENT).findFirst().orElseThrow().detail();
        assertTrue(detail.contains("maxFeedSilenceMinutes=60"), detail);

        heartbeat();
        check();
        assertEquals(0, open("FEED_SILENT"), "heard again: ended");
        assertEquals(endedBefore + 1, ended("FEED_SILENT"));
    }

    @Test
    void raisesSigningKeyExpiringThirtyDaysBeforeTheCertificateEndsAndEndsItWhenRenewed() throws Exception {
        Instant now = clock.instant();
        long endedBefore = ended("SIGNING_KEY_EXPIRING");
        Instant notAfter = node.context().getBean(MunicipalSigners.class).certificate("112038").orElseThrow()
                .getNotAfter().toInstant();
        try {
            clock.set(notAfter.minus(Duration.ofDays(31)));
            heartbeat();
            check();
            assertEquals(0, open("SIGNING_KEY_EXPIRING"), "31 days left");
            clock.set(notAfter.minus(Duration.ofDays(12)));
            heartbeat();
            check();
            assertEquals(1, open("SIGNING_KEY_EXPIRING"), "12 days left");
            String detail = node.context().getBean(AlarmBook.class).open("112038").stream()
                    .filter(a -> a.kind() == AlarmKind.SIGNING_KEY_EXPIRING).findFirst().orElseThrow().detail();
            assertTrue(detail.contains("days left"), detail);
        } finally {
            clock.set(now);
        }
        // back at a time the certificate is far from its end (as after a renewal): the watcher ends the row
        heartbeat();
        check();
        assertEquals(0, open("SIGNING_KEY_EXPIRING"));
        assertEquals(endedBefore + 1, ended("SIGNING_KEY_EXPIRING"));
    }

    @Test
    void raisesTheHolidayCalendarOnceItHasEndedForAWeekdaysType() throws Exception {
        Instant now = clock.instant();
        String asp = "SELECT COUNT(*) FROM alarm WHERE kind = 'HOLIDAY_CALENDAR' AND municipality_code IS NULL";
        long endedBefore = node.count(asp + " AND ended_at IS NOT NULL");
        int lastYear = jp.kofu.municipality.HolidayCalendar.japan().lastYear();
        try {
            clock.set(java.time.LocalDate.of(lastYear, 12, 28).atTime(12, 0).atZone(ZoneId.of("Asia/Tokyo")).toInstant());
            check();
            assertEquals(0, node.count(asp + " AND ended_at IS NULL"), "the calendar's last year: still known");
            clock.set(java.time.LocalDate.of(lastYear + 1, 1, 6).atTime(12, 0).atZone(ZoneId.of("Asia/Tokyo"))
                    .toInstant());
            check();
            assertEquals(1, node.count(asp + " AND ended_at IS NULL"), "a year the calendar does not know");
        } finally {
            clock.set(now);
        }
        check(); // (the feed, silent at those dates, is not this test's: its row is the feed test's concern)
        assertEquals(0, node.count(asp + " AND ended_at IS NULL"));
        assertEquals(endedBefore + 1, node.count(asp + " AND ended_at IS NOT NULL"));
    }

    @Test
    void aWrongCheckIntervalNamesTheKey() {
        assertEquals(Duration.ofSeconds(30), AlarmWatcher.checkInterval("30s"));
        assertEquals(Duration.ofMillis(500), AlarmWatcher.checkInterval("500ms"));
        for (String wrong : new String[] {"30", "thirty seconds", "0s", "2d", "25h"}) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(jp.kofu.config.SettingException.class,
                    () -> AlarmWatcher.checkInterval(wrong));
            assertTrue(e.getMessage().startsWith("kofu.alarms.check-interval: "), e.getMessage());
        }
    }
}
