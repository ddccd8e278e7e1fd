package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.demo.CenterClient;
import jp.kofu.demo.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.http.Json;
import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.Pem;
import jp.kofu.pki.Pkcs12;
import jp.kofu.pki.Validity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract §5, row by row, on {@code POST /center/v1/issuances} over real mutual TLS: each refusal has its status
 * and code, a Japanese message and nothing internal, issues nothing, and leaves a REFUSED row in the issuance log.
 */
final class ErrorTableTest {
    private static TestNode node;
    private static CenterClient center;
    private static long seq;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        center = node.center();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    // ---- helpers ----

    private static ObjectNode payload(String scope) {
        return CenterRequests.payload("112038", scope, OffsetDateTime.now());
    }

    private static CenterClient.Response send(SoftwareCard card, ObjectNode payload) throws Exception {
        return sendJws(CenterRequests.sign(card, payload));
    }

    private static CenterClient.Response sendJws(String jws) throws Exception {
        return center.post("/center/v1/issuances",
                CenterRequests.issuanceBody("E-" + System.nanoTime(), "SEJ-0012345", jws), "application/json");
    }

    private static long count(String sql) {
        return node.count(sql);
    }

    /** Asserts the refusal, that nothing was issued by it, and its REFUSED log row. */
    private static void assertRefused(int status, String code, Call call) throws Exception {
        long issued = count("SELECT COUNT(*) FROM issuance");
        long logged = count("SELECT COUNT(*) FROM issuance_log WHERE result = 'REFUSED' AND code = '" + code + "'");
        CenterClient.Response r = call.run();
        assertEquals(status, r.status(), r.text());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals(code, body.get("code").asText());
        String message = body.get("message").asText();
        assertTrue(message.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HIRAGANA),
                "a Japanese message: " + message);
        String text = r.text();
        for (String leak : List.of("Exception", "java.", "jp.kofu", "SQL", "at ", "Caused")) {
            assertFalse(text.contains(leak), "nothing internal in the answer: " + text);
        }
        assertEquals(issued, count("SELECT COUNT(*) FROM issuance"), "nothing issued");
        assertEquals(logged + 1, count("SELECT COUNT(*) FROM issuance_log WHERE result = 'REFUSED' AND code = '"
                + code + "'"), "one REFUSED log row");
    }

    @FunctionalInterface
    private interface Call {
        CenterClient.Response run() throws Exception;
    }

    private static void sync(String ndjson) throws Exception {
        CenterClient.Response r = node.sync().post("/sync/v1/changes", ndjson.getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    private static String bindLine(String residentId, X509Certificate card) {
        return "{\"seq\":" + (++seq) + ",\"type\":\"CARD_BIND\",\"municipalityCode\":\"112038\",\"residentId\":\""
                + residentId + "\",\"issuer\":\"" + card.getIssuerX500Principal().getName(X500Principal.RFC2253)
                + "\",\"serialNumber\":\"" + card.getSerialNumber().toString(16) + "\"}\n";
    }

    private static String residentLine(String id, String household, String extra) {
        return "{\"seq\":" + (++seq) + ",\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"112038\",\"resident\":{"
                + "\"residentId\":\"" + id + "\",\"householdId\":\"" + household + "\",\"familyName\":\"試験\","
                + "\"givenName\":\"花子\",\"sex\":\"FEMALE\",\"birthDate\":\"1970-01-01\",\"relationship\":\"世帯主\","
                + "\"address\":\"埼玉県川口市青木一丁目1番1号\"" + extra + "}}\n";
    }

    private static CertificateAuthority jpkiCa() {
        return CertificateAuthority.of(Pkcs12.read(node.pki().jpkiCaKeystore(), node.pki().password()));
    }

    // ---- 400 MALFORMED_REQUEST ----

    @Test
    void refusesABodyThatIsNotJson() throws Exception {
        assertRefused(400, "MALFORMED_REQUEST", () -> center.post("/center/v1/issuances",
                "not json".getBytes(StandardCharsets.UTF_8), "application/json"));
    }

    @Test
    void refusesAMissingField() throws Exception {
        assertRefused(400, "MALFORMED_REQUEST", () -> center.post("/center/v1/issuances",
                "{\"centerTransactionId\":\"E-missing\",\"storeCode\":\"S\"}".getBytes(StandardCharsets.UTF_8),
                "application/json"));
    }

    @Test
    void refusesCopiesOutOfRange() throws Exception {
        for (int copies : new int[] {0, 11}) {
            ObjectNode p = payload("SELF");
            p.put("copies", copies);
            assertRefused(400, "MALFORMED_REQUEST", () -> send(node.card(DemoResidents.FAMILY_HEAD), p));
        }
    }

    @Test
    void refusesABodyOver64KiB() throws Exception {
        byte[] big = ("{\"centerTransactionId\":\"E-big\",\"cardRequest\":\"" + "a".repeat(70_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertRefused(400, "MALFORMED_REQUEST", () -> center.post("/center/v1/issuances", big, "application/json"));
    }

    @Test
    void refusesACardRequestThatIsNotAJws() throws Exception {
        assertRefused(400, "MALFORMED_REQUEST", () -> sendJws("not.a-jws"));
    }

    // ---- 401 CALLER_UNAUTHENTICATED ----

    @Test
    void refusesACallerWithoutCertificate() throws Exception {
        String jws = CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD), payload("SELF"));
        assertRefused(401, "CALLER_UNAUTHENTICATED", () -> node.anonymous().post("/center/v1/issuances",
                CenterRequests.issuanceBody("E-anon", "S", jws), "application/json"));
    }

    @Test
    void refusesTheSyncCertificateOnCenterPaths() throws Exception {
        String jws = CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD), payload("SELF"));
        assertRefused(401, "CALLER_UNAUTHENTICATED", () -> node.sync().post("/center/v1/issuances",
                CenterRequests.issuanceBody("E-sync", "S", jws), "application/json"));
    }

    @Test
    void refusesTheCenterCertificateOnSyncPaths() throws Exception {
        CenterClient.Response r = center.get("/sync/v1/status");
        assertEquals(401, r.status());
        assertEquals("CALLER_UNAUTHENTICATED", Json.MAPPER.readTree(r.body()).get("code").asText());
    }

    // ---- 403 ----

    @Test
    void refusesAlgNone() throws Exception {
        X509Certificate cert = node.card(DemoResidents.FAMILY_HEAD).certificate();
        String header = "{\"alg\":\"none\",\"x5c\":[\"" + Base64.getEncoder().encodeToString(cert.getEncoded()) + "\"]}";
        String jws = b64(header) + "." + b64(Json.MAPPER.writeValueAsString(payload("SELF"))) + ".";
        assertRefused(403, "SIGNATURE_INVALID", () -> sendJws(jws));
    }

    @Test
    void refusesATamperedPayload() throws Exception {
        String jws = CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD), payload("SELF"));
        String[] parts = jws.split("\\.");
        ObjectNode other = payload("HOUSEHOLD_ALL");
        String tampered = parts[0] + "." + b64(Json.MAPPER.writeValueAsString(other)) + "." + parts[2];
        assertRefused(403, "SIGNATURE_INVALID", () -> sendJws(tampered));
    }

    @Test
    void refusesACardOfAnUnknownCa() throws Exception {
        Instant now = Instant.now();
        CertificateAuthority rogue = CertificateAuthority.createRoot(
                "OU=JPKI for user authentication (TEST), O=JPKI (TEST), C=JP",
                Validity.starting(now.minus(Duration.ofDays(1)), Duration.ofDays(365)));
        SoftwareCard card = SoftwareCard.of(rogue.issueCardAuthentication(
                Validity.starting(now.minus(Duration.ofDays(1)), Duration.ofDays(365))));
        assertRefused(403, "CARD_UNTRUSTED", () -> send(card, payload("SELF")));
    }

    @Test
    void refusesAnExpiredCard() throws Exception {
        Instant now = Instant.now();
        SoftwareCard card = SoftwareCard.of(jpkiCa().issueCardAuthentication(
                Validity.starting(now.minus(Duration.ofDays(400)), Duration.ofDays(365))));
        assertRefused(403, "CARD_EXPIRED", () -> send(card, payload("SELF")));
    }

    @Test
    void refusesACardOnTheCrl() throws Exception {
        Instant now = Instant.now();
        CertificateAuthority ca = jpkiCa();
        SoftwareCard card = SoftwareCard.of(ca.issueCardAuthentication(
                Validity.starting(now.minus(Duration.ofDays(1)), Duration.ofDays(365))));
        sync(bindLine(DemoResidents.FAMILY_HEAD, card.certificate()));
        Pem.writeCrl(node.pki().jpkiCrlDir().resolve("revoked-test.crl"), ca.issueCrl(now.minusSeconds(60),
                now.plus(Duration.ofDays(7)), List.of(card.certificate().getSerialNumber())));
        Thread.sleep(1_100); // the CRL folder is looked at again at most once a second
        assertRefused(403, "CARD_REVOKED", () -> send(card, payload("SELF")));
    }

    @Test
    void refusesACardRevokedThroughTheFeed() throws Exception {
        Instant now = Instant.now();
        SoftwareCard card = SoftwareCard.of(jpkiCa().issueCardAuthentication(
                Validity.starting(now.minus(Duration.ofDays(1)), Duration.ofDays(365))));
        X509Certificate cert = card.certificate();
        sync(bindLine(DemoResidents.SPOUSE, cert));
        assertEquals(200, send(card, payload("SELF")).status(), "works while bound");
        sync("{\"seq\":" + (++seq) + ",\"type\":\"CARD_REVOKE\",\"municipalityCode\":\"112038\",\"issuer\":\""
                + cert.getIssuerX500Principal().getName(X500Principal.RFC2253) + "\",\"serialNumber\":\""
                + cert.getSerialNumber().toString(16).toUpperCase() + "\"}\n");
        assertRefused(403, "CARD_REVOKED", () -> send(card, payload("SELF")));
    }

    @Test
    void refusesACardBoundToNobody() throws Exception {
        SoftwareCard stranger = jp.kofu.card.SoftwareCard.load(node.pki().issueCard("stranger"), node.pki().password());
        assertRefused(403, "CARD_NOT_REGISTERED", () -> send(stranger, payload("SELF")));
    }

    @Test
    void refusesASignedAtOutsideTheWindow() throws Exception {
        for (int offset : new int[] {-301, 301}) {
            ObjectNode p = CenterRequests.payload("112038", "SELF", OffsetDateTime.now().plusSeconds(offset));
            assertRefused(403, "REQUEST_EXPIRED", () -> send(node.card(DemoResidents.FAMILY_HEAD), p));
        }
    }

    @Test
    void refusesAReplayedNonce() throws Exception {
        ObjectNode p = payload("SELF");
        String jws = CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD), p);
        assertEquals(200, sendJws(jws).status());
        assertRefused(403, "REPLAYED", () -> sendJws(jws));
    }

    // ---- 404, 409 ----

    @Test
    void refusesAMunicipalityNotServed() throws Exception {
        ObjectNode p = CenterRequests.payload("131016", "SELF", OffsetDateTime.now());
        assertRefused(404, "UNKNOWN_MUNICIPALITY", () -> send(node.card(DemoResidents.FAMILY_HEAD), p));
    }

    @Test
    void refusesOneTransactionIdForTwoBodies() throws Exception {
        String jws = CenterRequests.sign(node.card(DemoResidents.FOREIGN), payload("SELF"));
        assertEquals(200, center.post("/center/v1/issuances", CenterRequests.issuanceBody("E-dup", "A", jws),
                "application/json").status());
        String other = CenterRequests.sign(node.card(DemoResidents.FOREIGN), payload("SELF"));
        assertRefused(409, "TRANSACTION_CONFLICT", () -> center.post("/center/v1/issuances",
                CenterRequests.issuanceBody("E-dup", "A", other), "application/json"));
    }

    // ---- 422 ----

    @Test
    void refusesABlockedResidentAndAMovingHouseholdAlike() throws Exception {
        assertRefused(422, "NOT_ISSUABLE", () -> send(node.card(DemoResidents.BLOCKED), payload("SELF")));
        CenterClient.Response blocked = send(node.card(DemoResidents.BLOCKED), payload("SELF"));
        assertRefused(422, "NOT_ISSUABLE", () -> send(node.card(DemoResidents.MOVING), payload("SELF")));
        CenterClient.Response moving = send(node.card(DemoResidents.MOVING), payload("SELF"));
        assertEquals(Json.MAPPER.readTree(blocked.body()), Json.MAPPER.readTree(moving.body()),
                "a block looks exactly like any other refusal");
    }

    @Test
    void refusesAChildUnderTheMinimumAge() throws Exception {
        assertRefused(422, "NOT_ISSUABLE", () -> send(node.card(DemoResidents.CHILD), payload("SELF")));
    }

    @Test
    void refusesWhileAGaijiIsBeingRegisteredAndOnTheDayOfMovingIn() throws Exception {
        String today = LocalDate.now(ZoneId.of("Asia/Tokyo")).toString();
        SoftwareCard gaiji = SoftwareCard.load(node.pki().issueCard("gaiji"), node.pki().password());
        SoftwareCard newcomer = SoftwareCard.load(node.pki().issueCard("newcomer"), node.pki().password());
        sync(residentLine("T-GAIJI", "TH-1", ",\"gaijiPending\":true")
                + residentLine("T-NEW", "TH-2", ",\"becameResidentOn\":\"" + today + "\"")
                + bindLine("T-GAIJI", gaiji.certificate()) + bindLine("T-NEW", newcomer.certificate()));
        assertRefused(422, "NOT_ISSUABLE", () -> send(gaiji, payload("SELF")));
        assertRefused(422, "NOT_ISSUABLE", () -> send(newcomer, payload("SELF")));
    }

    @Test
    void refusesACertificateTypeNotOffered() throws Exception {
        ObjectNode p = payload("SELF");
        p.put("certificateType", "INKAN_TOROKU");
        assertRefused(422, "UNSUPPORTED_CERTIFICATE", () -> send(node.card(DemoResidents.FAMILY_HEAD), p));
    }

    @Test
    void answersUnknownRoutesAndMethodsInTheContractsForm() throws Exception {
        CenterClient.Response missing = center.get("/center/v1/nothing-here");
        assertEquals(404, missing.status());
        assertEquals("MALFORMED_REQUEST", Json.MAPPER.readTree(missing.body()).get("code").asText());
        CenterClient.Response wrongMethod = center.get("/center/v1/issuances");
        assertTrue(wrongMethod.status() == 405 || wrongMethod.status() == 404, "status " + wrongMethod.status());
        assertEquals("MALFORMED_REQUEST", Json.MAPPER.readTree(wrongMethod.body()).get("code").asText());
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
