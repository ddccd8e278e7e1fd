package jp.kofu.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestMunicipalities;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.console.account.StaffRole;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 交付履歴 処分情報 (standard 1.3.8) over the real console: a 管理者 records that an issuance's paper was recovered
 * and destroyed, sees it on the detail page, in the search and in the CSV, and corrects it; staff of another
 * municipality, 閲覧者 and 監査者, and records for what was never issued are refused, and nothing is written.
 */
final class DisposalTest {
    private static final java.time.Clock CLOCK = jp.kofu.TestClock.serviceDay();
    private static final String A = "112038";
    private static final String B = "131016";
    private static TestNode node;
    private static ConsoleHttp http;
    private static String printedA;
    private static String voidedA;
    private static String printedB;
    private static String today;

    @BeforeAll
    static void start() throws Exception {
        java.nio.file.Path file = TestMunicipalities.file(TestMunicipalities.yaml(
            TestMunicipalities.kawaguchi("""
                serviceHours: "00:00-24:00"
                fees: { JUMINHYO: 200 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                """),
            TestMunicipalities.chiyoda("""
                serviceHours: "00:00-24:00"
                fees: { JUMINHYO: 370 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                """)));
        node = TestNode.start(Map.of("kofu.municipalities-file", file.toString(),
                "kofu.console.login-attempts-per-address-per-minute", 10_000), CLOCK);
        feed(A, "DA1");
        feed(B, "DB1");
        printedA = issue(A, "DA1", "PRINTED");
        voidedA = issue(A, "DA1", "FAILED");
        printedB = issue(B, "DB1", "PRINTED");
        // A refusal of A: a card the replica does not know (a log row without an issuance).
        SoftwareCard stranger = SoftwareCard.load(node.pki().issueCard("DA-unknown"), node.pki().password());
        CenterClient.Response refused = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(
                "D-" + System.nanoTime(), "SEJ-0012345", CenterRequests.sign(stranger,
                        CenterRequests.payload(A, "SELF", OffsetDateTime.now(CLOCK)))), "application/json");
        assertTrue(refused.status() >= 400, refused.text());
        ConsoleFixtures.addStaff(node, A, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(node, A, "kansa", "川口 監査", StaffRole.AUDITOR);
        ConsoleFixtures.addStaff(node, A, "etsuran", "川口 閲覧", StaffRole.VIEWER);
        ConsoleFixtures.addStaff(node, B, "kanri", "千代田 管理", StaffRole.ADMIN);
        http = new ConsoleHttp(node);
        today = LocalDate.now(CLOCK.withZone(ZoneId.of("Asia/Tokyo"))).toString();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void feed(String municipality, String residentId) throws Exception {
        SoftwareCard card = SoftwareCard.load(node.pki().issueCard(residentId), node.pki().password());
        String snapshot = "{\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"" + municipality + "\",\"resident\":{"
                + "\"residentId\":\"" + residentId + "\",\"householdId\":\"H" + residentId + "\","
                + "\"familyName\":\"見本\",\"givenName\":\"処分\",\"sex\":\"MALE\",\"birthDate\":\"1970-01-01\","
                + "\"relationship\":\"世帯主\",\"address\":\"見本県見本市1番1号\"}}\n"
                + "{\"type\":\"CARD_BIND\",\"municipalityCode\":\"" + municipality + "\",\"residentId\":\"" + residentId
                + "\",\"issuer\":\"" + card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253)
                + "\",\"serialNumber\":\"" + card.certificate().getSerialNumber().toString(16) + "\"}\n";
        CenterClient.Response fed = node.sync().put("/sync/v1/snapshot?municipalityCode=" + municipality
                + "&asOfSeq=10", snapshot.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(200, fed.status(), fed.text());
    }

    /** Issues a 住民票 and reports it PRINTED or FAILED; answers its 発行番号. */
    private static String issue(String municipality, String residentId, String result) throws Exception {
        SoftwareCard card = SoftwareCard.load(node.pki().issueCard(residentId), node.pki().password());
        ObjectNode payload = CenterRequests.payload(municipality, "SELF", OffsetDateTime.now(CLOCK));
        CenterClient.Response issued = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(
                "D-" + System.nanoTime(), "SEJ-0012345", CenterRequests.sign(card, payload)), "application/json");
        assertEquals(200, issued.status(), issued.text());
        String number = Json.MAPPER.readTree(issued.body()).get("issuanceNumber").asText();
        String body = "PRINTED".equals(result) ? "{\"result\":\"PRINTED\"}" : "{\"result\":\"FAILED\",\"reason\":\"PAPER_JAM\"}";
        CenterClient.Response done = node.center().post("/center/v1/issuances/" + number + "/completion",
                body.getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(200, done.status(), done.text());
        return number;
    }

    /** The id of the log row of the issuance request that made {@code number}. */
    static long rowOf(TestNode node, String number) {
        return node.count("SELECT id FROM issuance_log WHERE endpoint = 'ISSUANCE' AND issuance_number = '"
                + number + "'");
    }

    private static long disposals(String number) {
        return node.count("SELECT COUNT(*) FROM issuance_disposal_log WHERE issuance_number = '" + number + "'");
    }

    private static HttpResponse<String> post(String session, long row, String... fields) throws Exception {
        String[] all = new String[fields.length + 2];
        all[0] = "_csrf";
        all[1] = http.csrfOf(session);
        System.arraycopy(fields, 0, all, 2, fields.length);
        return http.post("/console/issuances/" + row + "/disposal", session, ConsoleHttp.form(all));
    }

    @Test
    void aManagerRecordsADisposalAndSeesItOnTheDetailPageInTheSearchAndInTheCsv() throws Exception {
        String number = issue(A, "DA1", "PRINTED");
        long row = rowOf(node, number);
        String a = http.signIn(A, "kanri", ConsoleFixtures.PASSWORD);
        HttpResponse<String> before = http.get("/console/issuances/" + row, a);
        assertTrue(before.body().contains("処分情報を記録する"), before.body());
        assertTrue(before.body().contains("個人を特定できることは書かないでください"), "the note warns");

        HttpResponse<String> recorded = post(a, row, "revision", "0", "disposition", "RECOVERED_DESTROYED",
                "disposedOn", today, "reason", "WRONG_PERSON", "note", "窓口で回収しシュレッダーで廃棄");
        assertEquals(303, recorded.statusCode(), recorded.body());
        assertEquals(1, disposals(number));
        String page = http.get("/console/issuances/" + row, a).body();
        assertTrue(page.contains("回収して廃棄"), page);
        assertTrue(page.contains("別の人の証明書を交付した"));
        assertTrue(page.contains("窓口で回収しシュレッダーで廃棄"));
        assertTrue(page.contains(">kanri<"), "who recorded it");
        assertTrue(page.contains("処分情報を訂正する"), "a 管理者 may correct it");
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'DISPOSAL_RECORD'"
                + " AND outcome = 'OK' AND target = 'issuance:" + number + "' AND filters NOT LIKE '%シュレッダー%'"),
                "in the staff action log, without the note");

