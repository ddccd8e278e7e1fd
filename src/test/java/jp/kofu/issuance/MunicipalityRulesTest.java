package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestClock;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node configured by a municipalities file (no demo data): service hours, options a city does not offer, the
 * fee, and a dead database — all judged with a clock the test moves.
 */
final class MunicipalityRulesTest {
    private static final String CITY = "131016";
    /** Yesterday at noon in Tokyo: in the past, so that the TLS certificates made at that time are valid now. */
    private static final ZonedDateTime NOON = jp.kofu.TestClock.lastServiceDayNoon();
    private static TestNode node;
    private static TestClock clock;
    private static SoftwareCard card;

    @BeforeAll
    static void start() throws Exception {
        Path file = Files.createTempFile("municipalities", ".yml");
        Files.writeString(file, """
                municipalities:
                  - code: "131016"
                    name: "千代田区"
                    mayorTitle: "千代田区長"
                    mayorName: "見本 花子"
                    serviceHours: { default: "06:30-23:00", JUMINHYO_KISAI: "09:00-17:00 weekdays" }
                    fees: { JUMINHYO: 300, JUMINHYO_KISAI: 300, INKAN: 300 }
                    stoppedTypes: [INKAN]
                    offeredOptions: [includeHouseholder, includeRelationship, includeDomicile]
                    layout: "kojin"
                    syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                    maxFeedSilenceMinutes: 100000   # the test's clock jumps days after the snapshot
                """);
        // Keys are made a day before the times tested, so that they are already valid at 03:00.
        clock = new TestClock(NOON.minusDays(1).toInstant());
        node = TestNode.start(Map.of("kofu.municipalities-file", file.toString()), clock);
        card = SoftwareCard.load(node.pki().issueCard("chiyoda-1"), node.pki().password());
        String issuer = card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253);
        String snapshot = "{\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"131016\",\"resident\":{"
                + "\"residentId\":\"C1\",\"householdId\":\"CH1\",\"familyName\":\"千代田\",\"givenName\":\"一郎\","
                + "\"sex\":\"MALE\",\"birthDate\":\"1960-02-29\",\"relationship\":\"世帯主\","
                + "\"address\":\"東京都千代田区千代田1番1号\"}}\n"
                + "{\"type\":\"CARD_BIND\",\"municipalityCode\":\"131016\",\"residentId\":\"C1\",\"issuer\":\"" + issuer
                + "\",\"serialNumber\":\"" + card.certificate().getSerialNumber().toString(16) + "\"}\n";
        CenterClient.Response r = node.sync().put("/sync/v1/snapshot?municipalityCode=131016&asOfSeq=500",
                snapshot.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static CenterClient.Response issue(ObjectNode payload) throws Exception {
        return node.center().post("/center/v1/issuances", CenterRequests.issuanceBody("M-" + System.nanoTime(), "S1",
                CenterRequests.sign(card, payload)), "application/json");
    }

    private static ObjectNode payload() {
        return CenterRequests.payload(CITY, "SELF", OffsetDateTime.ofInstant(clock.instant(), ZoneId.of("Asia/Tokyo")));
    }

    private static String code(CenterClient.Response r) throws Exception {
        return Json.MAPPER.readTree(r.body()).get("code").asText();
    }

    @Test
    void issuesWithinServiceHoursAtTheCitysFee() throws Exception {
        clock.set(NOON.toInstant());
        CenterClient.Response r = issue(payload());
        assertEquals(200, r.status(), r.text());
        JsonNode answer = Json.MAPPER.readTree(r.body());
        assertEquals(300, answer.get("fee").asInt());
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(
                java.util.Base64.getDecoder().decode(answer.get("pdf").asText()))) {
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
            assertTrue(text.contains("（" + NOON.getYear() + "年"), "the city's form, 個人票, prints the date in 西暦 too");
            assertTrue(text.contains("千代田区長"), "the city's mayor");
        }
        assertEquals(CITY + "-" + java.time.format.DateTimeFormatter.BASIC_ISO_DATE.format(NOON.toLocalDate()),
                answer.get("issuanceNumber").asText().substring(0, 15));
    }

    @Test
    void refusesOutsideServiceHours() throws Exception {
        clock.set(NOON.withHour(3).toInstant());
        Refusals.assertRefused(node, 422, "OUTSIDE_SERVICE_HOURS", () -> issue(payload()));
        clock.set(NOON.withHour(23).toInstant());
        assertEquals("OUTSIDE_SERVICE_HOURS", code(issue(payload())), "23:00 is already closed");
        clock.set(NOON.withHour(6).withMinute(30).toInstant());
        assertEquals(200, issue(payload()).status(), "06:30 is open");
    }

    @Test
    void refusesAnOptionTheCityDoesNotOffer() throws Exception {
        clock.set(NOON.toInstant());
        ObjectNode p = payload();
        ((ObjectNode) p.get("options")).put("includeIndividualNumber", true);
        Refusals.assertRefused(node, 422, "UNSUPPORTED_CERTIFICATE", () -> issue(p));
    }

    @Test
    void refusesAnOptionOnlyWhenItIsAskedFor() throws Exception {
        clock.set(NOON.toInstant());
        ObjectNode p = payload();
        ((ObjectNode) p.get("options")).remove("includeIndividualNumber");
        ((ObjectNode) p.get("options")).remove("includeResidentCode");
        assertEquals(200, issue(p).status(), "an absent option takes the city's default, off");
    }

