package jp.kofu.replica;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.db.Database;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract §6 over real mTLS with the sync client: the replica is exactly what the feed says, and only that. */
final class SyncFeedTest {
    private static final String CITY = "112038";
    private static final String NAME = "削除対象";
    private static final String NUMBER = individualNumber("12345678901");
    private static final String CODE = residentCode("9876543210");
    private TestNode node;
    private CenterClient sync;
    private SoftwareCard card;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start();
        sync = node.sync();
        card = SoftwareCard.load(node.pki().issueCard("sync-test"), node.pki().password());
        CenterClient.Response r = sync.put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=100",
                (resident("X1", "XH1", NAME, "") + bind("X1", 0)).getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static String individualNumber(String eleven) {
        return eleven + CheckDigits.checkDigit(eleven);
    }

    private static String residentCode(String ten) {
        return ten + CheckDigits.checkDigit(ten);
    }

    private static String seq(long seq) {
        return seq == 0 ? "" : "\"seq\":" + seq + ",";
    }

    private static String resident(String id, String household, String family, String extra) {
        return resident(0, id, household, family, extra);
    }

    private static String resident(long seq, String id, String household, String family, String extra) {
        return "{" + seq(seq) + "\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"" + CITY + "\",\"resident\":{"
                + "\"residentId\":\"" + id + "\",\"householdId\":\"" + household + "\",\"familyName\":\"" + family
                + "\",\"givenName\":\"一\",\"sex\":\"MALE\",\"birthDate\":\"1970-01-01\",\"relationship\":\"世帯主\","
                + "\"juminhyoCode\":\"" + CODE + "\",\"individualNumber\":\"" + NUMBER + "\","
                + "\"address\":\"埼玉県川口市青木一丁目1番1号\"" + extra + "}}\n";
    }

