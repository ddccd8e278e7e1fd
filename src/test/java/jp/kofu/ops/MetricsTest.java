package jp.kofu.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import jp.kofu.replica.CheckDigits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} after a run of issuances, listings and sync batches with residents of its own: Prometheus
 * text with every name of contract §10 and the right labels, and — scanned whole, with /health/ready — not one
 * trace of those residents (ids, names, kana, 個人番号, 住民票コード, address, card serial).
 */
final class MetricsTest {
    private static final String CITY = "112038";
    private static final String HEAD_ID = "PRIVRES0001";
    private static final String CHILD_ID = "PRIVRES0002";
    private static final String MOVER_ID = "PRIVRES0003";
    private static final String HOUSEHOLD = "PRIVHH00042";
    private static final String FAMILY = "秘匿山";
    private static final String GIVEN = "澄香";
    private static final String FAMILY_KANA = "ヒトクヤマ";
    private static final String GIVEN_KANA = "スミカ";
    private static final String ADDRESS = "埼玉県川口市秘匿町七丁目7番7号";
    private static final String NUMBER = withCheckDigit("31415926535");
    private static final String JUMINHYO_CODE = withCheckDigit("2718281828");
    private static final String CHILD_NUMBER = withCheckDigit("16180339887");

    private static TestNode node;
    private static SoftwareCard card;
    private static String metrics;
    private static String ready;

    private static String withCheckDigit(String digits) {
        return digits + CheckDigits.checkDigit(digits);
    }

    @BeforeAll
    static void run() throws Exception {
        node = TestNode.start();
        card = SoftwareCard.load(node.pki().issueCard("metrics-privacy"), node.pki().password());
        CenterClient sync = node.sync();
        String snapshot = resident(0, HEAD_ID, "世帯主", NUMBER, JUMINHYO_CODE)
                + resident(0, CHILD_ID, "子", CHILD_NUMBER, withCheckDigit("1414213562")) + bind(HEAD_ID);
        CenterClient.Response loaded = sync.put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=500",
                snapshot.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(200, loaded.status(), loaded.text());

        assertEquals(200, issue("SELF", "JUMINHYO").status());
        assertEquals(200, issue("HOUSEHOLD_ALL", "JUMINHYO").status());
        assertEquals(200, listHousehold().status());
        CenterClient.Response registration = applyForKoseki();
        assertTrue(registration.status() == 202 || registration.status() == 422, registration.text());
        // A refusal, and a made-up certificate type that must not become a label value.
        CenterClient.Response unknownType = issue("SELF", "NAME_OF_SOMEONE");
        assertEquals(422, unknownType.status(), unknownType.text());

        CenterClient.Response batch = sync.post("/sync/v1/changes", (resident(501, MOVER_ID, "同居人",
                        withCheckDigit("27182818284"), withCheckDigit("3141592653"))
                        + "{\"seq\":502,\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\"" + CITY
                        + "\",\"residentId\":\"" + MOVER_ID + "\"}\n"
                        + "{\"seq\":503,\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"" + CITY
                        + "\",\"residentId\":\"" + CHILD_ID + "\",\"active\":true,\"reason\":\"DV_SUPPORT\"}\n"
                        + "{\"seq\":504,\"type\":\"HEARTBEAT\",\"municipalityCode\":\"" + CITY
                        + "\",\"asOf\":\"" + OffsetDateTime.now() + "\"}\n").getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, batch.status(), batch.text());
        assertEquals(422, issue("HOUSEHOLD_ALL", "JUMINHYO").status(), "the blocked child refuses the household");
        assertEquals(401, node.anonymous().get("/sync/v1/status").status());

        // The replica gauges read a copy refreshed every few seconds: wait for the batch to show.
        long deadline = System.nanoTime() + 20_000_000_000L;
        do {
            metrics = scrape();
        } while (!metrics.contains("kofu_replica_applied_seq{municipality=\"" + CITY + "\"} 504")
                && System.nanoTime() < deadline && sleep());
        ready = Management.get(node.managementUri(), "/health/ready").body();
        // For a reader of docs/operations.md: what a scrape looks like.
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics-sample.txt"), metrics);
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(500);
        return true;
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = Management.get(node.managementUri(), "/metrics");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return r.body();
    }

