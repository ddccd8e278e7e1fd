package jp.kofu.replica;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestClock;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.contract.CertificateType;
import jp.kofu.db.Database;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract §6: ISSUANCE_BLOCK naming certificate types and covering a household, and HEARTBEAT with the feed's
 * {@code lastHeardAt} (in the status and in the {@link ReplicaState} that issuance reads).
 */
final class BlockAndHeartbeatFeedTest {
    private static final String CITY = "112038";
    private TestNode node;
    private TestClock clock;
    private CenterClient sync;
    private SoftwareCard card;
    private ReplicaStore store;
    private Database db;
    private Instant snapshotAt;

    @BeforeEach
    void start() throws Exception {
        clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        node = TestNode.start(Map.of(), clock);
        sync = node.sync();
        store = node.context().getBean(ReplicaStore.class);
        db = node.context().getBean(Database.class);
        card = SoftwareCard.load(node.pki().issueCard("block-test"), node.pki().password());
        clock.advance(Duration.ofMinutes(1));
        snapshotAt = clock.instant();
        CenterClient.Response r = sync.put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=100",
                (SealFeedTest.resident(0, "X1", "XH1") + SealFeedTest.resident(0, "X2", "XH1")
                        + SealFeedTest.resident(0, "X3", "XH2") + bind("X1")).getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private String bind(String residentId) {
        return "{\"type\":\"CARD_BIND\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\"" + residentId
                + "\",\"issuer\":\"" + card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253)
                + "\",\"serialNumber\":\"" + card.certificate().getSerialNumber().toString(16) + "\"}\n";
    }

    private static String block(long seq, String residentId, boolean active, String extra) {
        return "{\"seq\":" + seq + ",\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"" + CITY
                + "\",\"residentId\":\"" + residentId + "\",\"active\":" + active + ",\"reason\":\"DV_SUPPORT\"" + extra
                + "}\n";
    }

    private static String heartbeat(long seq, String asOf) {
        return "{\"seq\":" + seq + ",\"type\":\"HEARTBEAT\",\"municipalityCode\":\"" + CITY + "\",\"asOf\":\"" + asOf
                + "\"}\n";
    }

