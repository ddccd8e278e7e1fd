package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestClock;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 世帯の一部 (contract §4, {@code scope: SELECTED}) against a clock the test moves: member ids expire after 10
 * minutes, a member removed between listing and issuance cannot be printed, and every refusal rule applies to
 * each chosen member.
 */
final class HouseholdSelectionTest {
    private static TestNode node;
    private static TestClock clock;
    private static long seq;

    @BeforeAll
    static void start() {
        clock = new TestClock(Instant.now());
        node = TestNode.start(Map.of(), clock);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ObjectNode payload(String scope) {
        return CenterRequests.payload("112038", scope, OffsetDateTime.ofInstant(clock.instant(), ZoneId.of("Asia/Tokyo")));
    }

    /** The listing for the card of {@code resident}: member id by display name. */
    private static Map<String, String> listing(String resident) throws Exception {
        ObjectNode p = payload("SELF");
        p.put("certificateType", "HOUSEHOLD_LISTING");
        p.remove("scope");
        p.remove("options");
        p.remove("copies");
        CenterClient.Response r = node.center().post("/center/v1/household-members",
                CenterRequests.issuanceBody("L-" + System.nanoTime(), "SEJ-0012345",
                        CenterRequests.sign(node.card(resident), p)), "application/json");
        assertEquals(200, r.status(), r.text());
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (JsonNode m : Json.MAPPER.readTree(r.body()).get("members")) {
            ids.put(m.get("displayName").asText(), m.get("memberId").asText());
        }
        return ids;
    }

    private static CenterClient.Response issueSelected(String resident, String... memberIds) throws Exception {
        ObjectNode p = payload("SELECTED");
        var ids = p.putArray("memberIds");
        for (String id : memberIds) {
            ids.add(id);
        }
        return node.center().post("/center/v1/issuances", CenterRequests.issuanceBody("S-" + System.nanoTime(),
                "SEJ-0012345", CenterRequests.sign(node.card(resident), p)), "application/json");
    }

    private static void sync(String event) throws Exception {
        String line = "{\"seq\":" + (++seq) + ",\"municipalityCode\":\"112038\"," + event + "}\n";
        CenterClient.Response r = node.sync().post("/sync/v1/changes", line.getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    private static void assertNotIssuable(CenterClient.Response r) throws Exception {
        Refusals.assertShape(422, "NOT_ISSUABLE", r);
    }

    @Test
    void refusesMemberIdsOnceTenMinutesHavePassed() throws Exception {
        Map<String, String> ids = listing(DemoResidents.SPOUSE);
        clock.advance(Duration.ofMinutes(9).plusSeconds(50));
        assertEquals(200, issueSelected(DemoResidents.SPOUSE, ids.get("川口 花子")).status(), "still valid at 9:50");
        clock.advance(Duration.ofSeconds(11));
        assertNotIssuable(issueSelected(DemoResidents.SPOUSE, ids.get("川口 花子")));
    }

    @Test
    void refusesIdsOfAnotherCardEvenInTheSameHousehold() throws Exception {
        Map<String, String> ofSpouse = listing(DemoResidents.SPOUSE);
        assertNotIssuable(issueSelected(DemoResidents.FAMILY_HEAD, ofSpouse.get("川口 太郎")));
    }

    @Test
    void refusesATamperedOrForeignId() throws Exception {
        String id = listing(DemoResidents.FAMILY_HEAD).get("川口 太郎");
        // A character in the middle: every one of its bits is used (the last one's low bits may be padding).
        int i = id.length() / 2;
        String tampered = id.substring(0, i) + (id.charAt(i) == 'A' ? 'B' : 'A') + id.substring(i + 1);
        assertNotIssuable(issueSelected(DemoResidents.FAMILY_HEAD, tampered));
        assertNotIssuable(issueSelected(DemoResidents.FAMILY_HEAD, "R0000002"));
    }

    @Test
    void appliesEveryRefusalRuleToEachChosenMemberAndToNobodyElse() throws Exception {
        Map<String, String> ids = listing(DemoResidents.FAMILY_HEAD);
        sync("\"type\":\"ISSUANCE_BLOCK\",\"residentId\":\"" + DemoResidents.TEEN + "\",\"active\":true");
        try {
            assertNotIssuable(issueSelected(DemoResidents.FAMILY_HEAD, ids.get("川口 花子"), ids.get("川口 一郎")));
            assertEquals(200, issueSelected(DemoResidents.FAMILY_HEAD, ids.get("川口 花子")).status(),
                    "a member not chosen does not stop the others");
        } finally {
            sync("\"type\":\"ISSUANCE_BLOCK\",\"residentId\":\"" + DemoResidents.TEEN + "\",\"active\":false");
        }
        assertEquals(200, issueSelected(DemoResidents.FAMILY_HEAD, ids.get("川口 一郎")).status());
    }

    @Test
    void refusesAMemberRemovedBetweenListingAndIssuance() throws Exception {
        // The listing is made with the other card of the household, so this test's removal changes no other test.
        Map<String, String> ids = listing(DemoResidents.FAMILY_HEAD);
        sync("\"type\":\"RESIDENT_REMOVE\",\"residentId\":\"" + DemoResidents.CHILD + "\"");
        assertNotIssuable(issueSelected(DemoResidents.FAMILY_HEAD, ids.get("川口 𠮷子")));
        assertNotIssuable(issueSelected(DemoResidents.FAMILY_HEAD, ids.get("川口 花子"), ids.get("川口 𠮷子")));
        assertEquals(200, issueSelected(DemoResidents.FAMILY_HEAD, ids.get("川口 花子")).status(),
                "the members still in the household can still be printed");
    }
}
