package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
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

    /** Asserts the refusal, that nothing was issued by it, and its REFUSED log row. */
    private static JsonNode assertRefused(int status, String code, Refusals.Call call) throws Exception {
        return Refusals.assertRefused(node, status, code, call);
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
        return residentLine(id, household, "世帯主", extra);
    }

    private static String residentLine(String id, String household, String relationship, String extra) {
        return "{\"seq\":" + (++seq) + ",\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"112038\",\"resident\":{"
                + "\"residentId\":\"" + id + "\",\"householdId\":\"" + household + "\",\"familyName\":\"試験\","
                + "\"givenName\":\"花子\",\"sex\":\"FEMALE\",\"birthDate\":\"1970-01-01\",\"relationship\":\""
                + relationship + "\",\"householderName\":\"試験　花子\","
                + "\"address\":\"埼玉県川口市青木一丁目1番1号\"" + extra + "}}\n";
    }

    private static SoftwareCard newCard(String name) {
        return SoftwareCard.load(node.pki().issueCard(name), node.pki().password());
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
        assertRefusedUnlogged(() -> node.anonymous().post("/center/v1/issuances",
                CenterRequests.issuanceBody("E-anon", "S", jws), "application/json"));
    }

    @Test
    void refusesTheSyncCertificateOnCenterPaths() throws Exception {
        String jws = CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD), payload("SELF"));
        assertRefusedUnlogged(() -> node.sync().post("/center/v1/issuances",
                CenterRequests.issuanceBody("E-sync", "S", jws), "application/json"));
    }

    /** Refused before the caller is known: counted in a metric, but no row of the issuance log (contract §7). */
    private static void assertRefusedUnlogged(Refusals.Call call) throws Exception {
        long rows = node.count("SELECT COUNT(*) FROM issuance_log");
        long issued = node.count("SELECT COUNT(*) FROM issuance");
        Refusals.assertShape(401, "CALLER_UNAUTHENTICATED", call.run());
        assertEquals(issued, node.count("SELECT COUNT(*) FROM issuance"), "nothing issued");
        assertEquals(rows, node.count("SELECT COUNT(*) FROM issuance_log"), "no issuance_log row");
    }

    @Test
    void refusesTheCenterCertificateOnSyncPaths() throws Exception {
        Refusals.assertShape(401, "CALLER_UNAUTHENTICATED", center.get("/sync/v1/status"));
        Refusals.assertShape(401, "CALLER_UNAUTHENTICATED", center.post("/sync/v1/changes",
                "{}".getBytes(StandardCharsets.UTF_8), "application/x-ndjson"));
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

    // ---- added: fields of the signed request, JWS forms, key usage, validity, replay, household rules ----

    @Test
    void refusesASignedRequestMissingARequiredField() throws Exception {
        for (String field : List.of("requestId", "municipalityCode", "channel", "terminalId", "signedAt", "nonce",
                "certificateType", "scope", "copies")) {
            ObjectNode p = payload("SELF");
            p.remove(field);
            assertRefused(400, "MALFORMED_REQUEST", () -> send(node.card(DemoResidents.FAMILY_HEAD), p));
        }
    }

    @Test
    void refusesOutOfRangeFieldsOfTheSignedRequest() throws Exception {
        ObjectNode badCheckDigit = payload("SELF");
        badCheckDigit.put("municipalityCode", "131010");
        ObjectNode shortNonce = payload("SELF");
        shortNonce.put("nonce", b64("fifteen bytes!!"));
        ObjectNode badChannel = payload("SELF");
        badChannel.put("channel", "POST_OFFICE");
        ObjectNode badScope = payload("SELF");
        badScope.put("scope", "EVERYONE");
        ObjectNode copiesText = payload("SELF");
        copiesText.put("copies", "1");
        for (ObjectNode p : List.of(badCheckDigit, shortNonce, badChannel, badScope, copiesText)) {
            assertRefused(400, "MALFORMED_REQUEST", () -> send(node.card(DemoResidents.FAMILY_HEAD), p));
        }
    }

    @Test
    void refusesJwsThatDoNotParse() throws Exception {
        String good = CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD), payload("SELF"));
        String[] parts = good.split("\\.");
        for (String jws : List.of(
                "",
                good + ".extra",
                "!!!." + parts[1] + "." + parts[2],
                b64("not json") + "." + parts[1] + "." + parts[2],
                b64("{\"alg\":\"RS256\"}") + "." + parts[1] + "." + parts[2],
                b64("{\"alg\":\"RS256\",\"x5c\":[\"bm90IGEgY2VydGlmaWNhdGU=\"]}") + "." + parts[1] + "." + parts[2],
                parts[0] + "." + b64("not json") + "." + parts[2])) {
            CenterClient.Response r = sendJws(jws);
            assertTrue(r.status() == 400 || r.status() == 403, "refused: " + r.status());
            // An unparsable payload under a valid header fails its signature first: either code is a refusal.
            String expected = r.status() == 400 ? "MALFORMED_REQUEST" : "SIGNATURE_INVALID";
            Refusals.assertShape(r.status(), expected, r);
        }
        assertRefused(400, "MALFORMED_REQUEST", () -> sendJws(b64("not json") + "." + parts[1] + "." + parts[2]));
    }

    @Test
    void refusesAlgorithmsOtherThanRs256() throws Exception {
        SoftwareCard card = node.card(DemoResidents.FAMILY_HEAD);
        String x5c = Base64.getEncoder().encodeToString(card.certificate().getEncoded());
        String signed = CenterRequests.sign(card, payload("SELF"));
        String[] parts = signed.split("\\.");
        for (String alg : List.of("HS256", "RS512", "PS256")) {
            String header = b64("{\"alg\":\"" + alg + "\",\"x5c\":[\"" + x5c + "\"]}");
            assertRefused(403, "SIGNATURE_INVALID", () -> sendJws(header + "." + parts[1] + "." + parts[2]));
        }
    }

    @Test
    void refusesASignatureByAnotherCardsKey() throws Exception {
        // x5c names the family head's certificate, the signature is the spouse's.
        String head = CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD), payload("SELF"));
        ObjectNode p = payload("SELF");
        String spouse = CenterRequests.sign(node.card(DemoResidents.SPOUSE), p);
        String[] h = head.split("\\.");
        String[] s = spouse.split("\\.");
        assertRefused(403, "SIGNATURE_INVALID", () -> sendJws(h[0] + "." + s[1] + "." + s[2]));
    }

    @Test
    void refusesACardWithoutDigitalSignatureKeyUsage() throws Exception {
        Instant now = Instant.now();
        SoftwareCard card = SoftwareCard.of(jpkiCa().issueCardWithoutDigitalSignature(
                Validity.starting(now.minus(Duration.ofDays(1)), Duration.ofDays(365))));
        sync(bindLine(DemoResidents.FAMILY_HEAD, card.certificate()));
        assertRefused(403, "CARD_UNTRUSTED", () -> send(card, payload("SELF")));
    }

    @Test
    void refusesACardNotYetValid() throws Exception {
        Instant now = Instant.now();
        SoftwareCard card = SoftwareCard.of(jpkiCa().issueCardAuthentication(
                Validity.starting(now.plus(Duration.ofDays(1)), Duration.ofDays(365))));
        sync(bindLine(DemoResidents.FAMILY_HEAD, card.certificate()));
        assertRefused(403, "CARD_EXPIRED", () -> send(card, payload("SELF")));
    }

    @Test
    void refusesANonceReusedByANewlySignedRequest() throws Exception {
        ObjectNode first = payload("SELF");
        assertEquals(200, send(node.card(DemoResidents.SPOUSE), first).status());
        ObjectNode second = payload("HOUSEHOLD_ALL");
        second.put("nonce", first.get("nonce").asText());
        assertRefused(403, "REPLAYED", () -> send(node.card(DemoResidents.SPOUSE), second));
    }

    @Test
    void acceptsSignedAtJustInsideTheWindow() throws Exception {
        for (int offset : new int[] {-290, 290}) {
            ObjectNode p = CenterRequests.payload("112038", "SELF", OffsetDateTime.now().plusSeconds(offset));
            CenterClient.Response r = send(node.card(DemoResidents.FAMILY_HEAD), p);
            assertEquals(200, r.status(), r.text());
        }
    }

    @Test
    void refusesTheHouseholdWhenAnotherMemberPlansToMoveOut() throws Exception {
        SoftwareCard head = newCard("stay-head");
        sync(residentLine("T-STAY", "TH-3", "") + residentLine("T-GOING", "TH-3", "子",
                ",\"plannedMoveOutOn\":\"2099-01-31\"") + bindLine("T-STAY", head.certificate()));
        assertRefused(422, "NOT_ISSUABLE", () -> send(head, payload("SELF")));
        assertRefused(422, "NOT_ISSUABLE", () -> send(head, payload("HOUSEHOLD_ALL")));
    }

    @Test
    void refusesAHouseholdCertificateWhileAMembersGaijiIsBeingRegistered() throws Exception {
        SoftwareCard head = newCard("gaiji-head");
        sync(residentLine("T-HEAD", "TH-4", "") + residentLine("T-MEMBER", "TH-4", "子", ",\"gaijiPending\":true")
                + bindLine("T-HEAD", head.certificate()));
        assertRefused(422, "NOT_ISSUABLE", () -> send(head, payload("HOUSEHOLD_ALL")));
        CenterClient.Response self = send(head, payload("SELF"));
        assertEquals(200, self.status(), "only a person to be printed is held back by a pending 外字: " + self.text());
    }

    @Test
    void refusesAHouseholdCertificateWhenAMemberBecameResidentToday() throws Exception {
        String today = LocalDate.now(ZoneId.of("Asia/Tokyo")).toString();
        SoftwareCard head = newCard("born-head");
        sync(residentLine("T-PARENT", "TH-5", "") + residentLine("T-BABY", "TH-5", "子",
                ",\"becameResidentOn\":\"" + today + "\",\"becameResidentReason\":\"出生\"")
                + bindLine("T-PARENT", head.certificate()));
        assertRefused(422, "NOT_ISSUABLE", () -> send(head, payload("HOUSEHOLD_ALL")));
        assertEquals(200, send(head, payload("SELF")).status());
    }

    @Test
    void refusesTheRequesterOnlyWhileUnderFifteen() throws Exception {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Tokyo"));
        SoftwareCard almost = newCard("almost-15");
        SoftwareCard just = newCard("just-15");
        sync(residentLine("T-14", "TH-6", "") .replace("1970-01-01", today.minusYears(15).plusDays(1).toString())
                + residentLine("T-15", "TH-7", "").replace("1970-01-01", today.minusYears(15).toString())
                + bindLine("T-14", almost.certificate()) + bindLine("T-15", just.certificate()));
        assertRefused(422, "NOT_ISSUABLE", () -> send(almost, payload("SELF")));
        CenterClient.Response r = send(just, payload("SELF"));
        assertEquals(200, r.status(), "15 on the birthday: " + r.text());
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