        String period = "from=" + LocalDate.parse(today).minusDays(1) + "&to=" + LocalDate.parse(today).plusDays(1);
        String list = http.get("/console/issuances?" + period + "&issuanceNumber=" + number, a).body();
        assertTrue(list.contains("処分記録あり"), list);
        String csv = http.get("/console/issuances.csv?" + period, a).body();
        String header = csv.lines().findFirst().orElseThrow();
        assertTrue(header.endsWith("手数料（円）,処分,処分の日,処分の理由,処分の備考,処分の記録日時,処分の記録者"), header);
        List<String> ofNumber = csv.lines().filter(l -> l.contains(number)).toList();
        assertFalse(ofNumber.isEmpty());
        for (String line : ofNumber) {
            assertTrue(line.contains(",回収して廃棄," + today + ",別の人の証明書を交付した,窓口で回収しシュレッダーで廃棄,"), line);
            assertTrue(line.endsWith(",kanri"), line);
        }
        assertTrue(csv.lines().filter(l -> l.contains(printedA)).allMatch(l -> l.endsWith(",,,,,,")),
                "an issuance without a record has empty disposal columns");

        // A correction replaces it on the page; the first record stays in the table.
        HttpResponse<String> corrected = post(a, row, "revision", "1", "disposition", "DESTROYED_BY_RECIPIENT",
                "disposedOn", today, "reason", "WRONG_CONTENT", "note", "");
        assertEquals(303, corrected.statusCode(), corrected.body());
        assertEquals(2, disposals(number));
        page = http.get("/console/issuances/" + row, a).body();
        assertTrue(page.contains("受け取った人が廃棄（確認済み）") && page.contains("訂正 1回"), page);
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'DISPOSAL_CORRECT'"
                + " AND outcome = 'OK' AND target = 'issuance:" + number + "'"));
        // A form opened before that correction is stale: nothing is written.
        HttpResponse<String> stale = post(a, row, "revision", "1", "disposition", "RECOVERED_DESTROYED",
                "disposedOn", today, "reason", "DUPLICATE");
        assertEquals(409, stale.statusCode(), stale.body());
        assertTrue(stale.body().contains("ほかの職員が先に"), stale.body());
        assertEquals(2, disposals(number));
    }

    @Test
    void staffOfAnotherMunicipalityCannotRecordADisposalForThisOnesIssuance() throws Exception {
        String b = http.signIn(B, "kanri", ConsoleFixtures.PASSWORD);
        List<Long> rowsOfA = node.context().getBean(jp.kofu.db.Database.class).withConnection(c -> {
            List<Long> ids = new java.util.ArrayList<>();
            try (var s = c.createStatement(); var rs = s.executeQuery(
                    "SELECT id FROM issuance_log WHERE municipality_code = '112038'")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
        long before = node.count("SELECT COUNT(*) FROM issuance_disposal_log");
        long actionsOfA = node.count("SELECT COUNT(*) FROM staff_action_log WHERE municipality_code = '112038'");
        for (long id : rowsOfA) {
            HttpResponse<String> r = post(b, id, "revision", "0", "disposition", "RECOVERED_DESTROYED",
                    "disposedOn", today, "reason", "WRONG_PERSON", "note", "");
            assertEquals(404, r.statusCode(), id + ": " + r.body());
            assertFalse(r.body().contains(printedA) || r.body().contains("川口"), r.body());
        }
        assertEquals(before, node.count("SELECT COUNT(*) FROM issuance_disposal_log"), "nothing written");
        assertEquals(actionsOfA, node.count("SELECT COUNT(*) FROM staff_action_log WHERE municipality_code = '112038'"),
                "nothing in A's staff action log");
        // B's own issuance is B's to record.
        assertEquals(303, post(b, rowOf(node, printedB), "revision", "0", "disposition", "NOT_RECOVERED",
                "disposedOn", today, "reason", "PRINT_DEFECT").statusCode());
        assertEquals(1, node.count("SELECT COUNT(*) FROM issuance_disposal_log WHERE municipality_code = '131016'"));
    }

    @Test
    void aViewerAndAnAuditorSeeTheRecordButCannotRecordOne() throws Exception {
        long row = rowOf(node, printedA);
        for (String login : List.of("etsuran", "kansa")) {
            String s = http.signIn(A, login, ConsoleFixtures.PASSWORD);
            assertFalse(http.get("/console/issuances/" + row, s).body().contains("処分情報を記録する"), login);
            HttpResponse<String> r = post(s, row, "revision", "0", "disposition", "RECOVERED_DESTROYED",
                    "disposedOn", today, "reason", "WRONG_PERSON");
            assertEquals(403, r.statusCode(), login + ": " + r.body());
            assertEquals(0, disposals(printedA), login);
            assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE municipality_code = '112038'"
                    + " AND staff_login = '" + login + "' AND action = 'FORBIDDEN'"), login);
        }
    }

    @Test
    void aRecordForWhatWasNeverIssuedOrPrintedOrForAnUnknownRowIsRefused() throws Exception {
        String a = http.signIn(A, "kanri", ConsoleFixtures.PASSWORD);
        long before = node.count("SELECT COUNT(*) FROM issuance_disposal_log");
        long refusedRow = node.count("SELECT MAX(id) FROM issuance_log WHERE municipality_code = '112038'"
                + " AND result = 'REFUSED'");
        assertTrue(refusedRow > 0);
        String[] fields = {"revision", "0", "disposition", "RECOVERED_DESTROYED", "disposedOn", today,
                "reason", "WRONG_PERSON"};
        assertEquals(404, post(a, refusedRow, fields).statusCode(), "a refusal issued nothing");
        assertEquals(404, post(a, 987_654_321L, fields).statusCode(), "no such row");
        assertEquals(404, http.post("/console/issuances/abc/disposal", a,
                ConsoleHttp.form("_csrf", http.csrfOf(a))).statusCode());
        HttpResponse<String> voided = post(a, rowOf(node, voidedA), fields);
        assertEquals(422, voided.statusCode(), voided.body());
        assertTrue(voided.body().contains("印刷されなかった"), voided.body());
        assertEquals(before, node.count("SELECT COUNT(*) FROM issuance_disposal_log"), "nothing written");
    }

    @Test
    void theServiceMayNeitherChangeNorDeleteARecord() {
        // Kofu grants its own account INSERT and SELECT only on the table (a *_log table): a correction is a new row.
        jp.kofu.db.Database db = node.context().getBean(jp.kofu.db.Database.class);
        for (String sql : List.of("UPDATE issuance_disposal_log SET note = 'x'", "DELETE FROM issuance_disposal_log")) {
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> db.withConnection(c -> {
                        try (var s = c.createStatement()) {
                            return s.executeUpdate(sql);
                        }
                    }), sql);
            Throwable cause = e;
            while (!(cause instanceof java.sql.SQLException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertTrue(cause.getMessage().contains("command denied"), sql + ": " + cause);
        }
    }

    @Test
    void aBadFormIsRefusedWithItsReasonAndWritesNothing() throws Exception {
        String number = issue(A, "DA1", "PRINTED");
        long row = rowOf(node, number);
        String a = http.signIn(A, "kanri", ConsoleFixtures.PASSWORD);
        String tomorrow = LocalDate.parse(today).plusDays(1).toString();
        String yesterday = LocalDate.parse(today).minusDays(1).toString();
        Map<String[], String> cases = Map.of(
                new String[] {"revision", "0", "disposition", "BURNED", "disposedOn", today, "reason", "OTHER", "note", "x"},
                "処分を選んでください",
                new String[] {"revision", "0", "disposition", "RECOVERED_DESTROYED", "disposedOn", tomorrow, "reason", "DUPLICATE"},
                "今日より後の日",
                new String[] {"revision", "0", "disposition", "RECOVERED_DESTROYED", "disposedOn", yesterday, "reason", "DUPLICATE"},
                "交付した日より前の日",
                new String[] {"revision", "0", "disposition", "RECOVERED_DESTROYED", "disposedOn", today, "reason", "OTHER"},
                "備考に理由を書いてください",
                new String[] {"revision", "0", "disposition", "RECOVERED_DESTROYED", "disposedOn", today, "reason", "OTHER",
                        "note", "あ".repeat(101)},
                "備考は100文字まで");
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = post(a, row, c.getKey());
            assertEquals(422, r.statusCode(), c.getValue());
            assertTrue(r.body().contains(c.getValue()), c.getValue() + ": " + r.body());
        }
        HttpResponse<String> noToken = http.post("/console/issuances/" + row + "/disposal", a, ConsoleHttp.form(
                "revision", "0", "disposition", "RECOVERED_DESTROYED", "disposedOn", today, "reason", "DUPLICATE"));
        assertEquals(403, noToken.statusCode(), "CSRF token required");
        assertEquals(0, disposals(number));
        assertEquals(5, node.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'DISPOSAL_RECORD'"
                + " AND outcome = 'FAILED' AND target = 'issuance:" + number + "'"), "each attempt is logged");
    }
}