    private CenterClient.Response changes(String body) throws Exception {
        return sync.post("/sync/v1/changes", body.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
    }

    /** Which of the persons (each in their current household) may not be printed on a certificate of the type. */
    private Set<String> blocked(CertificateType type, String... residentIds) {
        return db.inTransaction(c -> {
            ReplicaState s = store.lockForRead(c, CITY);
            List<ResidentRecord> persons = new java.util.ArrayList<>();
            for (String id : residentIds) {
                persons.add(store.residentWithHousehold(c, s, id).orElseThrow().resident());
            }
            return store.blocked(c, s, type, persons);
        });
    }

    private ReplicaState state() {
        return db.inTransaction(c -> store.lockForRead(c, CITY));
    }

    @Test
    void aBlockNamingTypesBlocksOnlyThoseTypes() throws Exception {
        assertEquals(200, changes(block(101, "X1", true, ",\"certificateTypes\":[\"INKAN\",\"JUMINHYO_KISAI\"]")).status());
        assertEquals(Set.of("X1"), blocked(CertificateType.INKAN, "X1"));
        assertEquals(Set.of("X1"), blocked(CertificateType.JUMINHYO_KISAI, "X1", "X2"));
        assertEquals(Set.of(), blocked(CertificateType.JUMINHYO, "X1", "X2"));
        assertEquals(200, changes(block(102, "X1", false, "")).status());
        assertEquals(Set.of(), blocked(CertificateType.INKAN, "X1"));
    }

    @Test
    void aBlockWithoutTypesBlocksEveryType() throws Exception {
        assertEquals(200, changes(block(101, "X2", true, "")).status());
        for (CertificateType t : CertificateType.values()) {
            assertEquals(Set.of("X2"), blocked(t, "X1", "X2"), t.name());
        }
    }

    @Test
    void aReBlockReplacesTheTypesOfTheFirst() throws Exception {
        assertEquals(200, changes(block(101, "X1", true, ",\"certificateTypes\":[\"INKAN\"]")
                + block(102, "X1", true, ",\"certificateTypes\":[\"JUMINHYO\"]")).status());
        assertEquals(Set.of(), blocked(CertificateType.INKAN, "X1"));
        assertEquals(Set.of("X1"), blocked(CertificateType.JUMINHYO, "X1"));
    }

    @Test
    void aHouseholdWideBlockCoversTheMembersForAsLongAsTheyShareTheHousehold() throws Exception {
        assertEquals(200, changes(block(101, "X2", true, ",\"certificateTypes\":[\"JUMINHYO\"],\"householdWide\":true")).status());
        assertEquals(Set.of("X1"), blocked(CertificateType.JUMINHYO, "X1"), "X1 shares X2's household");
        assertEquals(Set.of("X1", "X2"), blocked(CertificateType.JUMINHYO, "X1", "X2", "X3"));
        assertEquals(Set.of(), blocked(CertificateType.INKAN, "X1", "X2"), "only the types it names");
        // X2 moves to XH2: the block follows X2; X1 is free, X3 now covered.
        assertEquals(200, changes(SealFeedTest.resident(102, "X2", "XH2")).status());
        assertEquals(Set.of(), blocked(CertificateType.JUMINHYO, "X1"));
        assertEquals(Set.of("X3"), blocked(CertificateType.JUMINHYO, "X3"));
        assertEquals(200, changes(block(103, "X2", false, "")).status());
        assertEquals(Set.of(), blocked(CertificateType.JUMINHYO, "X2", "X3"));
    }

    @Test
    void aPersonalBlockDoesNotCoverTheHousehold() throws Exception {
        assertEquals(200, changes(block(101, "X2", true, ",\"householdWide\":false")).status());
        assertEquals(Set.of(), blocked(CertificateType.JUMINHYO, "X1"));
    }

    @Test
    void aHouseholdWideBlockWithdrawsKeptAnswersThatPrintAMember() throws Exception {
        CenterClient.Response issued = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(
                "S-" + System.nanoTime(), "S1", CenterRequests.sign(card,
                        CenterRequests.payload(CITY, "SELF", OffsetDateTime.now()))), "application/json");
        assertEquals(200, issued.status(), issued.text());
        assertEquals(1, node.count("SELECT COUNT(*) FROM center_transaction WHERE resident_ids LIKE '%,X1,%'"));
        assertEquals(200, changes(block(101, "X2", true, ",\"householdWide\":true")).status());
        assertEquals(0, node.count("SELECT COUNT(*) FROM center_transaction WHERE resident_ids LIKE '%,X1,%'"),
                "X1's kept answer went with the block of X2's household");
    }

