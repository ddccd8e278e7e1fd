package jp.kofu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Contract §7 end to end, over real mutual TLS: one node serves two municipalities, A (112038 川口市) and
 * B (131016 千代田区), each with its own feed, kiosk and residents (the demo households, with the same demo cards bound
 * in both). Every attack is tried by the caller of one municipality against the other; each test checks the
 * refusal and that nothing of the other changed.
 */
final class TenancyTest {
    private static final String A = "112038";
    private static final String B = "131016";
    private static final String KIOSK_A = "KIOSK-112038-01";
    private static final String KIOSK_B = "KIOSK-131016-01";

    /** Real time, but never in the year-end closure, when no certificate is served (contract §8). */
    private static final java.time.Clock CLOCK = TestClock.serviceDay();
    private static TestNode node;
    private static CenterClient feedA;
    private static CenterClient feedB;
    private static CenterClient centerA;
    private static CenterClient centerB;
    private static final Map<String, AtomicLong> SEQ = Map.of(A, new AtomicLong(100), B, new AtomicLong(100));

    @BeforeAll
    static void start() throws Exception {
        Path file = TestMunicipalities.file(TestMunicipalities.yaml(
            TestMunicipalities.kawaguchi("""
                serviceHours: "00:00-24:00"
                fees: { JUMINHYO: 200 }
                syncClients: ["CN=feed-112038, O=Kofu (DEV), C=JP"]
                kiosks:
                  - terminalId: "KIOSK-112038-01"
                    place: "本庁舎 1階"
                    clientSubject: "CN=KIOSK-112038-01, OU=Kiosk, O=Kofu (DEV), C=JP"
                """),
            TestMunicipalities.chiyoda("""
                serviceHours: "00:00-24:00"
                fees: { JUMINHYO: 300 }
                syncClients: ["cn=FEED-131016,o=Kofu (DEV),c=jp"]
                kiosks:
                  - terminalId: "KIOSK-131016-01"
                    place: "区役所 1階"
                    clientSubject: "CN=KIOSK-131016-01, OU=Kiosk, O=Kofu (DEV), C=JP"
                """)));
        node = TestNode.start(Map.of("kofu.municipalities-file", file.toString()), CLOCK);
        Files.delete(file);
        feedA = node.sync("feed-112038");
        feedB = node.sync("feed-131016");
        centerA = node.center();
        centerB = node.center("center-2");
        for (var feed : Map.of(A, feedA, B, feedB).entrySet()) {
            CenterClient.Response r = feed.getValue().put("/sync/v1/snapshot?municipalityCode=" + feed.getKey()
                    + "&asOfSeq=100", DemoResidents.snapshot(feed.getKey(), node.pki()), "application/x-ndjson");
            assertEquals(200, r.status(), r.text());
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    // ---- the sync feed ----

    @Test
    void aFeedCannotBindItsCardToAResidentOfAnotherMunicipality() throws Exception {
        SoftwareCard own = SoftwareCard.load(node.pki().issueCard("attacker-of-b"), node.pki().password());
        long bindings = node.count("SELECT COUNT(*) FROM card_binding WHERE municipality_code = '" + B + "'");
        String bind = event(B, "CARD_BIND", "\"residentId\":\"" + DemoResidents.FAMILY_HEAD + "\"," + card(own));
        assertForbiddenBatch(feedA, 1, bind);
        assertEquals(bindings, node.count("SELECT COUNT(*) FROM card_binding WHERE municipality_code = '" + B + "'"));
        // The card is bound to no one in B: it gets nothing there.
        CenterClient.Response r = issue(centerA, own, B, "HOUSEHOLD_ALL", "CONVENIENCE_STORE", "SEJ-0012345-01");
        assertEquals("CARD_NOT_REGISTERED", code(r));
    }

    @Test
    void aFeedCannotRemoveBlockOrUnblockResidentsOfAnotherMunicipality() throws Exception {
        long residents = residents(B);
        long blocks = node.count("SELECT COUNT(*) FROM issuance_block WHERE municipality_code = '" + B + "'");
        assertForbiddenBatch(feedA, 1, event(B, "RESIDENT_REMOVE", "\"residentId\":\"" + DemoResidents.SPOUSE + "\""));
        assertForbiddenBatch(feedA, 1, event(B, "ISSUANCE_BLOCK", "\"residentId\":\"" + DemoResidents.SPOUSE
                + "\",\"active\":true,\"reason\":\"DV_SUPPORT\""));
        assertForbiddenBatch(feedA, 1, event(B, "ISSUANCE_BLOCK", "\"residentId\":\"" + DemoResidents.BLOCKED
                + "\",\"active\":false,\"reason\":\"DV_SUPPORT\""));
        assertEquals(residents, residents(B));
        assertEquals(blocks, node.count("SELECT COUNT(*) FROM issuance_block WHERE municipality_code = '" + B + "'"));
        assertEquals(200, issue(centerA, card(DemoResidents.SPOUSE), B, "SELF", "CONVENIENCE_STORE",
                "SEJ-0012345-01").status(), "B's resident is still there and unblocked");
    }

    @Test
    void aBatchWithOneLineOfAnotherMunicipalityAppliesNothingOfItsOwn() throws Exception {
        long seqA = appliedThrough(A);
        String upsert = event(A, "ISSUANCE_BLOCK", "\"residentId\":\"" + DemoResidents.TEEN
                + "\",\"active\":true,\"reason\":\"TEST\"");
        String foreign = event(B, "RESIDENT_REMOVE", "\"residentId\":\"" + DemoResidents.TEEN + "\"");
        assertForbiddenBatch(feedA, 2, upsert + foreign);
        assertEquals(seqA, appliedThrough(A), "the batch is refused whole: its own line is not applied either");
        assertEquals(0, node.count("SELECT COUNT(*) FROM issuance_block WHERE municipality_code = '" + A
                + "' AND resident_id = '" + DemoResidents.TEEN + "'"));
    }

    @Test
    void aFeedCannotReplaceAnotherMunicipalitysReplica() throws Exception {
        long residents = residents(B);
        long seq = appliedThrough(B);
        String empty = "{\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"" + B + "\"," + resident("X1", "H1") + "}\n";
        CenterClient.Response r = feedA.put("/sync/v1/snapshot?municipalityCode=" + B + "&asOfSeq=999999",
                empty.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(403, r.status(), r.text());
        assertEquals("CALLER_FORBIDDEN", code(r));
        assertEquals(residents, residents(B));
        assertEquals(seq, appliedThrough(B));
        assertEquals(0, node.count("SELECT COUNT(*) FROM resident WHERE resident_id = 'X1'"), "nothing loaded");
    }

    @Test
    void aFeedSeesTheStatusOfItsOwnMunicipalitiesOnly() throws Exception {
        CenterClient.Response all = feedA.get("/sync/v1/status");
        assertEquals(200, all.status(), all.text());
        JsonNode list = Json.MAPPER.readTree(all.body());
        assertEquals(1, list.size(), all.text());
        assertEquals(A, list.get(0).get("municipalityCode").asText());
        CenterClient.Response other = feedA.get("/sync/v1/status?municipalityCode=" + B);
        assertEquals(403, other.status(), other.text());
        assertEquals("CALLER_FORBIDDEN", code(other));
        assertFalse(other.text().contains("residents"), "nothing of B in the refusal");
        // B's own feed, its subject written in another case and spacing in the file, sees B.
        CenterClient.Response own = feedB.get("/sync/v1/status?municipalityCode=" + B);
        assertEquals(200, own.status(), own.text());
    }

    @Test
    void aRevocationActsForTheMunicipalityOfItsFeedOnly() throws Exception {
        SoftwareCard both = card(DemoResidents.FOREIGN);
        assertForbiddenBatch(feedA, 1, event(B, "CARD_REVOKE", card(both)));
        CenterClient.Response r = feedA.post("/sync/v1/changes", event(A, "CARD_REVOKE", card(both))
                .getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
        assertEquals("CARD_REVOKED", code(issue(centerA, both, A, "SELF", "CONVENIENCE_STORE", "SEJ-0012345-01")));
        assertEquals(200, issue(centerA, both, B, "SELF", "CONVENIENCE_STORE", "SEJ-0012345-01").status(),
                "A's feed revoked the card in A; in B it is still good");
    }

    @Test
    void aSlowlySentBatchHoldsNoLockWhileItIsReceived() throws Exception {
        // The first line arrives, then the sender pauses: had the batch's transaction started, it would hold A's
        // replica lock, and the issuance below would wait behind it.
        CountDownLatch resume = new CountDownLatch(1);
        String first = event(A, "ISSUANCE_BLOCK", "\"residentId\":\"" + DemoResidents.MOVING
                + "\",\"active\":false,\"reason\":\"TEST\"");
        String second = event(A, "ISSUANCE_BLOCK", "\"residentId\":\"" + DemoResidents.MOVING
                + "\",\"active\":false,\"reason\":\"TEST\"");
        InputStream slow = new InputStream() {
            private final InputStream head = new ByteArrayInputStream(first.getBytes(StandardCharsets.UTF_8));
            private final InputStream tail = new ByteArrayInputStream(second.getBytes(StandardCharsets.UTF_8));

            @Override
            public int read() throws IOException {
                int b = head.read();
                if (b != -1) {
                    return b;
                }
                try {
                    resume.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                return tail.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int c = read();
                if (c == -1) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
        CompletableFuture<CenterClient.Response> batch = CompletableFuture.supplyAsync(() -> {
            try {
                return feedA.post("/sync/v1/changes", HttpRequest.BodyPublishers.ofInputStream(() -> slow),
                        "application/x-ndjson");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(500);
        CompletableFuture<CenterClient.Response> issuance = CompletableFuture.supplyAsync(() -> {
            try {
                return issue(centerA, card(DemoResidents.FAMILY_HEAD), A, "SELF", "CONVENIENCE_STORE", "SEJ-0012345-01");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CenterClient.Response issued = issuance.get(40, TimeUnit.SECONDS);
        assertFalse(batch.isDone(), "the batch is still being sent");
        assertEquals(200, issued.status(), "issued while the feed was still sending: " + issued.text());
        resume.countDown();
        CenterClient.Response done = batch.get(60, TimeUnit.SECONDS);
        assertEquals(200, done.status(), done.text());
    }

    // ---- issuance, completion and kept answers ----

    @Test
    void onlyTheCallerThatGotAnIssuanceMayCompleteIt() throws Exception {
        String number = issuanceNumber(issue(centerA, card(DemoResidents.SPOUSE), A, "SELF", "CONVENIENCE_STORE",
                "SEJ-0012345-01"));
        for (CenterClient other : List.of(centerB, node.kiosk(KIOSK_A))) {
            CenterClient.Response r = complete(other, number, "PRINTED");
            assertEquals(404, r.status(), r.text());
            assertEquals("ISSUANCE_NOT_FOUND", code(r));
            r = complete(other, number, "FAILED");
            assertEquals("ISSUANCE_NOT_FOUND", code(r));
            assertEquals("ISSUED", status(number), "nothing changed");
        }
        assertEquals(200, complete(centerA, number, "PRINTED").status());
        assertEquals("PRINTED", status(number));
    }

    @Test
    void aTransactionIdIsItsCallersOwn() throws Exception {
        String id = "C-SAME-" + UUID.randomUUID();
        CenterClient.Response a = centerA.post("/center/v1/issuances", body(id, card(DemoResidents.FAMILY_HEAD), A,
                "HOUSEHOLD_ALL", "CONVENIENCE_STORE", "SEJ-0012345-01"), "application/json");
        CenterClient.Response b = centerB.post("/center/v1/issuances", body(id, card(DemoResidents.TEEN), A,
                "SELF", "CONVENIENCE_STORE", "SEJ-0012345-01"), "application/json");
        assertEquals(200, a.status(), a.text());
        assertEquals(200, b.status(), "the same id from another caller is another transaction, no conflict: " + b.text());
        assertNotEquals(issuanceNumber(a), issuanceNumber(b));
    }

    @Test
    void aKeptAnswerIsReplayedOnlyToTheCallerThatGotIt() throws Exception {
        String id = "C-KEPT-" + UUID.randomUUID();
        byte[] request = body(id, card(DemoResidents.FAMILY_HEAD), A, "HOUSEHOLD_ALL", "CONVENIENCE_STORE",
                "SEJ-0012345-01");
        CenterClient.Response first = centerA.post("/center/v1/issuances", request, "application/json");
        assertEquals(200, first.status(), first.text());
        long issued = node.count("SELECT COUNT(*) FROM issuance");
        // Another caller sends the very same bytes (it saw them, or guessed the id): no PDF for it.
        CenterClient.Response stolen = centerB.post("/center/v1/issuances", request, "application/json");
        assertEquals(403, stolen.status(), stolen.text());
        assertEquals("REPLAYED", code(stolen));
        assertFalse(stolen.text().contains("pdf"));
        assertEquals(issued, node.count("SELECT COUNT(*) FROM issuance"));
        CenterClient.Response retry = centerA.post("/center/v1/issuances", request, "application/json");
        assertArrayEquals(first.body(), retry.body(), "the caller's own retry gets its answer");
    }

    /**
     * Both municipalities have a household H0001 (the same demo snapshot): the household is read by its id in one
     * statement with the card holder (issue 17), and must be the card holder's municipality's household only.
     */
    @Test
    void aHouseholdOfTheSameIdInAnotherMunicipalityAddsNoOneToTheCertificate() throws Exception {
        feed(feedB, event(B, "RESIDENT_UPSERT", resident("RBH0001", "H0001")));
        try {
            String inA = "C-HH-A-" + UUID.randomUUID();
            CenterClient.Response a = centerA.post("/center/v1/issuances", body(inA,
                    card(DemoResidents.FAMILY_HEAD), A, "HOUSEHOLD_ALL", "CONVENIENCE_STORE", "SEJ-0012345-01"),
                    "application/json");
            assertEquals(200, a.status(), "the household certificate of A is issued");
            assertEquals(1, printed(inA, "%" + DemoResidents.FAMILY_HEAD + "%"), "A's householder is printed");
            assertEquals(0, printed(inA, "%RBH0001%"), "B's member of its own H0001 is not printed by A");

            String inB = "C-HH-B-" + UUID.randomUUID();
            CenterClient.Response b = centerA.post("/center/v1/issuances", body(inB,
                    card(DemoResidents.FAMILY_HEAD), B, "HOUSEHOLD_ALL", "CONVENIENCE_STORE", "SEJ-0012345-01"),
                    "application/json");
            assertEquals(200, b.status(), "the household certificate of B is issued");
            assertEquals(1, printed(inB, "%RBH0001%"), "B's own certificate does print B's new member");
        } finally {
            feed(feedB, event(B, "RESIDENT_REMOVE", "\"residentId\":\"RBH0001\""));
        }
    }

    /** The issuance log rows of the transaction whose printed persons match {@code pattern} (SQL LIKE). */
    private static long printed(String centerTransactionId, String pattern) {
        return node.count("SELECT COUNT(*) FROM issuance_log WHERE result = 'ISSUED' AND center_transaction_id = '"
                + centerTransactionId + "' AND printed_ids LIKE '" + pattern + "'");
    }

    @Test
    void aKeptAnswerGoesWhenAPrintedPersonIsBlocked() throws Exception {
        String id = "C-BLOCK-" + UUID.randomUUID();
        byte[] request = body(id, card(DemoResidents.FAMILY_HEAD), B, "HOUSEHOLD_ALL", "CONVENIENCE_STORE",
                "SEJ-0012345-01");
        assertEquals(200, centerA.post("/center/v1/issuances", request, "application/json").status());
        assertEquals(1, keptAnswers(id));
        feed(feedB, event(B, "ISSUANCE_BLOCK", "\"residentId\":\"" + DemoResidents.TEEN
                + "\",\"active\":true,\"reason\":\"DV_SUPPORT\""));
        assertEquals(0, keptAnswers(id), "the block dropped the answer that prints the blocked member");
        CenterClient.Response retry = centerA.post("/center/v1/issuances", request, "application/json");
        assertNotEquals(200, retry.status(), "a retry does not replay the blocked member's certificate");
        assertFalse(retry.text().contains("pdf"));
        feed(feedB, event(B, "ISSUANCE_BLOCK", "\"residentId\":\"" + DemoResidents.TEEN
                + "\",\"active\":false,\"reason\":\"DV_SUPPORT\""));
    }

    @Test
    void aKeptAnswerGoesWhenTheCardThatAskedIsRevoked() throws Exception {
        SoftwareCard card = SoftwareCard.load(node.pki().issueCard("revoked-later"), node.pki().password());
        feed(feedB, event(B, "CARD_BIND", "\"residentId\":\"" + DemoResidents.SPOUSE + "\"," + card(card)));
        String id = "C-REVOKE-" + UUID.randomUUID();
        byte[] request = body(id, card, B, "SELF", "CONVENIENCE_STORE", "SEJ-0012345-01");
        assertEquals(200, centerA.post("/center/v1/issuances", request, "application/json").status());
        assertEquals(1, keptAnswers(id));
        feed(feedB, event(B, "CARD_REVOKE", card(card)));
        assertEquals(0, keptAnswers(id));
        assertFalse(centerA.post("/center/v1/issuances", request, "application/json").text().contains("pdf"));
    }

    @Test
    void removingOneResidentKeepsTheAnswersOfAnotherWhoseIdMatchesAsAPattern() throws Exception {
        // "R_1" read as a LIKE pattern matches "RX1": the removal of R_1 must not take RX1's answer with it.
        SoftwareCard rx1 = SoftwareCard.load(node.pki().issueCard("RX1"), node.pki().password());
        feed(feedA, event(A, "RESIDENT_UPSERT", resident("R_1", "HU1")) + event(A, "RESIDENT_UPSERT",
                resident("RX1", "HX1")) + event(A, "CARD_BIND", "\"residentId\":\"RX1\"," + card(rx1)));
        String id = "C-LIKE-" + UUID.randomUUID();
        byte[] request = body(id, rx1, A, "SELF", "CONVENIENCE_STORE", "SEJ-0012345-01");
        CenterClient.Response first = centerA.post("/center/v1/issuances", request, "application/json");
        assertEquals(200, first.status(), first.text());
        feed(feedA, event(A, "RESIDENT_REMOVE", "\"residentId\":\"R_1\""));
        assertEquals(1, keptAnswers(id), "RX1's answer is still kept");
        assertArrayEquals(first.body(), centerA.post("/center/v1/issuances", request, "application/json").body());
    }

    // ---- kiosks ----

    @Test
    void noCallerButTheKioskItselfMaySendItsTerminalId() throws Exception {
        long issued = node.count("SELECT COUNT(*) FROM issuance");
        CenterClient.Response r = issue(centerA, card(DemoResidents.FAMILY_HEAD), A, "SELF", "KIOSK", KIOSK_A);
        assertEquals(403, r.status(), r.text());
        assertEquals("TERMINAL_UNKNOWN", code(r), "the center posing as A's kiosk");
        r = issue(node.kiosk(KIOSK_B), card(DemoResidents.FAMILY_HEAD), A, "SELF", "KIOSK", KIOSK_A);
        assertEquals("TERMINAL_UNKNOWN", code(r), "B's kiosk posing as A's");
        r = issue(node.kiosk(KIOSK_B), card(DemoResidents.FAMILY_HEAD), A, "SELF", "KIOSK", KIOSK_B);
        assertEquals("TERMINAL_UNKNOWN", code(r), "B's kiosk with its own id, for A's municipality");
        r = listing(centerA, card(DemoResidents.FAMILY_HEAD), A, KIOSK_A);
        assertEquals("TERMINAL_UNKNOWN", code(r), "the household listing too");
        assertEquals(issued, node.count("SELECT COUNT(*) FROM issuance"));
        assertEquals(200, issue(node.kiosk(KIOSK_A), card(DemoResidents.FAMILY_HEAD), A, "SELF", "KIOSK", KIOSK_A)
                .status(), "the kiosk itself");
    }

    @Test
    void aKioskCertificateCannotPoseAsAStore() throws Exception {
        long issued = node.count("SELECT COUNT(*) FROM issuance");
        CenterClient.Response r = issue(node.kiosk(KIOSK_A), card(DemoResidents.FAMILY_HEAD), A, "SELF",
                "CONVENIENCE_STORE", "SEJ-0012345-01");
        assertEquals(403, r.status(), r.text());
        assertEquals("CALLER_FORBIDDEN", code(r));
        assertEquals(issued, node.count("SELECT COUNT(*) FROM issuance"));
        assertEquals(1, node.count("SELECT COUNT(*) FROM issuance_log WHERE code = 'CALLER_FORBIDDEN'"
                + " AND caller LIKE 'CN=KIOSK-112038-01%'"), "logged as refused, with the caller");
    }

    // ---- helpers ----

    private static SoftwareCard card(String residentId) {
        return node.card(residentId);
    }

    /** The issuer and serial of a card, as a feed line names them. */
    private static String card(SoftwareCard card) {
        X509Certificate c = card.certificate();
        return "\"issuer\":\"" + c.getIssuerX500Principal().getName(X500Principal.RFC2253) + "\",\"serialNumber\":\""
                + c.getSerialNumber().toString(16) + "\"";
    }

    private static String resident(String id, String household) {
        return "\"resident\":{\"residentId\":\"" + id + "\",\"householdId\":\"" + household + "\","
                + "\"familyName\":\"見本\",\"givenName\":\"一\",\"sex\":\"MALE\",\"birthDate\":\"1980-01-01\","
                + "\"relationship\":\"世帯主\",\"address\":\"埼玉県川口市青木1番\",\"becameResidentOn\":\"2001-01-01\"}";
    }

    /** One feed line with the municipality's next seq. */
    private static String event(String municipality, String type, String fields) {
        return "{\"seq\":" + SEQ.get(municipality).incrementAndGet() + ",\"type\":\"" + type
                + "\",\"municipalityCode\":\"" + municipality + "\"," + fields + "}\n";
    }

    private static void feed(CenterClient feed, String lines) throws Exception {
        CenterClient.Response r = feed.post("/sync/v1/changes", lines.getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    /** The batch is refused CALLER_FORBIDDEN at {@code line}, nothing applied (its seqs are used again). */
    private static void assertForbiddenBatch(CenterClient feed, int line, String lines) throws Exception {
        long a = appliedThrough(A);
        long b = appliedThrough(B);
        CenterClient.Response r = feed.post("/sync/v1/changes", lines.getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(403, r.status(), r.text());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals("CALLER_FORBIDDEN", body.get("code").asText());
        assertEquals(line, body.get("line").asInt(), r.text());
        assertEquals(a, appliedThrough(A));
        assertEquals(b, appliedThrough(B));
        SEQ.get(A).set(a);
        SEQ.get(B).set(b);
    }

    private static long appliedThrough(String municipality) {
        return node.count("SELECT applied_through FROM municipality_replica WHERE municipality_code = '"
                + municipality + "'");
    }

    private static long residents(String municipality) {
        return node.count("SELECT COUNT(*) FROM resident r JOIN municipality_replica m ON m.municipality_code ="
                + " r.municipality_code AND m.generation = r.generation WHERE r.municipality_code = '"
                + municipality + "'");
    }

    private static long keptAnswers(String centerTransactionId) {
        return node.count("SELECT COUNT(*) FROM center_transaction WHERE center_transaction_id = '"
                + centerTransactionId + "'");
    }

    private static String status(String issuanceNumber) {
        return node.context().getBean(jp.kofu.db.Database.class).withConnection(c -> {
            try (var s = c.prepareStatement("SELECT status FROM issuance WHERE issuance_number = ?")) {
                s.setString(1, issuanceNumber);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private static byte[] body(String centerTransactionId, SoftwareCard card, String municipality, String scope,
                               String channel, String terminalId) {
        ObjectNode p = CenterRequests.payload(municipality, scope, OffsetDateTime.now(CLOCK));
        p.put("channel", channel);
        p.put("terminalId", terminalId);
        return CenterRequests.issuanceBody(centerTransactionId, "SEJ-0012345", CenterRequests.sign(card, p));
    }

    private static CenterClient.Response issue(CenterClient caller, SoftwareCard card, String municipality,
                                               String scope, String channel, String terminalId) throws Exception {
        return caller.post("/center/v1/issuances", body("C-" + UUID.randomUUID(), card, municipality, scope, channel,
                terminalId), "application/json");
    }

    private static CenterClient.Response listing(CenterClient caller, SoftwareCard card, String municipality,
                                                 String terminalId) throws Exception {
        ObjectNode p = CenterRequests.payload(municipality, "SELF", OffsetDateTime.now(CLOCK));
        p.put("channel", "KIOSK");
        p.put("terminalId", terminalId);
        p.put("certificateType", "HOUSEHOLD_LISTING");
        p.remove("scope");
        p.remove("options");
        p.remove("copies");
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("centerTransactionId", "L-" + UUID.randomUUID());
        body.put("cardRequest", CenterRequests.sign(card, p));
        return caller.post("/center/v1/household-members", Json.bytes(body), "application/json");
    }

    private static CenterClient.Response complete(CenterClient caller, String number, String result)
            throws Exception {
        String body = "PRINTED".equals(result) ? "{\"result\":\"PRINTED\"}" : "{\"result\":\"FAILED\",\"reason\":\"PAPER_JAM\"}";
        return caller.post("/center/v1/issuances/" + number + "/completion", body.getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    private static String issuanceNumber(CenterClient.Response r) throws Exception {
        assertEquals(200, r.status(), r.text());
        return Json.MAPPER.readTree(r.body()).get("issuanceNumber").asText();
    }

    private static String code(CenterClient.Response r) throws Exception {
        return Json.MAPPER.readTree(r.body()).path("code").asText();
    }
}