    private static String resident(long seq, String id, String relationship, String number, String code) {
        return "{" + (seq == 0 ? "" : "\"seq\":" + seq + ",") + "\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\""
                + CITY + "\",\"resident\":{\"residentId\":\"" + id + "\",\"householdId\":\"" + HOUSEHOLD
                + "\",\"familyName\":\"" + FAMILY + "\",\"givenName\":\"" + GIVEN + "\",\"familyNameKana\":\""
                + FAMILY_KANA + "\",\"givenNameKana\":\"" + GIVEN_KANA + "\",\"sex\":\"FEMALE\","
                + "\"birthDate\":\"1980-02-29\",\"relationship\":\"" + relationship + "\",\"householderName\":\""
                + FAMILY + " " + GIVEN + "\",\"juminhyoCode\":\"" + code + "\",\"individualNumber\":\"" + number
                + "\",\"address\":\"" + ADDRESS + "\"}}\n";
    }

    private static String bind(String residentId) {
        return "{\"type\":\"CARD_BIND\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\"" + residentId
                + "\",\"issuer\":\"" + card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253)
                + "\",\"serialNumber\":\"" + card.certificate().getSerialNumber().toString(16) + "\"}\n";
    }

    private static CenterClient.Response issue(String scope, String type) throws Exception {
        ObjectNode p = CenterRequests.payload(CITY, scope, OffsetDateTime.now());
        p.put("certificateType", type);
        return node.center().post("/center/v1/issuances", CenterRequests.issuanceBody("M-" + System.nanoTime(),
                "SEJ-0012345", CenterRequests.sign(card, p)), "application/json");
    }

    private static CenterClient.Response listHousehold() throws Exception {
        ObjectNode p = CenterRequests.payload(CITY, "SELF", OffsetDateTime.now());
        p.put("certificateType", "HOUSEHOLD_LISTING");
        p.remove("scope");
        p.remove("options");
        p.remove("copies");
        return node.center().post("/center/v1/household-members", CenterRequests.issuanceBody(
                "L-" + System.nanoTime(), "SEJ-0012345", CenterRequests.sign(card, p)), "application/json");
    }

    /** 本籍地 利用登録申請 (§9) with the resident's own name and birth date. */
    private static CenterClient.Response applyForKoseki() throws Exception {
        ObjectNode p = CenterRequests.payload(CITY, "SELF", OffsetDateTime.now());
        p.put("certificateType", "KOSEKI_REGISTRATION");
        p.remove("options");
        p.put("honseki", "東京都秘匿区霞が関九丁目9番");
        p.put("hittosha", FAMILY + " " + GIVEN);
        p.put("name", FAMILY + " " + GIVEN);
        p.put("birthDate", "1980-02-29");
        return node.center().post("/center/v1/koseki-registrations", CenterRequests.issuanceBody(
                "R-" + System.nanoTime(), "SEJ-0012345", CenterRequests.sign(card, p)), "application/json");
    }

    private static List<PrometheusText.Sample> samples(String name) {
        return PrometheusText.parse(metrics).stream().filter(s -> s.name().equals(name)).toList();
    }

    private static PrometheusText.Sample one(String name, Map<String, String> labels) {
        List<PrometheusText.Sample> found = samples(name).stream().filter(s -> s.has(labels)).toList();
        assertEquals(1, found.size(), name + labels + " in\n" + grep(name));
        return found.get(0);
    }

    private static String grep(String name) {
        return String.join("\n", metrics.lines().filter(l -> l.startsWith(name)).toList());
    }

    @Test
    void countsEveryAnsweredRequestByItsOutcome() {
        Set<String> labels = Set.of("municipality", "certificate_type", "channel", "result", "code");
        assertFalse(samples("kofu_issuances_total").isEmpty(), metrics);
        for (PrometheusText.Sample s : samples("kofu_issuances_total")) {
            assertEquals(labels, s.labels().keySet(), s.toString());
        }
        Map<String, String> issued = Map.of("municipality", CITY, "certificate_type", "JUMINHYO",
                "channel", "CONVENIENCE_STORE", "result", "ISSUED", "code", "NONE");
        assertEquals(2.0, one("kofu_issuances_total", issued).value());
        assertEquals(1.0, one("kofu_issuances_total", Map.of("certificate_type", "HOUSEHOLD_LISTING",
                "result", "LISTED", "code", "NONE")).value());
        assertEquals(1.0, one("kofu_issuances_total", Map.of("certificate_type", "JUMINHYO", "result", "REFUSED",
                "code", "NOT_ISSUABLE")).value());
        // The made-up type is NONE: a caller cannot make new series.
        assertEquals(1.0, one("kofu_issuances_total", Map.of("certificate_type", "NONE", "result", "REFUSED",
                "code", "UNSUPPORTED_CERTIFICATE")).value());
        assertFalse(metrics.contains("NAME_OF_SOMEONE"));
        assertEquals(1.0, samples("kofu_issuances_total").stream()
                .filter(s -> s.labels().get("certificate_type").equals("KOSEKI_REGISTRATION"))
                .mapToDouble(PrometheusText.Sample::value).sum(), grep("kofu_issuances_total"));
    }

    @Test
    void timesIssuancesInAHistogram() {
        Map<String, String> issued = Map.of("municipality", CITY, "certificate_type", "JUMINHYO", "result", "ISSUED");
        assertEquals(2.0, one("kofu_issuance_seconds_count", issued).value());
        assertTrue(one("kofu_issuance_seconds_sum", issued).value() > 0);
        List<PrometheusText.Sample> buckets = samples("kofu_issuance_seconds_bucket").stream()
                .filter(s -> s.has(issued)).toList();
        assertTrue(buckets.size() >= 5, grep("kofu_issuance_seconds_bucket"));
        assertEquals(2.0, buckets.stream().filter(s -> s.labels().get("le").equals("+Inf")).findFirst()
                .orElseThrow().value());
    }

    @Test
    void countsSyncEventsByTypeBatchesAndSnapshots() {
        for (PrometheusText.Sample s : samples("kofu_sync_events_total")) {
            assertEquals(Set.of("municipality", "type"), s.labels().keySet(), s.toString());
        }
        Predicate<String> count = type -> one("kofu_sync_events_total", Map.of("municipality", CITY, "type", type))
                .value() == 1.0;
        for (String type : List.of("RESIDENT_UPSERT", "RESIDENT_REMOVE", "ISSUANCE_BLOCK", "HEARTBEAT", "BATCH",
                "SNAPSHOT")) {
            assertTrue(count.test(type), type + ": " + grep("kofu_sync_events_total"));
        }
    }

    @Test
    void reportsTheReplicaOfEachMunicipality() {
        assertEquals(504.0, one("kofu_replica_applied_seq", Map.of("municipality", CITY)).value(),
                grep("kofu_replica"));
        double heard = one("kofu_replica_last_heard_seconds", Map.of("municipality", CITY)).value();
        assertTrue(heard >= 0 && heard < 120, "seconds since the batch: " + heard);
        one("kofu_replica_max_feed_silence_seconds", Map.of("municipality", CITY));
    }

    @Test
    void reportsCrlsAndKofusOwnCertificates() {
        List<PrometheusText.Sample> crls = samples("kofu_crl_next_update_seconds");
        assertFalse(crls.isEmpty(), metrics);
        for (PrometheusText.Sample s : crls) {
            assertEquals(Set.of("issuer"), s.labels().keySet());
            assertTrue(s.value() > 0, "the dev PKI's CRLs are current: " + s);
        }
        assertTrue(one("kofu_certificate_expiry_seconds", Map.of("purpose", "signing", "municipality", CITY))
                .value() > 30 * 86400);
        assertTrue(one("kofu_certificate_expiry_seconds", Map.of("purpose", "tls_server")).value() > 0);
    }

    @Test
    void reportsThePoolTheJvmTheHttpServerAndTheEarlierMeters() {
        for (String name : List.of("hikaricp_connections_active", "hikaricp_connections_max", "jvm_memory_used_bytes",
                "jvm_threads_live_threads", "http_server_requests_seconds_count", "kofu_db_transaction_retries_total",
                "kofu_unauthenticated_requests_total", "kofu_koseki_breaker_open")) {
            assertFalse(samples(name).isEmpty(), name + " missing");
        }
        assertEquals("kofu", samples("hikaricp_connections_max").get(0).labels().get("pool"));
        assertTrue(one("kofu_unauthenticated_requests_total", Map.of("path_group", "sync")).value() >= 1);
    }

    /** Guards the privacy rule of contract §10: no resident's data in any label or value of the listener. */
    @Test
    void showsNothingOfAResident() throws Exception {
        String serial = card.certificate().getSerialNumber().toString(16);
        assertTrue(serial.length() >= 8, "a serial long enough not to match by chance");
        List<String> personal = List.of(HEAD_ID, CHILD_ID, MOVER_ID, HOUSEHOLD, FAMILY, GIVEN, FAMILY_KANA,
                GIVEN_KANA, ADDRESS, "秘匿町", "秘匿区", NUMBER, JUMINHYO_CODE, CHILD_NUMBER, serial, serial.toUpperCase(),
                card.certificate().getSerialNumber().toString(), "1980-02-29");
        String everything = metrics + "\n" + ready + "\n" + scrape();
        for (String value : personal) {
            assertFalse(everything.contains(value), "personal data on the management listener: " + value);
        }
        JsonNode body = Json.parseObject(ready.getBytes(StandardCharsets.UTF_8), "ready");
        assertEquals("UP", body.get("status").asText(), ready);
    }
}
