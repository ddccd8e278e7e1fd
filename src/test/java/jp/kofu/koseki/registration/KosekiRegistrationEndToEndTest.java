package jp.kofu.koseki.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.Validity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 本籍地 利用登録申請 over real HTTPS with mutual TLS (contract §9): the application, its status for the applying
 * caller only, idempotency per caller and centerTransactionId, the refusals of admission and of the payload, and the
 * seam 戸籍 issuance reads once staff decided.
 */
final class KosekiRegistrationEndToEndTest {
    private static RegistrationNode reg;

    @BeforeAll
    static void start() throws Exception {
        reg = RegistrationNode.start();
    }

    @AfterAll
    static void stop() {
        reg.close();
    }

    private static CenterClient.Response status(CenterClient caller, String id) throws Exception {
        return caller.get("/center/v1/koseki-registrations/" + id);
    }

    private static long rows(String where) {
        return reg.count("SELECT COUNT(*) FROM koseki_registration WHERE " + where);
    }

    @Test
    void acceptsAnApplicationAndAnswersItsStatusToTheApplyingCallerOnly() throws Exception {
        String id = reg.apply(reg.card("reg-status"), RegistrationNode.payload());
        assertTrue(id.matches("KR-[A-Za-z0-9_-]{24}"), id);
        CenterClient.Response mine = status(reg.node.center(), id);
        assertEquals(200, mine.status(), mine.text());
        assertEquals("{\"registrationId\":\"" + id + "\",\"status\":\"PENDING\"}", mine.text());

        // §7: another center caller learns nothing, not even that the id exists
        CenterClient.Response other = status(reg.node.center("another-center"), id);
        assertEquals(404, other.status(), other.text());
        assertEquals("REGISTRATION_NOT_FOUND", RegistrationNode.json(other).get("code").asText());
        CenterClient.Response unknown = status(reg.node.center(), "KR-AAAAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(404, unknown.status());
        assertEquals(RegistrationNode.json(other), RegistrationNode.json(unknown), "the same answer as an unknown id");
        assertEquals(404, status(reg.node.center(), "..%2F..%2Fetc").status());

        assertEquals(1, rows("registration_id = '" + id + "' AND status = 'PENDING' AND municipality_code = '112038'"
                + " AND honseki = '" + RegistrationNode.HONSEKI + "' AND birth_date = '1980-04-01'"));
        assertEquals(1, reg.count("SELECT COUNT(*) FROM issuance_log WHERE endpoint = 'KOSEKI_REGISTRATION'"
                + " AND result = 'LISTED' AND certificate_type = 'KOSEKI_REGISTRATION' AND card_serial = '"
                + RegistrationNode.idOf(reg.card("reg-status")).serialHex() + "'"));
        assertTrue(reg.count("SELECT COUNT(*) FROM issuance_log WHERE endpoint = 'KOSEKI_REGISTRATION_STATUS'"
                + " AND result = 'REFUSED' AND code = 'REGISTRATION_NOT_FOUND'") >= 2);
    }

    @Test
    void answersARetryWithTheSameRegistrationAndStoresOneApplication() throws Exception {
        SoftwareCard card = reg.card("reg-retry");
        String tx = "C-" + UUID.randomUUID();
        byte[] body = RegistrationNode.body(tx, CenterRequests.sign(card, RegistrationNode.payload()));
        CenterClient.Response first = RegistrationNode.apply(reg.node.center(), body);
        assertEquals(202, first.status(), first.text());
        CenterClient.Response again = RegistrationNode.apply(reg.node.center(), body);
        assertEquals(202, again.status(), again.text());
        assertArrayEquals(first.body(), again.body(), "the same answer byte for byte");
        String id = RegistrationNode.json(first).get("registrationId").asText();
        assertEquals(1, rows("center_transaction_id = '" + tx + "'"));
        assertEquals(1, reg.count("SELECT COUNT(*) FROM issuance_log WHERE endpoint = 'KOSEKI_REGISTRATION'"
                + " AND result = 'REPEATED' AND center_transaction_id = '" + tx + "'"));

        // the same id with another body is a conflict; the same bytes from another caller are judged afresh
        byte[] other = RegistrationNode.body(tx, CenterRequests.sign(card, RegistrationNode.payload()));
        CenterClient.Response conflict = RegistrationNode.apply(reg.node.center(), other);
        assertEquals(409, conflict.status(), conflict.text());
        assertEquals("TRANSACTION_CONFLICT", RegistrationNode.json(conflict).get("code").asText());
        CenterClient.Response stranger = RegistrationNode.apply(reg.node.center("stranger-center"), body);
        assertEquals(403, stranger.status(), stranger.text());
        assertEquals("REPLAYED", RegistrationNode.json(stranger).get("code").asText());
        assertEquals(1, rows("center_transaction_id = '" + tx + "'"));
        assertEquals("PENDING", RegistrationNode.json(status(reg.node.center(), id)).get("status").asText());
    }

    @Test
    void refusesAMalformedApplicationWithStableCodesAndStoresNothing() throws Exception {
        List<Consumer<ObjectNode>> damages = List.of(
                p -> p.remove("honseki"),
                p -> p.put("honseki", ""),
                p -> p.put("honseki", "　 "),
                p -> p.put("honseki", "埼".repeat(AppliedFields.MAX_HONSEKI + 1)),
                p -> p.put("hittosha", "川口\u0000太郎"),
                p -> p.put("name", "川口\n太郎"),
                p -> p.put("name", "\u202E郎太 口川"),
                p -> p.put("name", "川".repeat(AppliedFields.MAX_NAME + 1)),
                p -> p.put("name", 42),
                p -> p.remove("birthDate"),
                p -> p.put("birthDate", "1980-02-30"),
                p -> p.put("birthDate", "80-04-01"),
                p -> p.put("birthDate", LocalDate.now().plusDays(2).toString()),
                p -> p.put("birthDate", "1850-01-01"));
        long before = rows("TRUE");
        for (Consumer<ObjectNode> damage : damages) {
            ObjectNode p = RegistrationNode.payload();
            damage.accept(p);
            CenterClient.Response r = RegistrationNode.apply(reg.node.center(),
                    RegistrationNode.body("C-" + UUID.randomUUID(), CenterRequests.sign(reg.card("reg-bad"), p)));
            assertEquals(400, r.status(), p + " → " + r.text());
            JsonNode answer = RegistrationNode.json(r);
            assertEquals("MALFORMED_REQUEST", answer.get("code").asText());
            assertFalse(r.text().contains("川口"), "no refusal echoes the input: " + r.text());
        }
        assertEquals(before, rows("TRUE"));
        assertEquals(damages.size(), reg.count("SELECT COUNT(*) FROM issuance_log WHERE endpoint = 'KOSEKI_REGISTRATION'"
                + " AND result = 'REFUSED' AND code = 'MALFORMED_REQUEST' AND card_serial = '"
                + RegistrationNode.idOf(reg.card("reg-bad")).serialHex() + "'"));

        // names as 戸籍 hold them are taken: 全角 spaces, 𠮷, IVS (邉 + U+E0110)
        ObjectNode unusual = RegistrationNode.payload();
        unusual.put("name", "渡邉\uDB40\uDD10　𠮷子");
        reg.apply(reg.card("reg-unusual"), unusual);
    }

    @Test
    void refusesACardWithoutAValidCertificateAsIssuanceDoes() throws Exception {
        Instant now = Instant.now();
        CertificateAuthority rogue = CertificateAuthority.createRoot(
                "OU=JPKI for user authentication (TEST), O=JPKI (TEST), C=JP",
                Validity.starting(now.minus(Duration.ofDays(1)), Duration.ofDays(365)));
        SoftwareCard forged = SoftwareCard.of(rogue.issueCardAuthentication(
                Validity.starting(now.minus(Duration.ofDays(1)), Duration.ofDays(365))));
        long before = rows("TRUE");
        CenterClient.Response r = RegistrationNode.apply(reg.node.center(),
                RegistrationNode.body("C-" + UUID.randomUUID(), CenterRequests.sign(forged, RegistrationNode.payload())));
        assertEquals(403, r.status(), r.text());
        assertEquals("CARD_UNTRUSTED", RegistrationNode.json(r).get("code").asText());

        String jws = CenterRequests.sign(reg.card("reg-tampered"), RegistrationNode.payload());
        String[] parts = jws.split("\\.");
        ObjectNode changed = RegistrationNode.payload();
        changed.put("name", "別人　花子");
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(jp.kofu.contract.Json.bytes(changed)) + "." + parts[2];
        CenterClient.Response t = RegistrationNode.apply(reg.node.center(),
                RegistrationNode.body("C-" + UUID.randomUUID(), tampered));
        assertEquals(403, t.status(), t.text());
        assertEquals("SIGNATURE_INVALID", RegistrationNode.json(t).get("code").asText());

        CenterClient.Response anonymous = RegistrationNode.apply(reg.node.anonymous(),
                RegistrationNode.body("C-" + UUID.randomUUID(), jws));
        assertEquals(401, anonymous.status());
        assertEquals(before, rows("TRUE"));
    }

    @Test
    void refusesOtherTypesAndMunicipalitiesWithoutKoseki() throws Exception {
        ObjectNode juminhyo = RegistrationNode.payload();
        juminhyo.put("certificateType", "JUMINHYO");
        CenterClient.Response r = RegistrationNode.apply(reg.node.center(),
                RegistrationNode.body("C-" + UUID.randomUUID(), CenterRequests.sign(reg.card("reg-type"), juminhyo)));
        assertEquals(422, r.status(), r.text());
        assertEquals("UNSUPPORTED_CERTIFICATE", RegistrationNode.json(r).get("code").asText());

        ObjectNode chiyoda = RegistrationNode.payload();
        chiyoda.put("municipalityCode", RegistrationNode.B);
        CenterClient.Response b = RegistrationNode.apply(reg.node.center(),
                RegistrationNode.body("C-" + UUID.randomUUID(), CenterRequests.sign(reg.card("reg-type"), chiyoda)));
        assertEquals(422, b.status(), b.text());
        assertEquals("UNSUPPORTED_CERTIFICATE", RegistrationNode.json(b).get("code").asText());

        ObjectNode nowhere = RegistrationNode.payload();
        nowhere.put("municipalityCode", "011002");
        CenterClient.Response n = RegistrationNode.apply(reg.node.center(),
                RegistrationNode.body("C-" + UUID.randomUUID(), CenterRequests.sign(reg.card("reg-type"), nowhere)));
        assertEquals(404, n.status(), n.text());
        assertEquals("UNKNOWN_MUNICIPALITY", RegistrationNode.json(n).get("code").asText());
    }

    @Test
    void aNewApplicationOfTheSameCardReplacesThePendingOneAndForgetsItsFields() throws Exception {
        SoftwareCard card = reg.card("reg-twice");
        ObjectNode mistyped = RegistrationNode.payload();
        mistyped.put("honseki", "埼玉県川口市青木二丁目9番地");
        String first = reg.apply(card, mistyped);
        String second = reg.apply(card, RegistrationNode.payload());
        assertEquals("REJECTED", RegistrationNode.json(status(reg.node.center(), first)).get("status").asText());
        assertEquals("PENDING", RegistrationNode.json(status(reg.node.center(), second)).get("status").asText());
        assertEquals(1, rows("registration_id = '" + first + "' AND reject_reason = 'SUPERSEDED' AND honseki IS NULL"
                + " AND hittosha IS NULL AND name IS NULL AND birth_date IS NULL"));
        assertEquals(List.of(second), reg.registrations().pending(RegistrationNode.A, 1000).stream()
                .map(Application::registrationId).filter(id -> id.equals(first) || id.equals(second)).toList());
    }

    @Test
    void anApplicationNobodyDecidesExpiresAndItsFieldsGo() throws Exception {
        String id = reg.apply(reg.card("reg-abandoned"), RegistrationNode.payload());
        KosekiRegistrations registrations = reg.registrations();
        assertEquals(0, registrations.expire(Instant.now().minus(PendingExpiry.KEEP), Instant.now()),
                "a fresh application stays");
        assertTrue(registrations.expire(Instant.now().plusSeconds(1), Instant.now()) >= 1);
        assertEquals("REJECTED", RegistrationNode.json(status(reg.node.center(), id)).get("status").asText());
        assertEquals(1, rows("registration_id = '" + id + "' AND reject_reason = 'EXPIRED' AND honseki IS NULL"
                + " AND hittosha IS NULL AND name IS NULL AND birth_date IS NULL"));
    }

    /**
     * The whole 本籍地 利用登録 path: a card bound to nobody in the replica (its holder lives elsewhere) gets no 戸籍
     * certificate; once staff approve its application (lookup in the 戸籍システム), it gets the 戸籍 it was approved
     * for — and its other, unapproved card still does not.
     */
    @Test
    void aNonResidentsApprovedCardGetsTheKosekiCertificateItWasApprovedFor() throws Exception {
        SoftwareCard card = reg.card("reg-nonresident");
        SoftwareCard otherCard = reg.card("reg-nonresident-new-card");
        // The feed of 112038 has spoken (its replica holds nobody of this card: the holder lives elsewhere).
        long seq = reg.count("SELECT COALESCE(MAX(applied_through), 0) FROM municipality_replica"
                + " WHERE municipality_code = '" + RegistrationNode.A + "'") + 1;
        CenterClient.Response heartbeat = reg.node.sync().post("/sync/v1/changes", ("{\"seq\":" + seq
                + ",\"type\":\"HEARTBEAT\",\"municipalityCode\":\"" + RegistrationNode.A + "\",\"asOf\":\""
                + java.time.OffsetDateTime.now() + "\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, heartbeat.status(), heartbeat.text());
        CenterClient.Response before = zenbu(card, "KR-BEFORE-" + UUID.randomUUID());
        assertEquals(403, before.status(), before.text());
        assertEquals("CARD_NOT_REGISTERED", RegistrationNode.json(before).get("code").asText());

        String id = reg.apply(card, RegistrationNode.payload());
        KosekiRegistrations registrations = reg.registrations();
        Municipality kawaguchi = reg.node.context().getBean(MunicipalityRegistry.class).find(RegistrationNode.A)
                .orElseThrow();
        KosekiRegistrations.Lookup found = registrations.lookup(kawaguchi,
                registrations.pendingOne(RegistrationNode.A, id).orElseThrow());
        String personKey = ((KosekiRegistrations.Lookup.Found) found).personKey();
        jp.kofu.db.Database db = reg.node.context().getBean(jp.kofu.db.Database.class);
        assertTrue(db.<Boolean>inTransaction(c -> registrations.approve(c, RegistrationNode.A, id, personKey, "test",
                Instant.now())));

        CenterClient.Response issued = zenbu(card, "KR-AFTER-" + UUID.randomUUID());
        assertEquals(200, issued.status(), issued.text());
        byte[] pdf = java.util.Base64.getDecoder().decode(RegistrationNode.json(issued).get("pdf").asText());
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
            assertTrue(text.contains("全部事項証明"), "a 戸籍全部事項証明書");
            assertTrue(text.replaceAll("[\\p{Z}\\s]", "").contains("氏名川口太郎"), "of the approved person's 戸籍");
        }
        CenterClient.Response other = zenbu(otherCard, "KR-OTHER-" + UUID.randomUUID());
        assertEquals(403, other.status(), "a card certificate needs its own registration: " + other.text());
    }

    private CenterClient.Response zenbu(SoftwareCard card, String transaction) throws Exception {
        ObjectNode payload = CenterRequests.payload(RegistrationNode.A, "SELF", java.time.OffsetDateTime.now());
        payload.put("certificateType", "KOSEKI_ZENBU");
        return reg.node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(transaction, "S1",
                CenterRequests.sign(card, payload)), "application/json");
    }

    @Test
    void theSeamAnswersThePersonKeyOfExactlyTheApprovedCard() throws Exception {
        SoftwareCard card = reg.card("reg-approved");
        SoftwareCard otherCard = reg.card("reg-approved-other");
        SoftwareCard rejectedCard = reg.card("reg-rejected");
        String id = reg.apply(card, RegistrationNode.payload());
        String rejected = reg.apply(rejectedCard, RegistrationNode.payload());
        reg.apply(otherCard, RegistrationNode.payload());
        assertEquals(Optional.empty(), reg.approvedPersonKey(RegistrationNode.A, card), "pending: nothing yet");

        KosekiRegistrations registrations = reg.registrations();
        Application a = registrations.pendingOne(RegistrationNode.A, id).orElseThrow();
        Municipality kawaguchi = reg.node.context().getBean(MunicipalityRegistry.class).find(RegistrationNode.A)
                .orElseThrow();
        KosekiRegistrations.Lookup found = registrations.lookup(kawaguchi, a);
        assertEquals(new KosekiRegistrations.Lookup.Found(RegistrationNode.PERSON_KEY), found);
        jp.kofu.db.Database db = reg.node.context().getBean(jp.kofu.db.Database.class);
        assertTrue(db.<Boolean>inTransaction(c -> registrations.approve(c, RegistrationNode.A, id, RegistrationNode.PERSON_KEY,
                "test", Instant.now())));
        assertTrue(db.<Boolean>inTransaction(c -> registrations.reject(c, RegistrationNode.A, rejected,
                KosekiRegistrations.RejectReason.IDENTITY_UNCONFIRMED, "test", Instant.now())));

        assertEquals(Optional.of(RegistrationNode.PERSON_KEY), reg.approvedPersonKey(RegistrationNode.A, card));
        assertEquals(Optional.empty(), reg.approvedPersonKey(RegistrationNode.B, card), "another municipality");
        assertEquals(Optional.empty(), reg.approvedPersonKey(RegistrationNode.A, otherCard), "another card, pending");
        assertEquals(Optional.empty(), reg.approvedPersonKey(RegistrationNode.A, rejectedCard), "rejected");
        assertEquals(Optional.empty(), reg.approvedPersonKey(RegistrationNode.A, reg.card("reg-never")), "never applied");
        assertEquals("APPROVED", RegistrationNode.json(status(reg.node.center(), id)).get("status").asText());
        assertEquals("REJECTED", RegistrationNode.json(status(reg.node.center(), rejected)).get("status").asText());

        // after a decision only what the binding needs is kept
        assertEquals(1, rows("registration_id = '" + id + "' AND person_key = 'K-0101' AND decided_by = 'test'"
                + " AND honseki IS NULL AND hittosha IS NULL AND name IS NULL AND birth_date IS NULL"));
        assertEquals(1, rows("registration_id = '" + rejected + "' AND person_key IS NULL"
                + " AND honseki IS NULL AND hittosha IS NULL AND name IS NULL AND birth_date IS NULL"));
        assertFalse(db.<Boolean>inTransaction(c -> registrations.approve(c, RegistrationNode.A, rejected, "K-0101", "test",
                Instant.now())), "a decided application is not decided again");

        // the lookup of a person who is not there, and of a 戸籍システム that is down
        ObjectNode nobody = RegistrationNode.payload();
        nobody.put("name", "川口　次郎");
        String nobodyId = reg.apply(reg.card("reg-nobody"), nobody);
        assertInstanceOf(KosekiRegistrations.Lookup.NotFound.class,
                registrations.lookup(kawaguchi, registrations.pendingOne(RegistrationNode.A, nobodyId).orElseThrow()));
        assertTrue(Arrays.stream(KosekiRegistrations.RejectReason.values()).allMatch(r -> r.name().length() <= 32));
    }
}
