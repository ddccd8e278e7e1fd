package jp.kofu.koseki;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.contract.Json;
import jp.kofu.koseki.FakeKosekiSystem.Behaviour;
import jp.kofu.koseki.FakeKosekiSystem.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 戸籍 certificates end to end (contract §8, §9): over HTTPS to a Kofu node whose 戸籍 link goes to a fake
 * 戸籍システム. Who is printed, the 戸籍 listing's member ids, and every way the 戸籍システム can fail: nothing
 * issued, and the resident told no more than the contract's code.
 */
final class KosekiIssuanceTest {
    private static KosekiCity city;
    private static CenterClient center;
    private ListAppender<ILoggingEvent> alarms;

    @BeforeAll
    static void start() throws Exception {
        city = new KosekiCity(1500, 32);
        center = city.node.center();
        city.residents(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), true);
    }

    @AfterAll
    static void stop() {
        city.close();
    }

    @BeforeEach
    void listen() {
        city.fake.behave = request -> new Behaviour(Mode.WELL, 0);
        alarms = new ListAppender<>();
        alarms.start();
        ((Logger) LoggerFactory.getLogger("kofu.ops.koseki")).addAppender(alarms);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger("kofu.ops.koseki")).detachAppender(alarms);
        city.fake.behave = request -> new Behaviour(Mode.WELL, 0);
    }

    private static SoftwareCard card(int n) {
        return city.card(KosekiCity.id(n));
    }

    /** Answers {@code mode} to every call for person key {@code P-<n>}, well to every other. */
    private static void forPerson(int n, Mode mode) {
        city.fake.behave = request -> new Behaviour(("P-" + n).equals(request.path("personKey").asText()) ? mode
                : Mode.WELL, 0);
    }

    private static String code(CenterClient.Response r) throws Exception {
        return Json.MAPPER.readTree(r.body()).path("code").asText();
    }

    private static long rows(String sql) {
        return city.node.count(sql);
    }

    @Test
    void zenbuPrintsTheHoldersWholeKosekiAndLogsTheirPersonKeyOnly() throws Exception {
        CenterClient.Response r = KosekiCity.issue(center, card(1), "KOSEKI_ZENBU", List.of());
        assertEquals(200, r.status(), r.text());
        JsonNode answer = Json.MAPPER.readTree(r.body());
        assertEquals(450, answer.get("fee").asInt());
        String text = KosekiCity.text(KosekiCity.pdf(r));
        assertEquals(Set.of("P-1", "P-1-spouse"), KosekiCity.printedKeys(text), text);
        assertTrue(text.contains("全部事項証明"), text);
        String number = answer.get("issuanceNumber").asText();
        assertEquals(1, rows("SELECT COUNT(*) FROM issuance WHERE issuance_number = '" + number
                + "' AND certificate_type = 'KOSEKI_ZENBU'"));
        assertEquals(1, rows("SELECT COUNT(*) FROM issuance_log WHERE issuance_number = '" + number
                + "' AND result = 'ISSUED' AND requester_id = 'KS1' AND printed_ids = 'koseki:P-1'"));
    }

    @Test
    void kojinAndFuhyoOfTheHolderPrintOnlyTheHolder() throws Exception {
        for (String type : List.of("KOSEKI_KOJIN", "KOSEKI_FUHYO")) {
            CenterClient.Response r = KosekiCity.issue(center, card(2), type, List.of());
            assertEquals(200, r.status(), type + " " + r.text());
            String text = KosekiCity.text(KosekiCity.pdf(r));
            assertEquals(Set.of("P-2"), KosekiCity.printedKeys(text), type + ": " + text);
        }
    }

    @Test
    void fuhyoPrintsHonsekiAndHittoshaOnlyWhenAskedForWithIncludeDomicile() throws Exception {
        String without = KosekiCity.text(KosekiCity.pdf(center.post("/center/v1/issuances",
                KosekiCity.request(card(3), "KOSEKI_FUHYO", List.of(), false, KosekiCity.transactionId()),
                "application/json")));
        CenterClient.Response asked = center.post("/center/v1/issuances",
                KosekiCity.request(card(3), "KOSEKI_FUHYO", List.of(), true, KosekiCity.transactionId()),
                "application/json");
        assertEquals(200, asked.status(), asked.text());
        String with = KosekiCity.text(KosekiCity.pdf(asked));
        assertFalse(without.replaceAll("\\s", "").contains("筆頭P-3"), without);
        assertTrue(with.replaceAll("\\s", "").contains("筆頭P-3"), with);
    }

    @Test
    void kojinAndFuhyoOfChosenPersonsTakeMemberIdsOfTheKosekiListing() throws Exception {
        Map<String, String> members = KosekiCity.listing(center, card(4));
        assertEquals(List.of("氏名 P-4", "氏名 P-4-spouse"), new ArrayList<>(members.keySet()));
        assertEquals(1, rows("SELECT COUNT(*) FROM issuance_log WHERE result = 'LISTED' AND endpoint = 'KOSEKI_LISTING' AND certificate_type ="
                + " 'KOSEKI_LISTING' AND requester_id = 'KS4'"));
        for (String type : List.of("KOSEKI_KOJIN", "KOSEKI_FUHYO")) {
            CenterClient.Response r = KosekiCity.issue(center, card(4), type, List.of(members.get("氏名 P-4-spouse")));
            assertEquals(200, r.status(), type + " " + r.text());
            String text = KosekiCity.text(KosekiCity.pdf(r)).replaceAll("\\s", "");
            assertTrue(text.contains("氏名P-4-spouse"), text);
            assertFalse(text.contains("氏名P-4\n") || text.replace("氏名P-4-spouse", "").contains("氏名P-4"), text);
        }
        CenterClient.Response both = KosekiCity.issue(center, card(4), "KOSEKI_KOJIN", List.copyOf(members.values()));
        assertEquals(200, both.status(), both.text());
        assertEquals(1, rows("SELECT COUNT(*) FROM issuance_log WHERE result = 'ISSUED' AND requester_id = 'KS4'"
                + " AND printed_ids = 'koseki:P-4,koseki:P-4-spouse'"));
    }

    @Test
    void aHouseholdMemberIdIsNoKosekiMemberIdNorTheReverse() throws Exception {
        String household = KosekiCity.listingResponse(center, card(5), "HOUSEHOLD_LISTING").text();
        String householdId = Json.MAPPER.readTree(household).get("members").get(0).get("memberId").asText();
        CenterClient.Response r = KosekiCity.issue(center, card(5), "KOSEKI_KOJIN", List.of(householdId));
        assertEquals(422, r.status(), r.text());
        assertEquals("NOT_ISSUABLE", code(r));

        String kosekiId = KosekiCity.listing(center, card(5)).get("氏名 P-5");
        CenterClient.Response juminhyo = KosekiCity.issue(center, card(5), "JUMINHYO", List.of(kosekiId));
        assertEquals(422, juminhyo.status(), juminhyo.text());
        assertEquals("NOT_ISSUABLE", code(juminhyo));
    }

    @Test
    void zenbuTakesNoMemberIdsAndAnotherHoldersMemberIdsPrintNothing() throws Exception {
        String others = KosekiCity.listing(center, card(6)).get("氏名 P-6-spouse");
        CenterClient.Response zenbu = KosekiCity.issue(center, card(7), "KOSEKI_ZENBU", List.of(others));
        assertEquals(422, zenbu.status(), zenbu.text());
        assertEquals("UNSUPPORTED_CERTIFICATE", code(zenbu));
        CenterClient.Response kojin = KosekiCity.issue(center, card(7), "KOSEKI_KOJIN", List.of(others));
        assertEquals(422, kojin.status(), kojin.text());
        assertEquals("NOT_ISSUABLE", code(kojin));
    }

    @Test
    void notFoundAndPendingNotificationAreNotIssuable() throws Exception {
        for (Mode mode : List.of(Mode.NOT_FOUND, Mode.PENDING)) {
            forPerson(8, mode);
            int before = (int) rows("SELECT COUNT(*) FROM issuance");
            CenterClient.Response r = KosekiCity.issue(center, card(8), "KOSEKI_ZENBU", List.of());
            assertEquals(422, r.status(), mode + " " + r.text());
            assertEquals("NOT_ISSUABLE", code(r));
            assertEquals(before, rows("SELECT COUNT(*) FROM issuance"));
        }
    }

    @Test
    void aKosekiSystemThatDoesNotAnswerIssuesNothingAndAnswers503() throws Exception {
        for (Mode mode : List.of(Mode.SILENT, Mode.SERVER_ERROR)) {
            forPerson(9, mode);
            String transaction = KosekiCity.transactionId();
            CenterClient.Response r = center.post("/center/v1/issuances",
                    KosekiCity.request(card(9), "KOSEKI_KOJIN", List.of(), false, transaction), "application/json");
            assertEquals(503, r.status(), mode + " " + r.text());
            assertEquals("SERVICE_UNAVAILABLE", code(r));
            assertEquals(0, rows("SELECT COUNT(*) FROM issuance WHERE center_transaction_id = '" + transaction + "'"));
            assertEquals(1, rows("SELECT COUNT(*) FROM issuance_log WHERE center_transaction_id = '" + transaction
                    + "' AND result IN ('REFUSED', 'FAILED') AND code = 'SERVICE_UNAVAILABLE'"));
        }
    }

    @Test
    void aSwappedBodyIsRefusedAlarmedAndNothingIsIssued() throws Exception {
        KosekiCity.issue(center, card(11), "KOSEKI_ZENBU", List.of()); // another request for the fake to swap in
        forPerson(10, Mode.SWAP);
        String refused = "SELECT COALESCE(SUM(occurrences), 0) FROM alarm WHERE kind = 'KOSEKI_ANSWER_REFUSED'"
                + " AND municipality_code = '" + KosekiCity.CODE + "'";
        long before = rows(refused);
        String transaction = KosekiCity.transactionId();
        CenterClient.Response r = center.post("/center/v1/issuances",
                KosekiCity.request(card(10), "KOSEKI_ZENBU", List.of(), false, transaction), "application/json");
        assertEquals(503, r.status(), r.text());
        assertEquals(0, rows("SELECT COUNT(*) FROM issuance WHERE center_transaction_id = '" + transaction + "'"));
        String line = alarms.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("ALARM 戸籍 answer refused")).findFirst().orElseThrow();
        // the crossed answer is a row of the municipality's alarms too, holding what the line holds and no more
        assertEquals(before + 1, rows(refused), "one more occurrence counted");
        String detail = city.node.context().getBean(jp.kofu.alarm.AlarmBook.class).open(KosekiCity.CODE).stream()
                .filter(a -> a.kind() == jp.kofu.alarm.AlarmKind.KOSEKI_ANSWER_REFUSED).findFirst().orElseThrow()
                .detail();
        assertTrue(line.endsWith(detail) && detail.contains("requestId="), line + " / " + detail);
        for (String personal : List.of("P-10", "P-11", "川口", "試験")) {
            assertFalse(detail.contains(personal), "no data of the answer in the row: " + detail);
        }
        assertEquals(0, rows("SELECT COUNT(*) FROM issuance_log WHERE center_transaction_id = '" + transaction
                + "' AND result = 'ISSUED'"));
    }

    @Test
    void aRetryOfTheSameTransactionGetsTheSameBytesWithoutAskingTheKosekiSystemAgain() throws Exception {
        byte[] body = KosekiCity.request(card(12), "KOSEKI_ZENBU", List.of(), false, KosekiCity.transactionId());
        CenterClient.Response first = center.post("/center/v1/issuances", body, "application/json");
        assertEquals(200, first.status(), first.text());
        int calls = city.fake.calls.get();
        CenterClient.Response again = center.post("/center/v1/issuances", body, "application/json");
        assertArrayEquals(first.body(), again.body());
        assertEquals(calls, city.fake.calls.get(), "the kept answer, not a second 戸籍 call");
    }

    @Test
    void aRetryOfTheKosekiListingGetsTheSameMembersWithoutASecondCall() throws Exception {
        var p = jp.kofu.client.CenterRequests.payload(KosekiCity.CODE, "SELF", java.time.OffsetDateTime.now());
        p.put("certificateType", "KOSEKI_LISTING");
        p.remove("scope");
        p.remove("options");
        p.remove("copies");
        byte[] body = jp.kofu.client.CenterRequests.issuanceBody(KosekiCity.transactionId(), "SEJ-0012345",
                jp.kofu.client.CenterRequests.sign(card(12), p));
        CenterClient.Response first = center.post("/center/v1/koseki-members", body, "application/json");
        assertEquals(200, first.status(), first.text());
        int calls = city.fake.calls.get();
        CenterClient.Response again = center.post("/center/v1/koseki-members", body, "application/json");
        assertArrayEquals(first.body(), again.body());
        assertEquals(calls, city.fake.calls.get());
        p.put("nonce", jp.kofu.client.CenterRequests.nonce());
        CenterClient.Response household = center.post("/center/v1/household-members",
                jp.kofu.client.CenterRequests.issuanceBody(KosekiCity.transactionId(), "SEJ-0012345",
                        jp.kofu.client.CenterRequests.sign(card(12), p)), "application/json");
        assertEquals(422, household.status(), "a 戸籍 listing request is no household listing: " + household.text());
        assertEquals("UNSUPPORTED_CERTIFICATE", code(household));
    }

    /** A 戸籍 call held open by a slow 戸籍システム must never hold the replica lock a sync batch waits for. */
    @Test
    void theKosekiSystemIsAskedWithNoTransactionOpen() throws Exception {
        city.card(KosekiCity.id(30)); // its key made beforehand: the batch below is then quick
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        long[] askedAt = new long[1];
        city.fake.behave = request -> {
            if ("P-14".equals(request.path("personKey").asText()) && request.has("kind")) {
                askedAt[0] = System.nanoTime();
                asked.countDown();
                return new Behaviour(Mode.WELL, 1200);
            }
            return new Behaviour(Mode.WELL, 0);
        };
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var issuing = pool.submit(() -> KosekiCity.issue(center, card(14), "KOSEKI_ZENBU", List.of()));
            assertTrue(asked.await(20, java.util.concurrent.TimeUnit.SECONDS));
            city.resident(30, true); // a sync batch: takes the municipality's replica lock exclusively
            long batchDone = System.nanoTime();
            assertTrue(batchDone - askedAt[0] < 1_200_000_000L, "the batch waited for the 戸籍 call");
            CenterClient.Response r = issuing.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, r.status(), "printed again after the batch, and issued: " + r.text());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aResidentWhose本籍IsElsewhereNeedsARegistrationAndAnUnboundCardIsNotRegistered() throws Exception {
        city.resident(20, false);
        CenterClient.Response elsewhere = KosekiCity.issue(center, city.card("KS20"), "KOSEKI_ZENBU", List.of());
        assertEquals(422, elsewhere.status(), elsewhere.text());
        assertEquals("NOT_ISSUABLE", code(elsewhere));
        CenterClient.Response unbound = KosekiCity.issue(center, city.card("NOBODY-HERE"), "KOSEKI_ZENBU", List.of());
        assertEquals(403, unbound.status(), unbound.text());
        assertEquals("CARD_NOT_REGISTERED", code(unbound));
    }

    @Test
    void anIssuanceBlockOfTheTypeStopsTheHoldersKosekiCertificate() throws Exception {
        city.feed("\"type\":\"ISSUANCE_BLOCK\",\"residentId\":\"KS13\",\"active\":true,"
                + "\"certificateTypes\":[\"KOSEKI_FUHYO\"]");
        CenterClient.Response blocked = KosekiCity.issue(center, card(13), "KOSEKI_FUHYO", List.of());
        assertEquals(422, blocked.status(), blocked.text());
        assertEquals("NOT_ISSUABLE", code(blocked));
        CenterClient.Response other = KosekiCity.issue(center, card(13), "KOSEKI_KOJIN", List.of());
        assertEquals(200, other.status(), other.text());
    }

    @Test
    void scopesAndOptionsTheKosekiTypesDoNotHaveAreUnsupported() throws Exception {
        CenterClient.Response all = center.post("/center/v1/issuances", householdAll(card(1)), "application/json");
        assertEquals(422, all.status(), all.text());
        assertEquals("UNSUPPORTED_CERTIFICATE", code(all));
    }

    private static byte[] householdAll(SoftwareCard card) {
        var p = jp.kofu.client.CenterRequests.payload(KosekiCity.CODE, "HOUSEHOLD_ALL", java.time.OffsetDateTime.now());
        p.put("certificateType", "KOSEKI_KOJIN");
        return jp.kofu.client.CenterRequests.issuanceBody(KosekiCity.transactionId(), "SEJ-0012345",
                jp.kofu.client.CenterRequests.sign(card, p));
    }
}