    @Test
    void opensAndClosesWithTheCitysHoursOnTheFeedsResidentsToo() throws Exception {
        // A resident and card added through POST /sync/v1/changes (not the snapshot) are served by the same hours.
        clock.set(NOON.minusDays(1).toInstant()); // the card must be valid at 03:00 of the day tested
        SoftwareCard second = SoftwareCard.load(node.pki().issueCard("chiyoda-2"), node.pki().password());
        String issuer = second.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253);
        String changes = "{\"seq\":501,\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"131016\",\"resident\":{"
                + "\"residentId\":\"C2\",\"householdId\":\"CH2\",\"familyName\":\"千代田\",\"givenName\":\"二郎\","
                + "\"sex\":\"MALE\",\"birthDate\":\"1961-03-01\",\"relationship\":\"世帯主\","
                + "\"address\":\"東京都千代田区千代田1番2号\"}}\n"
                + "{\"seq\":502,\"type\":\"CARD_BIND\",\"municipalityCode\":\"131016\",\"residentId\":\"C2\","
                + "\"issuer\":\"" + issuer + "\",\"serialNumber\":\"" + second.certificate().getSerialNumber().toString(16)
                + "\"}\n";
        CenterClient.Response fed = node.sync().post("/sync/v1/changes", changes.getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, fed.status(), fed.text());
        clock.set(NOON.withHour(3).toInstant());
        Refusals.assertRefused(node, 422, "OUTSIDE_SERVICE_HOURS", () -> node.center().post("/center/v1/issuances",
                CenterRequests.issuanceBody("M-" + System.nanoTime(), "S1", CenterRequests.sign(second, payload())),
                "application/json"));
        clock.set(NOON.withHour(22).withMinute(59).toInstant());
        CenterClient.Response open = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(
                "M-" + System.nanoTime(), "S1", CenterRequests.sign(second, payload())), "application/json");
        assertEquals(200, open.status(), "22:59 is open: " + open.text());
    }

    @Test
    void keepsSignedAtWindowAgainstTheServerClock() throws Exception {
        clock.set(NOON.toInstant());
        ObjectNode p = payload();
        clock.advance(Duration.ofSeconds(301));
        assertEquals("REQUEST_EXPIRED", code(issue(p)));
    }

    @Test
    void answersServiceUnavailableWhenTheDatabaseIsGone() throws Exception {
        clock.set(NOON.toInstant());
        try (TestNode doomed = TestNode.start(Map.of(), null)) {
            doomed.dropDatabase();
            CenterClient.Response r = doomed.center().post("/center/v1/issuances", CenterRequests.issuanceBody(
                    "M-dead", "S1", CenterRequests.sign(doomed.card("R0000001"),
                            CenterRequests.payload("112038", "SELF", OffsetDateTime.now()))), "application/json");
            Refusals.assertShape(503, "SERVICE_UNAVAILABLE", r);
        }
    }

    @Test
    void opensEachTypeAtItsOwnHoursAndNeverAStoppedOne() throws Exception {
        java.time.ZonedDateTime weekday = NOON.plusDays(1);
        var holidays = jp.kofu.municipality.HolidayCalendar.japan();
        while (weekday.getDayOfWeek().getValue() > 5 || holidays.holiday(weekday.toLocalDate()).isPresent()
                || (weekday.getMonthValue() == 12 && weekday.getDayOfMonth() >= 29)
                || (weekday.getMonthValue() == 1 && weekday.getDayOfMonth() <= 3)) {
            weekday = weekday.plusDays(1);
        }
        java.time.ZonedDateTime saturday = NOON.plusDays(1);
        while (saturday.getDayOfWeek() != java.time.DayOfWeek.SATURDAY
                || (saturday.getMonthValue() == 12 && saturday.getDayOfMonth() >= 29)
                || (saturday.getMonthValue() == 1 && saturday.getDayOfMonth() <= 3)) {
            saturday = saturday.plusDays(1);
        }
        try {
            clock.set(weekday.withHour(10).toInstant());
            assertEquals(200, issue(typed("JUMINHYO_KISAI")).status(), "a weekday at 10:00: " + weekday);
            clock.set(weekday.withHour(18).toInstant());
            Refusals.assertRefused(node, 422, "OUTSIDE_SERVICE_HOURS", () -> issue(typed("JUMINHYO_KISAI")));
            assertEquals(200, issue(payload()).status(), "the 住民票 keeps the default hours");
            clock.set(saturday.withHour(10).toInstant());
            Refusals.assertRefused(node, 422, "OUTSIDE_SERVICE_HOURS", () -> issue(typed("JUMINHYO_KISAI")));
            assertEquals(200, issue(payload()).status(), "the 住民票 on Saturday too");
            Refusals.assertRefused(node, 422, "OUTSIDE_SERVICE_HOURS", () -> issue(typed("INKAN")));
        } finally {
            clock.set(NOON.toInstant());
        }
    }

    private static ObjectNode typed(String type) {
        ObjectNode p = CenterRequests.payload(CITY, "SELF", OffsetDateTime.ofInstant(clock.instant(), ZoneId.of("Asia/Tokyo")));
        p.put("certificateType", type);
        return p;
    }
}
