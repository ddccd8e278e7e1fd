package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.security.MessageDigest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The center's success paths over real HTTPS with mutual TLS, against the demo residents. */
final class IssuanceEndToEndTest {
    private static TestNode node;
    private static CenterClient center;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        center = node.center();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static CenterClient.Response issue(String transaction, String resident, ObjectNode payload) throws Exception {
        String jws = CenterRequests.sign(node.card(resident), payload);
        return center.post("/center/v1/issuances", CenterRequests.issuanceBody(transaction, "SEJ-0012345", jws),
                "application/json");
    }

    private static ObjectNode payload(String scope) {
        return CenterRequests.payload("112038", scope, OffsetDateTime.now());
    }

    @Test
    void issuesTheWholeHouseholdToTheCardHolder() throws Exception {
        CenterClient.Response r = issue("T-household", DemoResidents.FAMILY_HEAD, payload("HOUSEHOLD_ALL"));
        assertEquals(200, r.status(), r.text());
        JsonNode answer = Json.MAPPER.readTree(r.body());
        assertEquals("T-household", answer.get("centerTransactionId").asText());
        assertTrue(answer.get("issuanceNumber").asText().matches("112038-[0-9]{8}-[0-9]{6}"));
        assertEquals("JUMINHYO", answer.get("certificateType").asText());
        assertEquals(1, answer.get("copies").asInt());
        assertEquals(200, answer.get("fee").asInt());
        assertTrue(answer.get("pageCount").asInt() >= 1);
        byte[] pdf = Base64.getDecoder().decode(answer.get("pdf").asText());
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf));
        assertEquals(digest, answer.get("pdfSha256").asText());
    }

    @Test
    void chargesPerCopy() throws Exception {
        ObjectNode p = payload("SELF");
        p.put("copies", 3);
        CenterClient.Response r = issue("T-copies", DemoResidents.SPOUSE, p);
        assertEquals(200, r.status(), r.text());
        JsonNode answer = Json.MAPPER.readTree(r.body());
        assertEquals(3, answer.get("copies").asInt());
        assertEquals(600, answer.get("fee").asInt());
    }

    @Test
    void givesEachCopyItsOwnConsecutiveNumberThatVerifies() throws Exception {
        ObjectNode p = payload("SELF");
        p.put("copies", 3);
        JsonNode answer = Json.MAPPER.readTree(issue("T-numbers", DemoResidents.TEEN, p).body());
        JsonNode numbers = answer.get("issuanceNumbers");
        assertEquals(3, numbers.size(), answer.toString());
        assertEquals(answer.get("issuanceNumber").asText(), numbers.get(0).asText(), "issuanceNumber is the first");
        var first = jp.kofu.contract.IssuanceNumber.parse(numbers.get(0).asText()).orElseThrow();
        for (int k = 0; k < 3; k++) {
            assertEquals(first.plus(k).toString(), numbers.get(k).asText());
        }
        // A receiving office checks the third copy by its own number and code, and the number after it is no copy.
        var codes = node.context().getBean(jp.kofu.verify.VerificationCodes.class);
        CenterClient anyone = node.anonymous();
        String third = codes.url(numbers.get(2).asText());
        CenterClient.Response verified = anyone.get(third.substring(third.indexOf("/verify/")));
        assertEquals(200, verified.status(), verified.text());
        JsonNode v = Json.MAPPER.readTree(verified.body());
        assertEquals(3, v.get("copy").asInt());
        assertEquals(3, v.get("copies").asInt());
        String after = codes.url(first.plus(3).toString());
        assertEquals(404, anyone.get(after.substring(after.indexOf("/verify/"))).status(), "no fourth copy");
    }

    @Test
    void answersARetryWithTheSameBytes() throws Exception {
        ObjectNode p = payload("SELF");
        String jws = CenterRequests.sign(node.card(DemoResidents.FOREIGN), p);
        byte[] body = CenterRequests.issuanceBody("T-retry", "SEJ-0012345", jws);
        CenterClient.Response first = center.post("/center/v1/issuances", body, "application/json");
        CenterClient.Response second = center.post("/center/v1/issuances", body, "application/json");
        assertEquals(200, first.status(), first.text());
        assertArrayEquals(first.body(), second.body());
        byte[] other = CenterRequests.issuanceBody("T-retry", "SEJ-0099999", jws);
        CenterClient.Response conflict = center.post("/center/v1/issuances", other, "application/json");
        assertEquals(409, conflict.status());
        assertEquals("TRANSACTION_CONFLICT", Json.MAPPER.readTree(conflict.body()).get("code").asText());
    }

    @Test
    void completionIsIdempotentAndRefusesAContradiction() throws Exception {
        CenterClient.Response r = issue("T-complete", DemoResidents.TEEN, payload("SELF"));
        assertEquals(200, r.status(), r.text());
        String number = Json.MAPPER.readTree(r.body()).get("issuanceNumber").asText();
        byte[] printed = "{\"result\":\"PRINTED\"}".getBytes(StandardCharsets.UTF_8);
        String path = "/center/v1/issuances/" + number + "/completion";
        CenterClient.Response done = center.post(path, printed, "application/json");
        assertEquals(200, done.status(), done.text());
        assertEquals("PRINTED", Json.MAPPER.readTree(done.body()).get("status").asText());
        assertEquals(200, center.post(path, printed, "application/json").status());
        CenterClient.Response contradiction = center.post(path,
                "{\"result\":\"FAILED\",\"reason\":\"PAPER_JAM\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(409, contradiction.status());
    }

    @Test
    void voidsAFailedPrint() throws Exception {
        CenterClient.Response r = issue("T-void", DemoResidents.FAMILY_HEAD, payload("SELF"));
        String number = Json.MAPPER.readTree(r.body()).get("issuanceNumber").asText();
        CenterClient.Response done = center.post("/center/v1/issuances/" + number + "/completion",
                "{\"result\":\"FAILED\",\"reason\":\"PAPER_JAM\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(200, done.status(), done.text());
        assertEquals("VOIDED", Json.MAPPER.readTree(done.body()).get("status").asText());
    }

    private static JsonNode listing(String transaction, String resident) throws Exception {
        ObjectNode p = CenterRequests.payload("112038", "SELF", OffsetDateTime.now());
        p.put("certificateType", "HOUSEHOLD_LISTING");
        p.remove("scope");
        p.remove("options");
        p.remove("copies");
        String jws = CenterRequests.sign(node.card(resident), p);
        CenterClient.Response r = center.post("/center/v1/household-members",
                CenterRequests.issuanceBody(transaction, "SEJ-0012345", jws), "application/json");
        assertEquals(200, r.status(), r.text());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void listsTheHouseholdByNameAndRelationshipOnly() throws Exception {
        JsonNode members = listing("T-list", DemoResidents.SPOUSE).get("members");
        assertEquals(4, members.size());
        assertEquals("川口 太郎", members.get(0).get("displayName").asText());
        assertEquals("世帯主", members.get(0).get("relationship").asText());
        for (JsonNode m : members) {
            assertEquals(3, m.size(), "memberId, displayName and relationship only");
            assertTrue(!m.get("displayName").asText().matches(".*[0-9].*"), "no numbers or dates");
        }
    }

    @Test
    void printsExactlyTheSelectedMembers() throws Exception {
        JsonNode members = listing("T-list-2", DemoResidents.FAMILY_HEAD).get("members");
        ObjectNode p = payload("SELECTED");
        p.putArray("memberIds").add(members.get(2).get("memberId").asText()).add(members.get(0).get("memberId").asText());
        CenterClient.Response r = issue("T-selected", DemoResidents.FAMILY_HEAD, p);
        assertEquals(200, r.status(), r.text());
    }

    @Test
    void refusesMemberIdsListedForAnotherCard() throws Exception {
        JsonNode members = listing("T-list-3", DemoResidents.SPOUSE).get("members");
        ObjectNode p = payload("SELECTED");
        p.putArray("memberIds").add(members.get(1).get("memberId").asText());
        CenterClient.Response r = issue("T-selected-other", DemoResidents.FAMILY_HEAD, p);
        assertEquals(422, r.status(), r.text());
        assertEquals("NOT_ISSUABLE", Json.MAPPER.readTree(r.body()).get("code").asText());
    }
}
