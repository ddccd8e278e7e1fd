package jp.kofu.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestClock;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import jp.kofu.db.Database;
import jp.kofu.demo.DemoResidents;
import jp.kofu.koseki.registration.RegistrationNode;
import jp.kofu.koseki.sim.KosekiSimulator;
import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.DevPki;
import jp.kofu.pki.Pem;
import jp.kofu.pki.Pkcs12;
import jp.kofu.pki.Validity;
import jp.kofu.verify.VerificationCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docs/openapi.yaml} against the running service (one node for the class, over real mutual TLS): the
 * document is sound OpenAPI 3.1; every answer the service gives here validates against it ({@link Conformance});
 * and every (operation, status, code) it documents is provoked by a real request, but for the few listed in
 * {@link #NOT_PROVOKED_HERE} with the test that covers each, which must be exactly what remains.
 *
 * <p>The node serves 川口市 (112038: 住民票, 印鑑 stopped, 戸籍 through the simulator, three kiosks: one open, one
 * disabled, one outside its hours), 横浜市 (141003: its 住民票 and 戸籍個人事項 stopped) and 大阪市 (271004: 住民票
 * only, fed by another feed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class OpenApiContractTest {
    private static final String KAWAGUCHI = "112038";
    private static final String YOKOHAMA = "141003";
    private static final String OSAKA = "271004";
    /** A valid code (check digit) of a municipality not served here: 札幌市. */
    private static final String NOT_SERVED = "011002";
    private static final String KIOSK_OPEN = "KIOSK-112038-01";
    private static final String KIOSK_DISABLED = "KIOSK-112038-02";
    private static final String KIOSK_CLOSED = "KIOSK-112038-03";
    private static final int PER_TERMINAL_PER_MINUTE = 5;

    /**
     * Documented (operation status code) that this test cannot provoke, each with where it is covered. Must be
     * exactly what the test leaves unprovoked: the document cannot grow an untested entry unnoticed.
     */
    private static final Map<String, String> NOT_PROVOKED_HERE = Map.of();

    private static final Clock CLOCK = TestClock.serviceDay();
    private static final AtomicInteger TERMINALS = new AtomicInteger();

    private static OpenApiDocument doc;
    private static Conformance conformance;
    private static TestNode node;
    private static KosekiSimulator koseki;
    private static ContractClient center;
    private static ContractClient otherCenter;
    private static ContractClient feed;
    private static ContractClient anonymous;
    private static long kawaguchiSeq;
    private static SoftwareCard revokedCard;

    /** The first successful request of each card-signed operation: its transaction id, JWS and answer. */
    private record Sent(String transactionId, String jws, Conformance.Answer answer) {}

    private static final Map<CardOp, Sent> SUCCESSES = new EnumMap<>(CardOp.class);

    /** The card-signed operations, their path and the {@code certificateType} of their payload. */
    private enum CardOp {
        ISSUE("/center/v1/issuances", "JUMINHYO"),
        HOUSEHOLD("/center/v1/household-members", "HOUSEHOLD_LISTING"),
        KOSEKI_LISTING("/center/v1/koseki-members", "KOSEKI_LISTING"),
        REGISTRATION("/center/v1/koseki-registrations", "KOSEKI_REGISTRATION");

        final String path;
        final String type;

        CardOp(String path, String type) {
            this.path = path;
            this.type = type;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        doc = OpenApiDocument.load();
        conformance = new Conformance(doc);
        int kosekiPort;
        try (ServerSocket free = new ServerSocket(0)) {
            kosekiPort = free.getLocalPort();
        }
        Path file = Files.createTempFile("municipalities", ".yml");
        Files.writeString(file, municipalities(kosekiPort));
        try {
            node = TestNode.start(Map.of("kofu.municipalities-file", file.toString(),
                    "kofu.limits.per-terminal-per-minute", PER_TERMINAL_PER_MINUTE), CLOCK);
        } finally {
            Files.delete(file);
        }
        koseki = KosekiSimulator.start(node.pki(), kosekiPort);
        DevPki pki = node.pki();
        center = client(pki.centerClientKeystore());
        otherCenter = client(pki.centerClientKeystore("another-center"));
        feed = client(pki.syncClientKeystore());
        anonymous = client(null);

        // 川口市's residents (the demo's, cards bound), heard from its feed.
        expect(200, null, feed.put("/sync/v1/snapshot?municipalityCode=" + KAWAGUCHI + "&asOfSeq=0",
                DemoResidents.snapshot(KAWAGUCHI, pki), "application/x-ndjson"));
        expect(200, null, changes(feed, heartbeat(KAWAGUCHI, ++kawaguchiSeq)));

        // A card of the JPKI CA on a fresh CRL of that CA.
        CertificateAuthority jpki = jpkiCa();
        Instant now = CLOCK.instant();
        revokedCard = SoftwareCard.of(jpki.issueCardAuthentication(Validity.starting(now.minus(Duration.ofDays(1)),
                Duration.ofDays(365))));
        Pem.writeCrl(pki.jpkiCrlDir().resolve("openapi-revoked.crl"), jpki.issueCrl(now,
                now.plus(Duration.ofDays(7)), List.of(revokedCard.certificate().getSerialNumber())));
        Thread.sleep(1_100); // the CRL folder is looked at again at most once a second
    }

    @AfterAll
    static void stop() {
        if (koseki != null) {
            koseki.close();
        }
        TestNode.closeAll(node);
    }

    private static String municipalities(int kosekiPort) {
        // 川口市's third kiosk keeps hours half a day away from now: it is closed for the whole run.
        int hour = (OffsetDateTime.now(CLOCK).atZoneSameInstant(ZoneId.of("Asia/Tokyo")).getHour() + 12) % 24;
        String closed = "%02d:00-%02d:30".formatted(hour, hour);
        String link = "koseki: { url: \"https://127.0.0.1:" + kosekiPort + "/\", timeoutMs: 3000 }";
        String allDay = "serviceHours: { default: \"00:00-24:00\", KOSEKI_ZENBU: \"00:00-24:00\","
                + " KOSEKI_KOJIN: \"00:00-24:00\", KOSEKI_FUHYO: \"00:00-24:00\" }";
        return "municipalities:\n"
                + entry(KAWAGUCHI, "川口市", allDay,
                        "fees: { JUMINHYO: 200, INKAN: 200, KOSEKI_ZENBU: 450, KOSEKI_KOJIN: 450, KOSEKI_FUHYO: 300 }",
                        "stoppedTypes: [INKAN]",
                        "syncClients: [\"" + DevPki.SYNC_CLIENT_SUBJECT + "\"]",
                        link,
                        "kiosks:",
                        "  - { terminalId: \"" + KIOSK_OPEN + "\", place: \"本庁舎\", clientSubject: \""
                                + DevPki.kioskSubject(KIOSK_OPEN) + "\" }",
                        "  - { terminalId: \"" + KIOSK_DISABLED + "\", place: \"支所\", enabled: false,"
                                + " clientSubject: \"" + DevPki.kioskSubject(KIOSK_DISABLED) + "\" }",
                        "  - { terminalId: \"" + KIOSK_CLOSED + "\", place: \"出張所\", hours: \"" + closed + "\","
                                + " clientSubject: \"" + DevPki.kioskSubject(KIOSK_CLOSED) + "\" }")
                + entry(YOKOHAMA, "横浜市", allDay,
                        "fees: { JUMINHYO: 300, KOSEKI_KOJIN: 450 }",
                        "stoppedTypes: [JUMINHYO, KOSEKI_KOJIN]",
                        "syncClients: [\"" + DevPki.SYNC_CLIENT_SUBJECT + "\"]",
                        link)
                + entry(OSAKA, "大阪市", "serviceHours: \"00:00-24:00\"",
                        "fees: { JUMINHYO: 300 }",
                        "syncClients: [\"CN=feed-271004, O=Kofu (DEV), C=JP\"]");
    }

    private static String entry(String code, String name, String... keys) {
        StringBuilder out = new StringBuilder("  - code: \"" + code + "\"\n    name: \"" + name + "\"\n"
                + "    mayorTitle: \"" + name + "長\"\n    mayorName: \"見本 太郎\"\n");
        for (String key : keys) {
            out.append("    ").append(key).append('\n');
        }
        return out.toString();
    }

    private static ContractClient client(Path keystore) {
        return new ContractClient(node.uri(), keystore, node.pki().password(), node.pki().tlsCa(), conformance);
    }

    // ---- requests ----

    private static ObjectNode payload(CardOp op, String municipality) {
        ObjectNode p = CenterRequests.payload(municipality, "SELF", OffsetDateTime.now(CLOCK));
        // A terminal of its own for each request: the rate limit is tried on purpose only.
        p.put("terminalId", "T-" + TERMINALS.incrementAndGet());
        p.put("certificateType", op.type);
        if (op != CardOp.ISSUE) {
            p.remove(List.of("scope", "memberIds", "options", "copies"));
        }
        if (op == CardOp.REGISTRATION) {
            p.put("honseki", RegistrationNode.HONSEKI);
            p.put("hittosha", RegistrationNode.HITTOSHA);
            p.put("name", RegistrationNode.NAME);
            p.put("birthDate", RegistrationNode.BIRTH);
        }
        return p;
    }

    private static String transactionId() {
        return "C-" + UUID.randomUUID();
    }

    private static byte[] body(String transactionId, String jws) {
        return CenterRequests.issuanceBody(transactionId, "SEJ-0012345", jws);
    }

    private static Conformance.Answer send(ContractClient caller, CardOp op, SoftwareCard card, ObjectNode payload) {
        return sendJws(caller, op, CenterRequests.sign(card, payload));
    }

    private static Conformance.Answer sendJws(ContractClient caller, CardOp op, String jws) {
        return caller.postJson(op.path, body(transactionId(), jws));
    }

    private static Conformance.Answer changes(ContractClient caller, String ndjson) {
        return caller.post("/sync/v1/changes", ndjson.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
    }

    private static String heartbeat(String municipality, long seq) {
        return "{\"seq\":" + seq + ",\"type\":\"HEARTBEAT\",\"municipalityCode\":\"" + municipality + "\",\"asOf\":\""
                + OffsetDateTime.now(CLOCK).withNano(0) + "\"}\n";
    }

    private static SoftwareCard card(String residentOrName) {
        return node.card(residentOrName);
    }

    private static CertificateAuthority jpkiCa() {
        return CertificateAuthority.of(Pkcs12.read(node.pki().jpkiCaKeystore(), node.pki().password()));
    }

    /** Asserts the answer's status and {@code code} (null: no refusal); answers its JSON. */
    private static JsonNode expect(int status, String code, Conformance.Answer a) {
        assertEquals(status, a.status(), a.text());
        JsonNode json = a.json();
        if (code != null) {
            assertEquals(code, json.path("code").asText(), a.text());
        }
        return json;
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---- the document itself ----

    @Test
    @Order(0)
    void isASoundOpenApi31Document() {
        JsonNode root = doc.root();
        assertTrue(Pattern.matches("3\\.1\\.\\d+", root.path("openapi").asText()), root.path("openapi").asText());
        assertTrue(root.path("info").hasNonNull("title") && root.path("info").hasNonNull("version"));
        doc.references().forEach((at, ref) -> assertTrue(doc.resolve(ref).isPresent(), at + " → " + ref));

        Set<String> ids = new HashSet<>();
        Set<String> schemes = new TreeSet<>();
        root.path("components").path("securitySchemes").fields().forEachRemaining(s -> {
            schemes.add(s.getKey());
            assertEquals("mutualTLS", s.getValue().path("type").asText(), s.getKey());
        });
        for (OpenApiDocument.Operation op : doc.operations()) {
            assertTrue(op.id() != null && ids.add(op.id()), "operationId missing or twice: " + op.path());
            assertTrue(op.path().startsWith("/center/") || op.path().startsWith("/sync/")
                    || op.path().startsWith("/verify/"), op.path());
            assertTrue(op.node().has("security"), "security stated: " + op.id());
            op.node().path("security").forEach(req -> req.fieldNames().forEachRemaining(name ->
                    assertTrue(schemes.contains(name), op.id() + " names scheme " + name)));
            // every template parameter is declared in the path
            Set<String> declared = new TreeSet<>();
            op.node().path("parameters").forEach(p -> {
                JsonNode param = doc.deref(p);
                if (param.path("in").asText().equals("path")) {
                    assertTrue(param.path("required").asBoolean(), op.id() + " " + param.path("name"));
                    declared.add(param.path("name").asText());
                }
            });
            Set<String> inTemplate = new TreeSet<>();
            var m = Pattern.compile("\\{([^}]+)}").matcher(op.path());
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            assertEquals(inTemplate, declared, op.id());
            for (int status : doc.statuses(op)) {
                JsonNode response = doc.response(op, status).orElseThrow();
                assertTrue(response.hasNonNull("description"), op.id() + " " + status);
                assertTrue(response.path("content").has("application/json"), op.id() + " " + status);
                assertTrue(response.path("headers").has("Cache-Control"), op.id() + " " + status);
                List<String> codes = doc.codes(doc.responseSchema(response));
                assertEquals(status >= 400, !codes.isEmpty(), "codes listed for refusals only: " + op.id() + " "
                        + status);
            }
        }
        // Every code a refusal lists is one of Refusal's, and every example validates against its schema.
        List<String> all = Json.MAPPER.convertValue(
                doc.resolve("#/components/schemas/Refusal").orElseThrow().at("/properties/code/enum"), List.class);
        for (OpenApiDocument.Operation op : doc.operations()) {
            for (int status : doc.statuses(op)) {
                JsonNode response = doc.response(op, status).orElseThrow();
                JsonNode schema = doc.responseSchema(response);
                doc.codes(schema).forEach(c -> assertTrue(all.contains(c), op.id() + " " + status + " " + c));
                JsonNode media = response.path("content").path("application/json");
                examples(media).forEach(example -> assertEquals(List.of(), doc.validate(schema, example),
                        "example of " + op.id() + " " + status));
            }
        }
        JsonNode payload = doc.resolve("#/components/schemas/IssuancePayload").orElseThrow();
        assertEquals(List.of(), doc.validate(payload, payload.get("example")), "the payload's example");
    }

    /** The validation has teeth: what the document does not allow is refused, through its references too. */
    @Test
    @Order(0)
    void refusesAnswersTheDocumentDoesNotAllow() throws Exception {
        OpenApiDocument.Operation issue = doc.find("POST", "/center/v1/issuances").orElseThrow();
        JsonNode forbidden = doc.responseSchema(doc.response(issue, 403).orElseThrow());
        assertEquals(List.of(), doc.validate(forbidden, Json.MAPPER.readTree(
                "{\"code\":\"REPLAYED\",\"message\":\"m\"}")));
        for (String bad : List.of("{\"code\":\"NOT_ISSUABLE\",\"message\":\"m\"}", "{\"code\":\"REPLAYED\"}",
                "{\"code\":\"REPLAYED\",\"message\":\"m\",\"stack\":\"x\"}", "[]")) {
            assertTrue(!doc.validate(forbidden, Json.MAPPER.readTree(bad)).isEmpty(), bad);
        }
        JsonNode issued = doc.responseSchema(doc.response(issue, 200).orElseThrow());
        ObjectNode answer = (ObjectNode) doc.response(issue, 200).orElseThrow().at("/content/application~1json/example")
                .deepCopy();
        assertEquals(List.of(), doc.validate(issued, answer));
        answer.put("issuanceNumber", "112038-2026-42");
        assertTrue(!doc.validate(issued, answer).isEmpty(), "a wrong issuance number, through its $ref");
        OpenApiDocument.Operation status = doc.find("GET", "/sync/v1/status?municipalityCode=112038").orElseThrow();
        assertEquals("getSyncStatus", status.id());
        assertTrue(doc.find("GET", "/center/v1/issuances").isEmpty(), "no such operation");
    }

    private static List<JsonNode> examples(JsonNode media) {
        List<JsonNode> out = new java.util.ArrayList<>();
        if (media.has("example")) {
            out.add(media.get("example"));
        }
        media.path("examples").forEach(e -> out.add(e.get("value")));
        return out;
    }

    // ---- card-signed requests: answered ----

    @Test
    @Order(1)
    void answersEachCardSignedOperation() {
        for (CardOp op : CardOp.values()) {
            SoftwareCard card = op == CardOp.REGISTRATION ? card("openapi-applicant") : card(DemoResidents.FAMILY_HEAD);
            String tx = transactionId();
            String jws = CenterRequests.sign(card, payload(op, KAWAGUCHI));
            Conformance.Answer a = center.postJson(op.path, body(tx, jws));
            expect(op == CardOp.REGISTRATION ? 202 : 200, null, a);
            SUCCESSES.put(op, new Sent(tx, jws, a));
            // the same body under the same id: the same answer, byte for byte
            Conformance.Answer again = center.postJson(op.path, body(tx, jws));
            assertEquals(a.text(), again.text(), op.name());
        }
        assertTrue(SUCCESSES.get(CardOp.KOSEKI_LISTING).answer().json().path("members").size() > 0);
    }

    // ---- card-signed requests: what every one of them is refused for ----

    @Test
    @Order(2)
    void refusesEveryCardSignedOperationAlike() throws Exception {
        Instant now = CLOCK.instant();
        CertificateAuthority rogue = CertificateAuthority.createRoot(
                "OU=JPKI for user authentication (TEST), O=JPKI (TEST), C=JP",
                Validity.starting(now.minus(Duration.ofDays(1)), Duration.ofDays(365)));
        SoftwareCard untrusted = SoftwareCard.of(rogue.issueCardAuthentication(
                Validity.starting(now.minus(Duration.ofDays(1)), Duration.ofDays(365))));
        SoftwareCard expired = SoftwareCard.of(jpkiCa().issueCardAuthentication(
                Validity.starting(now.minus(Duration.ofDays(400)), Duration.ofDays(365))));
        SoftwareCard head = card(DemoResidents.FAMILY_HEAD);
        String x5c = Base64.getEncoder().encodeToString(head.certificate().getEncoded());
        ContractClient kioskOpen = client(node.pki().kioskClientKeystore(KIOSK_OPEN));
        ContractClient kioskDisabled = client(node.pki().kioskClientKeystore(KIOSK_DISABLED));
        ContractClient kioskClosed = client(node.pki().kioskClientKeystore(KIOSK_CLOSED));
        ContractClient syncOnCenter = feed;

        for (CardOp op : CardOp.values()) {
            expect(400, "MALFORMED_REQUEST", center.postJson(op.path, "not json".getBytes(StandardCharsets.UTF_8)));
            // a body announced over the listener's limit is refused from its headers, as any body over 64 KiB
            expect(400, "MALFORMED_REQUEST", center.announcing("POST", op.path, "application/json",
                    9L * 1024 * 1024 * 1024, "{".getBytes(StandardCharsets.UTF_8)));
            byte[] good = body(transactionId(), CenterRequests.sign(head, payload(op, KAWAGUCHI)));
            expect(401, "CALLER_UNAUTHENTICATED", anonymous.postJson(op.path, good));
            expect(401, "CALLER_UNAUTHENTICATED", syncOnCenter.postJson(op.path, good));

            String none = b64("{\"alg\":\"none\",\"x5c\":[\"" + x5c + "\"]}") + "."
                    + b64(Json.MAPPER.writeValueAsString(payload(op, KAWAGUCHI))) + ".";
            expect(403, "SIGNATURE_INVALID", sendJws(center, op, none));
            expect(403, "CARD_UNTRUSTED", send(center, op, untrusted, payload(op, KAWAGUCHI)));
            expect(403, "CARD_EXPIRED", send(center, op, expired, payload(op, KAWAGUCHI)));
            expect(403, "CARD_REVOKED", send(center, op, revokedCard, payload(op, KAWAGUCHI)));
            ObjectNode stale = payload(op, KAWAGUCHI);
            stale.put("signedAt", OffsetDateTime.now(CLOCK).minusSeconds(301).toString());
            expect(403, "REQUEST_EXPIRED", send(center, op, head, stale));
            Sent first = SUCCESSES.get(op);
            expect(403, "REPLAYED", sendJws(center, op, first.jws()));
            expect(409, "TRANSACTION_CONFLICT", center.postJson(op.path, body(first.transactionId(),
                    CenterRequests.sign(head, payload(op, KAWAGUCHI)))));
            expect(404, "UNKNOWN_MUNICIPALITY", send(center, op, head, payload(op, NOT_SERVED)));

            // §7: channel and terminal id against the caller's certificate
            ObjectNode asKiosk = payload(op, KAWAGUCHI);
            asKiosk.put("channel", "KIOSK");
            asKiosk.put("terminalId", KIOSK_OPEN);
            expect(403, "TERMINAL_UNKNOWN", send(center, op, head, asKiosk));
            expect(403, "CALLER_FORBIDDEN", send(kioskOpen, op, head, payload(op, KAWAGUCHI)));
            ObjectNode disabled = payload(op, KAWAGUCHI);
            disabled.put("channel", "KIOSK");
            disabled.put("terminalId", KIOSK_DISABLED);
            expect(403, "TERMINAL_DISABLED", send(kioskDisabled, op, head, disabled));
            ObjectNode closed = payload(op, KAWAGUCHI);
            closed.put("channel", "KIOSK");
            closed.put("terminalId", KIOSK_CLOSED);
            expect(422, "OUTSIDE_SERVICE_HOURS", send(kioskClosed, op, head, closed));

            // one terminal over its limit: admitted (and answered whatever) five times, then refused
            String terminal = "RL-" + op.name();
            Conformance.Answer last = null;
            for (int i = 0; i <= PER_TERMINAL_PER_MINUTE; i++) {
                ObjectNode p = payload(op, op == CardOp.REGISTRATION ? OSAKA : KAWAGUCHI);
                p.put("terminalId", terminal);
                last = send(center, op, card("openapi-stranger"), p);
            }
            expect(429, "RATE_LIMITED", last);
        }
    }

    // ---- card-signed requests: what each is refused for on its own ----

    @Test
    @Order(3)
    void refusesAnIssuanceForWhatOnlyAnIssuanceChecks() {
        SoftwareCard stranger = card("openapi-stranger");
        expect(403, "CARD_NOT_REGISTERED", send(center, CardOp.ISSUE, stranger, payload(CardOp.ISSUE, KAWAGUCHI)));
        expect(422, "NOT_ISSUABLE", send(center, CardOp.ISSUE, card(DemoResidents.BLOCKED),
                payload(CardOp.ISSUE, KAWAGUCHI)));
        ObjectNode inkan = payload(CardOp.ISSUE, KAWAGUCHI);
        inkan.put("certificateType", "INKAN");
        expect(422, "OUTSIDE_SERVICE_HOURS", send(center, CardOp.ISSUE, card(DemoResidents.FAMILY_HEAD), inkan));
        ObjectNode unknown = payload(CardOp.ISSUE, KAWAGUCHI);
        unknown.put("certificateType", "INKAN_TOROKU");
        expect(422, "UNSUPPORTED_CERTIFICATE", send(center, CardOp.ISSUE, card(DemoResidents.FAMILY_HEAD), unknown));
    }

    @Test
    @Order(3)
    void refusesTheListingsForWhatOnlyTheyCheck() {
        for (CardOp op : List.of(CardOp.HOUSEHOLD, CardOp.KOSEKI_LISTING)) {
            expect(403, "CARD_NOT_REGISTERED", send(center, op, card("openapi-stranger"), payload(op, KAWAGUCHI)));
            expect(422, "NOT_ISSUABLE", send(center, op, card(DemoResidents.CHILD), payload(op, KAWAGUCHI)));
            expect(422, "OUTSIDE_SERVICE_HOURS", send(center, op, card(DemoResidents.FAMILY_HEAD),
                    payload(op, YOKOHAMA)));
        }
        ObjectNode wrongType = payload(CardOp.ISSUE, KAWAGUCHI);
        expect(422, "UNSUPPORTED_CERTIFICATE", send(center, CardOp.HOUSEHOLD, card(DemoResidents.FAMILY_HEAD),
                wrongType));
        expect(422, "UNSUPPORTED_CERTIFICATE", send(center, CardOp.KOSEKI_LISTING, card(DemoResidents.FAMILY_HEAD),
                payload(CardOp.KOSEKI_LISTING, OSAKA)));
    }

    @Test
    @Order(3)
    void refusesARegistrationWhereNoKosekiIsOffered() {
        expect(422, "UNSUPPORTED_CERTIFICATE", send(center, CardOp.REGISTRATION, card("openapi-applicant-2"),
                payload(CardOp.REGISTRATION, OSAKA)));
        ObjectNode noHonseki = payload(CardOp.REGISTRATION, KAWAGUCHI);
        noHonseki.remove("honseki");
        expect(400, "MALFORMED_REQUEST", send(center, CardOp.REGISTRATION, card("openapi-applicant-2"), noHonseki));
    }

    // ---- completion, registration status, verification ----

    @Test
    @Order(4)
    void completesAnIssuanceOnceAndOnlyForItsCaller() {
        String number = SUCCESSES.get(CardOp.ISSUE).answer().json().path("issuanceNumber").asText();
        String path = "/center/v1/issuances/" + number + "/completion";
        byte[] printed = "{\"result\":\"PRINTED\"}".getBytes(StandardCharsets.UTF_8);
        expect(404, "ISSUANCE_NOT_FOUND", otherCenter.postJson(path, printed));
        expect(401, "CALLER_UNAUTHENTICATED", anonymous.postJson(path, printed));
        expect(400, "MALFORMED_REQUEST", center.postJson(path, "{\"result\":\"LOST\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("PRINTED", expect(200, null, center.postJson(path, printed)).path("status").asText());
        assertEquals("PRINTED", expect(200, null, center.postJson(path, printed)).path("status").asText());
        expect(409, "TRANSACTION_CONFLICT", center.postJson(path,
                "{\"result\":\"FAILED\",\"reason\":\"PAPER_JAM\"}".getBytes(StandardCharsets.UTF_8)));
        expect(404, "ISSUANCE_NOT_FOUND", center.postJson("/center/v1/issuances/112038-20200101-999999/completion",
                printed));
    }

    @Test
    @Order(5)
    void answersARegistrationsStatusToItsApplicantOnly() {
        String id = SUCCESSES.get(CardOp.REGISTRATION).answer().json().path("registrationId").asText();
        String path = "/center/v1/koseki-registrations/" + id;
        assertEquals("PENDING", expect(200, null, center.get(path)).path("status").asText());
        expect(404, "REGISTRATION_NOT_FOUND", otherCenter.get(path));
        expect(404, "REGISTRATION_NOT_FOUND", center.get("/center/v1/koseki-registrations/KR-AAAAAAAAAAAAAAAAAAAAAAAA"));
        expect(401, "CALLER_UNAUTHENTICATED", anonymous.get(path));
    }

    @Test
    @Order(5)
    void verifiesAPrintedCertificateWithItsCodeOnly() {
        String number = SUCCESSES.get(CardOp.ISSUE).answer().json().path("issuanceNumber").asText();
        String url = node.context().getBean(VerificationCodes.class).url(number);
        String d = url.substring(url.indexOf("?d=") + 3);
        JsonNode v = expect(200, null, anonymous.get("/verify/" + number + "?d=" + d));
        assertEquals(number, v.path("issuanceNumber").asText());
        expect(404, "ISSUANCE_NOT_FOUND", anonymous.get("/verify/" + number + "?d=0000" + d.substring(4)));
        expect(404, "ISSUANCE_NOT_FOUND", anonymous.get("/verify/not-a-number?d=" + d));
    }

    // ---- the sync feed ----

    @Test
    @Order(6)
    void appliesAndRefusesChangeBatches() {
        expect(200, null, changes(feed, heartbeat(KAWAGUCHI, ++kawaguchiSeq)));
        JsonNode bad = expect(400, "MALFORMED_REQUEST", changes(feed, heartbeat(KAWAGUCHI, kawaguchiSeq + 1)
                + "{not json}\n"));
        assertEquals(2, bad.path("line").asInt());
        expect(401, "CALLER_UNAUTHENTICATED", changes(center, heartbeat(KAWAGUCHI, kawaguchiSeq + 1)));
        assertEquals(1, expect(403, "CALLER_FORBIDDEN", changes(feed, heartbeat(OSAKA, 1))).path("line").asInt());
        expect(404, "UNKNOWN_MUNICIPALITY", changes(feed, heartbeat(NOT_SERVED, 1)));
        assertEquals(kawaguchiSeq + 1, expect(409, "SEQUENCE_GAP",
                changes(feed, heartbeat(KAWAGUCHI, kawaguchiSeq + 5))).path("expectedSeq").asLong());
        expect(415, "MALFORMED_REQUEST", feed.post("/sync/v1/changes",
                heartbeat(KAWAGUCHI, kawaguchiSeq + 1).getBytes(StandardCharsets.UTF_8), "application/xml"));
        byte[] big = new byte[64 * 1024 * 1024 + 16];
        java.util.Arrays.fill(big, (byte) '\n');
        expect(413, "PAYLOAD_TOO_LARGE", feed.post("/sync/v1/changes", big, "application/x-ndjson"));
    }

    /** A snapshot of 横浜市: one resident. */
    private static final byte[] YOKOHAMA_SNAPSHOT = ("{\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"" + YOKOHAMA + "\",\"resident\":{"
                + "\"residentId\":\"Y-1\",\"householdId\":\"YH-1\",\"familyName\":\"横浜\",\"givenName\":\"一郎\","
                + "\"sex\":\"MALE\",\"birthDate\":\"1970-01-01\",\"relationship\":\"世帯主\","
                + "\"householderName\":\"横浜　一郎\",\"address\":\"神奈川県横浜市中区港町一丁目1番地\"}}\n")
                .getBytes(StandardCharsets.UTF_8);

    @Test
    @Order(6)
    void loadsAndRefusesSnapshots() {
        byte[] yokohama = YOKOHAMA_SNAPSHOT;
        String path = "/sync/v1/snapshot?municipalityCode=" + YOKOHAMA + "&asOfSeq=10";
        assertEquals(1, expect(200, null, feed.put(path, yokohama, "application/x-ndjson")).path("residents").asInt());
        expect(400, "MALFORMED_REQUEST", feed.put("/sync/v1/snapshot?municipalityCode=" + YOKOHAMA, yokohama,
                "application/x-ndjson"));
        JsonNode otherCity = expect(400, "MALFORMED_REQUEST", feed.put("/sync/v1/snapshot?municipalityCode="
                + KAWAGUCHI + "&asOfSeq=10", yokohama, "application/x-ndjson"));
        assertEquals(1, otherCity.path("line").asInt());
        expect(401, "CALLER_UNAUTHENTICATED", center.put(path, yokohama, "application/x-ndjson"));
        expect(403, "CALLER_FORBIDDEN", feed.put("/sync/v1/snapshot?municipalityCode=" + OSAKA + "&asOfSeq=1",
                yokohama, "application/x-ndjson"));
        expect(404, "UNKNOWN_MUNICIPALITY", feed.put("/sync/v1/snapshot?municipalityCode=" + NOT_SERVED
                + "&asOfSeq=1", yokohama, "application/x-ndjson"));
        expect(415, "MALFORMED_REQUEST", feed.put(path, yokohama, "application/xml"));
        // another node's live load of 横浜市
        Database db = node.context().getBean(Database.class);
        db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO snapshot_load (municipality_code, load_id,"
                    + " node_name, started_at, heartbeat_at) VALUES (?, ?, 'kofu-elsewhere', ?, ?)")) {
                s.setString(1, YOKOHAMA);
                s.setString(2, "0".repeat(32));
                s.setTimestamp(3, Timestamp.from(CLOCK.instant()));
                s.setTimestamp(4, Timestamp.from(CLOCK.instant()));
                return s.executeUpdate();
            }
        });
        try {
            expect(409, "TRANSACTION_CONFLICT", feed.put(path, yokohama, "application/x-ndjson"));
        } finally {
            db.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM snapshot_load WHERE node_name = 'kofu-elsewhere'")) {
                    return s.executeUpdate();
                }
            });
        }
        // announced over 8 GiB: refused from the headers
        expect(413, "PAYLOAD_TOO_LARGE", feed.announcing("PUT", path, "application/x-ndjson",
                9L * 1024 * 1024 * 1024, yokohama));
    }

    @Test
    @Order(6)
    void answersTheStatusOfTheCallersMunicipalitiesOnly() {
        JsonNode all = expect(200, null, feed.get("/sync/v1/status"));
        assertTrue(all.isArray() && all.size() == 2, all.toString());
        assertEquals(KAWAGUCHI, expect(200, null, feed.get("/sync/v1/status?municipalityCode=" + KAWAGUCHI))
                .path("municipalityCode").asText());
        expect(401, "CALLER_UNAUTHENTICATED", center.get("/sync/v1/status"));
        expect(403, "CALLER_FORBIDDEN", feed.get("/sync/v1/status?municipalityCode=" + OSAKA));
        expect(404, "UNKNOWN_MUNICIPALITY", feed.get("/sync/v1/status?municipalityCode=" + NOT_SERVED));
    }

    // ---- a dead database, last ----

    @Test
    @Order(90)
    void answersServiceUnavailableOnEveryOperationOnceTheDatabaseIsGone() {
        String number = SUCCESSES.get(CardOp.ISSUE).answer().json().path("issuanceNumber").asText();
        String url = node.context().getBean(VerificationCodes.class).url(number);
        String registration = SUCCESSES.get(CardOp.REGISTRATION).answer().json().path("registrationId").asText();
        node.dropDatabase();
        for (CardOp op : CardOp.values()) {
            SoftwareCard card = op == CardOp.REGISTRATION ? card("openapi-applicant-3") : card(DemoResidents.SPOUSE);
            expect(503, "SERVICE_UNAVAILABLE", send(center, op, card, payload(op, KAWAGUCHI)));
        }
        expect(503, "SERVICE_UNAVAILABLE", center.postJson("/center/v1/issuances/" + number + "/completion",
                "{\"result\":\"PRINTED\"}".getBytes(StandardCharsets.UTF_8)));
        expect(503, "SERVICE_UNAVAILABLE", center.get("/center/v1/koseki-registrations/" + registration));
        expect(503, "SERVICE_UNAVAILABLE", anonymous.get(url.substring(url.indexOf("/verify/"))));
        expect(503, "SERVICE_UNAVAILABLE", changes(feed, heartbeat(KAWAGUCHI, kawaguchiSeq + 1)));
        expect(503, "SERVICE_UNAVAILABLE", feed.put("/sync/v1/snapshot?municipalityCode=" + YOKOHAMA + "&asOfSeq=20",
                YOKOHAMA_SNAPSHOT, "application/x-ndjson"));
        expect(503, "SERVICE_UNAVAILABLE", feed.get("/sync/v1/status"));
    }

    // ---- what was documented and what was seen ----

    @Test
    @Order(99)
    void provokedEveryDocumentedStatusAndCode() {
        Set<String> documented = doc.triples();
        Set<String> seen = conformance.observed();
        Set<String> undocumented = new TreeSet<>(seen);
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "answered but not documented");
        Set<String> notSeen = new TreeSet<>(documented);
        notSeen.removeAll(seen);
        assertEquals(new TreeSet<>(NOT_PROVOKED_HERE.keySet()), notSeen,
                "every documented (operation status code) is provoked here or listed with the test that covers it");
    }
}