    private String bind(String residentId, long seq) {
        return "{" + seq(seq) + "\"type\":\"CARD_BIND\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\""
                + residentId + "\",\"issuer\":\"" + card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253)
                + "\",\"serialNumber\":\"" + card.certificate().getSerialNumber().toString(16) + "\"}\n";
    }

    private CenterClient.Response changes(String body) throws Exception {
        return sync.post("/sync/v1/changes", body.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
    }

    private JsonNode status() throws Exception {
        CenterClient.Response r = sync.get("/sync/v1/status");
        assertEquals(200, r.status(), r.text());
        JsonNode all = Json.MAPPER.readTree(r.body());
        assertTrue(all.isArray());
        return all.get(0);
    }

    private String issue() throws Exception {
        return issue("SELF");
    }

    private String issue(String scope) throws Exception {
        CenterClient.Response r = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(
                "S-" + System.nanoTime(), "S1", CenterRequests.sign(card,
                        CenterRequests.payload(CITY, scope, OffsetDateTime.now()))), "application/json");
        return r.status() == 200 ? "ISSUED" : Json.MAPPER.readTree(r.body()).get("code").asText();
    }

    @Test
    void snapshotReplacesTheReplicaAndSetsAppliedThrough() throws Exception {
        JsonNode s = status();
        assertEquals(CITY, s.get("municipalityCode").asText());
        assertEquals(100, s.get("appliedThrough").asLong());
        assertEquals(1, s.get("residents").asLong(), "the demo residents are gone: a snapshot is the whole replica");
        assertEquals("ISSUED", issue());
    }

    @Test
    void appliesEveryEventTypeInOrder() throws Exception {
        CenterClient.Response r = changes(resident(101, "X2", "XH1", "追加", "")
                + "{\"seq\":102,\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"" + CITY
                + "\",\"residentId\":\"X1\",\"active\":true,\"reason\":\"DV_SUPPORT\"}\n");
        assertEquals(200, r.status(), r.text());
        assertEquals(102, Json.MAPPER.readTree(r.body()).get("appliedThrough").asLong());
        assertEquals(2, status().get("residents").asLong());
        assertEquals("NOT_ISSUABLE", issue());
        assertEquals(200, changes("{\"seq\":103,\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"" + CITY
                + "\",\"residentId\":\"X1\",\"active\":false}\n").status());
        assertEquals("ISSUED", issue());
        assertEquals(200, changes("{\"seq\":104,\"type\":\"CARD_REVOKE\",\"municipalityCode\":\"" + CITY
                + "\",\"issuer\":\"" + card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253)
                + "\",\"serialNumber\":\"" + card.certificate().getSerialNumber().toString(16) + "\"}\n").status());
        assertEquals("CARD_REVOKED", issue());
    }

    @Test
    void keepsFeedOrderWithinABatch() throws Exception {
        // Regression guard: upserts and removals go to the database in batches; none may overtake another.
        CenterClient.Response r = changes(resident(101, "X2", "XH2", "一時", "")
                + "{\"seq\":102,\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\"X2\"}\n"
                + "{\"seq\":103,\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\"X1\"}\n"
                + resident(104, "X1", "XH1", "再登録", "") + bind("X1", 105));
        assertEquals(200, r.status(), r.text());
        assertEquals(1, status().get("residents").asLong(), "X2 removed after its upsert, X1 back after its removal");
        assertEquals("ISSUED", issue(), "the card bound after the re-registration works");
    }

    @Test
    void skipsEventsAlreadyAppliedSoRetriesAreHarmless() throws Exception {
        String batch = resident(101, "X2", "XH2", "再送", "");
        assertEquals(200, changes(batch).status());
        CenterClient.Response again = changes(batch);
        assertEquals(200, again.status(), again.text());
        assertEquals(101, Json.MAPPER.readTree(again.body()).get("appliedThrough").asLong());
        assertEquals(2, status().get("residents").asLong());
    }

    @Test
    void refusesAGapWithTheExpectedSeq() throws Exception {
        CenterClient.Response r = changes(resident(105, "X2", "XH2", "飛び", ""));
        assertEquals(409, r.status());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals("SEQUENCE_GAP", body.get("code").asText());
        assertEquals(101, body.get("expectedSeq").asLong());
        assertEquals(100, status().get("appliedThrough").asLong());
    }

    @Test
    void refusesTheWholeBatchForOneBadLineNamingIt() throws Exception {
        String bad = resident(102, "X3", "XH3", "不正", "").replace(NUMBER, "123456789012");
        CenterClient.Response r = changes(resident(101, "X2", "XH2", "先行", "") + "\n" + bad);
        assertEquals(400, r.status());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals("MALFORMED_REQUEST", body.get("code").asText());
        assertEquals(3, body.get("line").asInt(), "1-based, counting the blank line");
        assertFalse(r.text().contains("123456789012"), "the refusal never echoes a value");
        assertEquals(100, status().get("appliedThrough").asLong());
        assertEquals(1, status().get("residents").asLong(), "the good first line was not applied either");
        assertTrue(grepDatabase(List.of("先行")).isEmpty(), "no trace of the first line's resident");
    }

    @Test
    void refusesABadResidentCodeCheckDigit() throws Exception {
        String bad = resident(101, "X2", "XH2", "不正", "").replace(CODE, CODE.substring(0, 10) + ((CODE.charAt(10) - '0' + 1) % 10));
        CenterClient.Response r = changes(bad);
        assertEquals(400, r.status());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals("MALFORMED_REQUEST", body.get("code").asText());
        assertEquals(1, body.get("line").asInt());
        assertEquals(1, status().get("residents").asLong());
    }

    @Test
    void refusesBadIndividualNumbersOfEveryKind() throws Exception {
        String wrongDigit = NUMBER.substring(0, 11) + ((NUMBER.charAt(11) - '0' + 1) % 10);
        for (String bad : List.of(wrongDigit, NUMBER.substring(0, 11), NUMBER + "0", "12345678901X")) {
            CenterClient.Response r = changes(resident(101, "X2", "XH2", "不正", "").replace(NUMBER, bad));
            assertEquals(400, r.status(), "a bad 個人番号 is refused");
            assertEquals("MALFORMED_REQUEST", Json.MAPPER.readTree(r.body()).get("code").asText());
            assertFalse(r.text().contains(bad), "the refusal never echoes the value");
        }
        assertEquals(100, status().get("appliedThrough").asLong());
    }

    @Test
    void skipsARetriedRemovalInsteadOfApplyingItAgain() throws Exception {
        // seq 100 is already applied (the snapshot's asOfSeq): a removal carrying it must change nothing.
        CenterClient.Response old = changes("{\"seq\":100,\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\""
                + CITY + "\",\"residentId\":\"X1\"}\n");
        assertEquals(200, old.status(), old.text());
        assertEquals(100, Json.MAPPER.readTree(old.body()).get("appliedThrough").asLong());
        assertEquals("ISSUED", issue());
        // A retry that overlaps: the already-applied part is skipped, the new part applied.
        assertEquals(200, changes(resident(101, "X2", "XH2", "一回目", "")).status());
        CenterClient.Response overlap = changes("{\"seq\":101,\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\""
                + CITY + "\",\"residentId\":\"X1\"}\n" + resident(102, "X3", "XH3", "二回目", ""));
        assertEquals(200, overlap.status(), overlap.text());
        assertEquals(102, Json.MAPPER.readTree(overlap.body()).get("appliedThrough").asLong());
        assertEquals(3, status().get("residents").asLong());
        assertEquals("ISSUED", issue(), "X1 is still there");
    }

    @Test
    void removalAlsoForgetsTheCardBindingAndTheBlock() throws Exception {
        CenterClient.Response r = changes("{\"seq\":101,\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"" + CITY
                + "\",\"residentId\":\"X1\",\"active\":true,\"reason\":\"DV_SUPPORT\"}\n"
                + "{\"seq\":102,\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\"X1\"}\n"
                + resident(103, "X1", "XH1", "再転入", ""));
        assertEquals(200, r.status(), r.text());
        assertEquals("CARD_NOT_REGISTERED", issue(), "the old binding went with the removal");
        assertEquals(200, changes(bind("X1", 104)).status());
        assertEquals("ISSUED", issue(), "and so did the block");
    }

    @Test
    void comparesCardBindingsAsValuesNotAsText() throws Exception {
        // The same issuer DN spelled another way (attribute case, spaces) and the serial upper-case with leading zeros.
        String dn = card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253);
        String respelled = String.join(", ", java.util.Arrays.stream(dn.split(","))
                .map(rdn -> rdn.substring(0, rdn.indexOf('=')).toLowerCase() + "=" + rdn.substring(rdn.indexOf('=') + 1))
                .toList());
        String serial = "000" + card.certificate().getSerialNumber().toString(16).toUpperCase();
        CenterClient.Response r = changes("{\"seq\":101,\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\"" + CITY
                + "\",\"residentId\":\"X1\"}\n" + resident(102, "X1", "XH1", "再登録", "")
                + "{\"seq\":103,\"type\":\"CARD_BIND\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\"X1\","
                + "\"issuer\":\"" + respelled + "\",\"serialNumber\":\"" + serial + "\"}\n");
        assertEquals(200, r.status(), r.text());
        assertEquals("ISSUED", issue());
        assertEquals(200, changes("{\"seq\":104,\"type\":\"CARD_REVOKE\",\"municipalityCode\":\"" + CITY
                + "\",\"issuer\":\"" + respelled + "\",\"serialNumber\":\"" + serial + "\"}\n").status());
        assertEquals("CARD_REVOKED", issue());
    }

    @Test
    void blocksAHouseholdCertificateWhenAnyMemberIsBlocked() throws Exception {
        CenterClient.Response r = changes(resident(101, "X2", "XH1", "家族", "").replace("世帯主", "子")
                + "{\"seq\":102,\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"" + CITY
                + "\",\"residentId\":\"X2\",\"active\":true,\"reason\":\"OTHER\"}\n");
        assertEquals(200, r.status(), r.text());
        assertEquals("NOT_ISSUABLE", issue("HOUSEHOLD_ALL"));
        assertEquals("ISSUED", issue("SELF"), "the requester alone is not blocked");
    }

    @Test
    void aSecondSnapshotDropsEverythingItDoesNotName() throws Exception {
        assertEquals(200, changes("{\"seq\":101,\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"" + CITY
                + "\",\"residentId\":\"X1\",\"active\":true,\"reason\":\"DV_SUPPORT\"}\n").status());
        assertEquals("NOT_ISSUABLE", issue());
        // X1 again (renamed, no block, no card) and a newcomer: the old block, binding and name are gone.
        CenterClient.Response r = sync.put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=200",
                (resident("X1", "XH1", "改姓後", "") + resident("X9", "XH9", "新顔", "").replace(NUMBER, individualNumber("11112222333"))
                        .replace(CODE, residentCode("1111222233"))).getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
        JsonNode s = status();
        assertEquals(200, s.get("appliedThrough").asLong());
        assertEquals(2, s.get("residents").asLong());
        assertEquals("CARD_NOT_REGISTERED", issue(), "the binding was not in the new snapshot");
        assertTrue(grepDatabase(List.of(NAME)).isEmpty(), "the old name is gone from every table");
        assertEquals(200, changes(bind("X1", 201)).status(), "the feed goes on from asOfSeq + 1");
        assertEquals("ISSUED", issue(), "the block was not in the new snapshot either");
        // And a snapshot without X1 removes the person altogether.
        assertEquals(200, sync.put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=300",
                resident("X9", "XH9", "新顔", "").getBytes(StandardCharsets.UTF_8), "application/x-ndjson").status());
        assertEquals("CARD_NOT_REGISTERED", issue());
        assertTrue(grepDatabase(List.of("改姓後")).isEmpty(), "X1's data is gone from every table");
    }

    @Test
    void aBadSnapshotLeavesTheOldReplicaServing() throws Exception {
        CenterClient.Response r = sync.put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=200",
                (resident("X2", "XH2", "新", "") + "{not json}\n").getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(400, r.status(), r.text());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals("MALFORMED_REQUEST", body.get("code").asText());
        assertEquals(2, body.get("line").asInt());
        JsonNode s = status();
        assertEquals(100, s.get("appliedThrough").asLong());
        assertEquals(1, s.get("residents").asLong());
        assertEquals("ISSUED", issue());
    }

    @Test
    void removalDeletesEveryTraceOfThePerson() throws Exception {
        assertEquals("ISSUED", issue());
        CenterClient.Response r = changes("{\"seq\":101,\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\"" + CITY
                + "\",\"residentId\":\"X1\"}\n");
        assertEquals(200, r.status(), r.text());
        assertEquals("CARD_NOT_REGISTERED", issue());
        List<String> found = grepDatabase(List.of(NAME, NUMBER, CODE));
        assertTrue(found.isEmpty(), "traces left in " + found);
    }

    @Test
    void removalDeletesTheNameKeptInAHouseholdListingAnswer() throws Exception {
        // Regression: the listing's answer, kept for idempotent retries, named the household but was not
        // tied to its members, so a removed person's name stayed in center_transaction.
        var p = CenterRequests.payload(CITY, "SELF", OffsetDateTime.now());
        p.put("certificateType", "HOUSEHOLD_LISTING");
        p.remove("scope");
        p.remove("options");
        p.remove("copies");
        CenterClient.Response listed = node.center().post("/center/v1/household-members", CenterRequests.issuanceBody(
                "L-" + System.nanoTime(), "S1", CenterRequests.sign(card, p)), "application/json");
        assertEquals(200, listed.status(), listed.text());
        assertTrue(listed.text().contains(NAME));
        assertEquals(200, changes("{\"seq\":101,\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\"" + CITY
                + "\",\"residentId\":\"X1\"}\n").status());
        List<String> found = grepDatabase(List.of(NAME));
        assertTrue(found.isEmpty(), "traces left in " + found);
    }

    /** Every table, every row, every column as text: where do the needles still appear? */
    private List<String> grepDatabase(List<String> needles) {
        return node.context().getBean(Database.class).withConnection(c -> {
            List<String> hits = new ArrayList<>();
            List<String> tables = new ArrayList<>();
            try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW TABLES")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM `" + table + "`")) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            String value = String.valueOf(md.getColumnType(i) == java.sql.Types.LONGVARBINARY
                                    || md.getColumnType(i) == java.sql.Types.VARBINARY
                                    || md.getColumnType(i) == java.sql.Types.BLOB
                                    ? new String(rs.getBytes(i) == null ? new byte[0] : rs.getBytes(i), StandardCharsets.UTF_8)
                                    : rs.getString(i));
                            for (String needle : needles) {
                                if (value.contains(needle)) {
                                    hits.add(table + "." + md.getColumnName(i));
                                }
                            }
                        }
                    }
                }
            }
            return hits;
        });
    }

    @Test
    void refusesABatchOfMoreThan100000EventsAndAppliesNothing() throws Exception {
        StringBuilder batch = new StringBuilder();
        for (int i = 1; i <= 100_001; i++) {
            batch.append("{\"seq\":").append(100 + i).append(",\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\"")
                    .append(CITY).append("\",\"residentId\":\"").append(i == 1 ? "X1" : "NOBODY").append("\"}\n");
        }
        CenterClient.Response r = changes(batch.toString());
        assertEquals(413, r.status(), r.text());
        assertEquals("PAYLOAD_TOO_LARGE", Json.MAPPER.readTree(r.body()).get("code").asText());
        assertEquals(100, status().get("appliedThrough").asLong());
        assertEquals("ISSUED", issue(), "the removal on the first line was not applied");
    }

    @Test
    void refusesABatchOver64MiB() throws Exception {
        byte[] body = new byte[64 * 1024 * 1024 + 16];
        java.util.Arrays.fill(body, (byte) '\n');
        CenterClient.Response r = sync.post("/sync/v1/changes", body, "application/x-ndjson");
        assertEquals(413, r.status(), r.text());
    }

    @Test
    void answersServiceUnavailableWhenTheDatabaseIsGone() throws Exception {
        node.dropDatabase();
        CenterClient.Response r = changes(resident(101, "X2", "XH2", "停止", ""));
        assertEquals(503, r.status(), r.text());
        assertEquals("SERVICE_UNAVAILABLE", Json.MAPPER.readTree(r.body()).get("code").asText());
    }

    @Test
    void statusNamesOneMunicipalityWhenAsked() throws Exception {
        CenterClient.Response r = sync.get("/sync/v1/status?municipalityCode=" + CITY);
        assertEquals(200, r.status());
        Map<?, ?> status = Json.MAPPER.convertValue(Json.MAPPER.readTree(r.body()), Map.class);
        assertEquals(java.util.Set.of("municipalityCode", "appliedThrough", "residents", "lastHeardAt"), status.keySet());
        assertEquals(CITY, status.get("municipalityCode"));
        assertEquals(100, status.get("appliedThrough"));
        assertEquals(1, status.get("residents"));
        OffsetDateTime.parse(String.valueOf(status.get("lastHeardAt")));
    }
}