    private String issue() throws Exception {
        CenterClient.Response r = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(
                "S-" + System.nanoTime(), "S1", CenterRequests.sign(card,
                        CenterRequests.payload(CITY, "SELF", OffsetDateTime.now()))), "application/json");
        return r.status() == 200 ? "ISSUED" : Json.MAPPER.readTree(r.body()).get("code").asText();
    }

    @Test
    void issuanceRefusesOnlyTheTypesABlockNamesAndHonoursHouseholdWideBlocks() throws Exception {
        assertEquals(200, changes(block(101, "X1", true, ",\"certificateTypes\":[\"INKAN\"]")).status());
        assertEquals("ISSUED", issue(), "a 住民票 is not named by an INKAN-only block");
        assertEquals(200, changes(block(102, "X1", true, "")).status());
        assertEquals("NOT_ISSUABLE", issue());
        assertEquals(200, changes(block(103, "X1", false, "")
                + block(104, "X2", true, ",\"certificateTypes\":[\"JUMINHYO\"],\"householdWide\":true")).status());
        assertEquals("NOT_ISSUABLE", issue(), "X1 shares the household of X2's household-wide block");
        assertEquals(200, changes(SealFeedTest.resident(105, "X2", "XH2")).status());
        assertEquals("ISSUED", issue(), "no longer, once X2 has moved out");
    }

    @Test
    void refusesBadBlockTypesAndHouseholdFlagsNamingTheLine() throws Exception {
        for (String extra : List.of(",\"certificateTypes\":[\"SEAL\"]", ",\"certificateTypes\":[]",
                ",\"certificateTypes\":\"INKAN\"", ",\"certificateTypes\":[1]", ",\"householdWide\":\"yes\"")) {
            CenterClient.Response r = changes(heartbeat(101, "2026-11-22T10:15:00+09:00") + block(102, "X1", true, extra));
            assertEquals(400, r.status(), extra + " " + r.text());
            JsonNode body = Json.MAPPER.readTree(r.body());
            assertEquals("MALFORMED_REQUEST", body.get("code").asText());
            assertEquals(2, body.get("line").asInt());
        }
        assertEquals(100, state().appliedThrough());
    }

    @Test
    void everyAcceptedBatchAndSnapshotIsWhenTheFeedWasLastHeard() throws Exception {
        assertEquals(Optional.of(snapshotAt), state().lastHeardAt(), "the snapshot");
        JsonNode status = Json.MAPPER.readTree(sync.get("/sync/v1/status?municipalityCode=" + CITY).body());
        assertEquals(snapshotAt, OffsetDateTime.parse(status.get("lastHeardAt").asText()).toInstant());
        assertTrue(status.get("lastHeardAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+09:00"),
                status.toString());

        clock.advance(Duration.ofMinutes(30));
        CenterClient.Response r = changes(heartbeat(101, "2026-11-22T10:15:00+09:00"));
        assertEquals(200, r.status(), r.text());
        assertEquals(101, Json.MAPPER.readTree(r.body()).get("appliedThrough").asLong(), "a heartbeat takes its seq");
        assertEquals(Optional.of(clock.instant()), state().lastHeardAt());

        clock.advance(Duration.ofMinutes(5));
        Instant retried = clock.instant();
        assertEquals(200, changes(heartbeat(101, "2026-11-22T10:15:00+09:00")).status(), "a retry is heard too");
        assertEquals(Optional.of(retried), state().lastHeardAt());

        clock.advance(Duration.ofMinutes(5));
        assertEquals(200, changes(SealFeedTest.resident(102, "X4", "XH4")).status(), "any batch");
        assertEquals(Optional.of(clock.instant()), state().lastHeardAt());

        clock.advance(Duration.ofMinutes(5));
        assertEquals(409, changes(heartbeat(200, "2026-11-22T10:15:00+09:00")).status());
        assertEquals(400, changes(heartbeat(103, "2026-11-22T10:15:00")).status(), "asOf needs its offset");
        assertEquals(400, changes(heartbeat(103, "yesterday")).status());
        assertEquals(Optional.of(clock.instant().minus(Duration.ofMinutes(5))), state().lastHeardAt(),
                "a refused batch is not heard");
    }

    @Test
    void lastHeardAtIsNullForAMunicipalityNeverFed() throws Exception {
        Path file = Files.createTempFile("municipalities", ".yml");
        Files.writeString(file, """
                municipalities:
                  - code: "131016"
                    name: "千代田区"
                    mayorTitle: "千代田区長"
                    mayorName: "見本 花子"
                    fees: { JUMINHYO: 300 }
                    syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                """);
        try (TestNode fresh = TestNode.start(Map.of("kofu.municipalities-file", file.toString()), null)) {
            CenterClient.Response r = fresh.sync().get("/sync/v1/status?municipalityCode=131016");
            assertEquals(200, r.status(), r.text());
            assertTrue(Json.MAPPER.readTree(r.body()).get("lastHeardAt").isNull(), r.text());
            ReplicaStore other = fresh.context().getBean(ReplicaStore.class);
            assertEquals(Optional.empty(), fresh.context().getBean(Database.class)
                    .inTransaction(c -> other.lockForRead(c, "131016")).lastHeardAt());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
