package jp.kofu.console;

import jp.kofu.TestNode;
import jp.kofu.console.account.StaffRole;
import jp.kofu.demo.DemoResidents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A J-LIS error notice (交付センターからのエラー通知, alarm kind CENTER_NOTICE) over the real console on a node serving
 * 川口市 (A) and 千代田区 (B): recorded by one staff member, shown open with its fields and a link to the issuance,
 * counted, acknowledged by another (four eyes); and the attacks — B naming A's 発行番号, B against A's notice, a
 * 閲覧者, a missing CSRF token and bad input — refused with nothing written.
 */
final class CenterNoticeTest {
    private static final String A = ConsoleFixtures.CITY;
    private static final String B = ConsoleFixtures.OTHER_CITY;
    private static TestNode node;
    private static ConsoleHttp http;
    private static String numberOfA;
    private static String today;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(Map.of("kofu.alarms.check-interval", "1h"), null);
        numberOfA = ConsoleFixtures.issue(node, DemoResidents.FAMILY_HEAD, "SELF", 1, "CONVENIENCE_STORE",
                "SEJ-0012345", "SEJ-0012345-01");
        ConsoleFixtures.addStaff(node, A, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(node, A, "kansa", "川口 監査", StaffRole.AUDITOR);
        ConsoleFixtures.addStaff(node, A, "etsuran", "川口 閲覧", StaffRole.VIEWER);
        ConsoleFixtures.addStaff(node, B, "chiyoda", "千代田 管理", StaffRole.ADMIN);
        http = new ConsoleHttp(node);
        today = LocalDate.now(node.context().getBean(Clock.class).withZone(ZoneId.of("Asia/Tokyo"))).toString();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String session(String municipality, String login) throws Exception {
        return http.signIn(municipality, login, ConsoleFixtures.PASSWORD);
    }

    private static HttpResponse<String> record(String session, String received, String reference, String number,
                                               String note) throws Exception {
        return http.post("/console/alarms/notices", session, ConsoleHttp.form("_csrf", http.csrfOf(session),
                "receivedOn", received, "reference", reference, "issuanceNumber", number, "note", note));
    }

    private static long notices(String municipality) {
        return node.count("SELECT COUNT(*) FROM alarm WHERE kind = 'CENTER_NOTICE' AND municipality_code = '"
                + municipality + "'");
    }

    private static long idOf(String reference) {
        return node.count("SELECT alarm_id FROM alarm WHERE kind = 'CENTER_NOTICE' AND subject = '交付センターの通知 "
                + reference + "'");
    }

    private static long actions(String login, String kind, String outcome) {
        return node.count("SELECT COUNT(*) FROM staff_action_log WHERE staff_login = '" + login + "' AND action = '"
                + kind + "' AND outcome = '" + outcome + "'");
    }

    private static int badge(String session) throws Exception {
        Matcher m = Pattern.compile("class=\"badge\"[^>]*>([0-9]+)<").matcher(http.get("/console/", session).body());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Test
    void aNoticeIsShownOpenWithItsFieldsCountedAndAcknowledgedByAnotherStaffMember() throws Exception {
        String kansa = session(A, "kansa");
        String kanri = session(A, "kanri");
        int before = badge(kanri);
        String reference = "JLIS-" + System.nanoTime();
        // A note that tries to pose as a field: it stays the note.
        HttpResponse<String> done = record(kansa, today, reference, numberOfA,
                "印刷エラー3件の照会 issuance=131016-20260101-000001");
        assertEquals(303, done.statusCode(), done.body());
        long id = idOf(reference);
        assertTrue(done.headers().firstValue("Location").orElseThrow().endsWith("#alarm-" + id));
        assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE alarm_id = " + id + " AND municipality_code = '"
                + A + "' AND recorded_by = 'kansa' AND ended_at IS NULL AND acknowledged_at IS NULL"));
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE staff_login = 'kansa' AND action ="
                + " 'CENTER_NOTICE_RECORD' AND outcome = 'OK' AND target = 'alarm " + id + "'"));
        assertEquals(0, node.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'CENTER_NOTICE_RECORD'"
                + " AND filters LIKE '%印刷%'"), "the note is not copied to the staff action log");

        String page = http.get("/console/alarms?recorded=" + id, kansa).body();
        assertTrue(page.contains("交付センターからのエラー通知を記録しました"), page);
        String row = rowOf(page, id);
        assertTrue(row.contains("交付センターからのエラー通知") && row.contains(reference), row);
        assertTrue(row.contains("印刷エラー3件の照会 issuance=131016-20260101-000001"), "the note as typed: " + row);
        long logRow = node.count("SELECT id FROM issuance_log WHERE endpoint = 'ISSUANCE' AND issuance_number = '"
                + numberOfA + "'");
        assertTrue(row.contains("href=\"/console/issuances/" + logRow + "\">" + numberOfA + "</a>"),
                "the 発行番号 links to the issuance's detail page: " + row);
        assertTrue(row.contains("kansa"), "who recorded it: " + row);
        assertFalse(row.contains("/acknowledge"), "the one who recorded it gets no 確認 button: " + row);
        assertEquals(before + 1, badge(kanri), "counted in the menu");

        HttpResponse<String> self = http.post("/console/alarms/" + id + "/acknowledge", kansa,
                ConsoleHttp.form("_csrf", http.csrfOf(kansa)));
        assertEquals(403, self.statusCode(), self.body());
        assertTrue(self.body().contains("記録した職員は、自分で確認済みにできません"), self.body());
        assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE alarm_id = " + id
                + " AND acknowledged_at IS NULL AND ended_at IS NULL"), "four eyes: nothing changed");
        assertEquals(1, actions("kansa", "ALARM_ACKNOWLEDGE", "DENIED"), "the refused 確認 is logged");

        String other = http.get("/console/alarms", kanri).body();
        assertTrue(rowOf(other, id).contains("/console/alarms/" + id + "/acknowledge"), "another one's 確認 button");
        HttpResponse<String> ack = http.post("/console/alarms/" + id + "/acknowledge", kanri,
                ConsoleHttp.form("_csrf", ConsoleHttp.csrf(other)));
        assertEquals(200, ack.statusCode(), ack.body());
        assertTrue(ack.body().contains("「交付センターからのエラー通知」を確認済みにしました。"), ack.body());
        assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE alarm_id = " + id
                + " AND acknowledged_by = 'kanri' AND ended_at IS NOT NULL AND open_key IS NULL"), "ended");
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE staff_login = 'kanri' AND action ="
                + " 'ALARM_ACKNOWLEDGE' AND outcome = 'OK' AND target = 'alarm " + id + "'"));
        assertEquals(before, badge(kanri), "no longer counted");
        String history = http.get("/console/alarms?kind=CENTER_NOTICE", kanri).body();
        assertTrue(history.contains("table class=\"alarms history\"") && rowOf(history, id).contains(reference),
                history);
    }

    @Test
    void chiyodaNamingAKawaguchiNumberIsRefusedAsAnUnknownNumberAndNothingIsWritten() throws Exception {
        String chiyoda = session(B, "chiyoda");
        long failed = actions("chiyoda", "CENTER_NOTICE_RECORD", "FAILED");
        HttpResponse<String> theirs = record(chiyoda, today, "JLIS-B-1", numberOfA, "照会");
        assertEquals(422, theirs.statusCode(), theirs.body());
        assertTrue(theirs.body().contains(AlarmsController.UNKNOWN_NUMBER), theirs.body());
        HttpResponse<String> none = record(chiyoda, today, "JLIS-B-1", B + "-20260101-000001", "照会");
        assertEquals(422, none.statusCode(), none.body());
        assertEquals(message(none.body()), message(theirs.body()), "the same answer as a number that does not exist");
        assertFalse(theirs.body().contains("川口"), "nothing of 川口市's issuance");
        assertEquals(0, notices(B), "nothing written");
        assertEquals(failed + 2, actions("chiyoda", "CENTER_NOTICE_RECORD", "FAILED"), "the attempts are logged");
    }

    @Test
    void chiyodaNeitherSeesNorAcknowledgesAKawaguchiNotice() throws Exception {
        String reference = "JLIS-A-" + System.nanoTime();
        assertEquals(303, record(session(A, "kanri"), today, reference, "", "照会あり").statusCode());
        long id = idOf(reference);
        String chiyoda = session(B, "chiyoda");
        HttpResponse<String> page = http.get("/console/alarms?from=2000-01-01&kind=CENTER_NOTICE", chiyoda);
        assertEquals(200, page.statusCode());
        assertFalse(page.body().contains(reference) || page.body().contains("alarm-" + id + "\""), page.body());
        HttpResponse<String> ack = http.post("/console/alarms/" + id + "/acknowledge", chiyoda,
                ConsoleHttp.form("_csrf", ConsoleHttp.csrf(page.body())));
        assertEquals(404, ack.statusCode(), ack.body());
        assertFalse(ack.body().contains(reference));
        assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE alarm_id = " + id
                + " AND acknowledged_at IS NULL AND ended_at IS NULL"), "nothing changed");
        // The same reference in 千代田区 is its own notice: no clash with 川口市's open one.
        assertEquals(303, record(chiyoda, today, reference, "", "照会あり").statusCode());
        assertEquals(1, notices(B));
    }

    @Test
    void aViewerCannotRecordAndAFormWithoutTheTokenIsRefused() throws Exception {
        long before = notices(A);
        String viewer = session(A, "etsuran");
        HttpResponse<String> refused = record(viewer, today, "JLIS-V-1", "", "照会");
        assertEquals(403, refused.statusCode(), refused.body());
        assertFalse(http.get("/console/", viewer).body().contains("/console/alarms"), "no menu link");
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE staff_login = 'etsuran'"
                + " AND action = 'FORBIDDEN' AND target = '/console/alarms/notices'"), "the refusal is logged");
        HttpResponse<String> noToken = http.post("/console/alarms/notices", session(A, "kansa"), ConsoleHttp.form(
                "receivedOn", today, "reference", "JLIS-C-1", "issuanceNumber", "", "note", "照会"));
        assertEquals(403, noToken.statusCode(), noToken.body());
        assertEquals(before, notices(A), "nothing written");
    }

    @Test
    void badInputIsRefusedWithAClearMessageAndNothingIsWritten() throws Exception {
        String kansa = session(A, "kansa");
        long before = notices(A);
        String future = LocalDate.parse(today).plusDays(1).toString();
        String[][] cases = {
            {"", "JLIS-1", "", "照会", "通知を受けた日を入力してください。"},
            {"2026-13-40", "JLIS-1", "", "照会", "通知を受けた日の形式が正しくありません"},
            {future, "JLIS-1", "", "照会", "今日より後の日は入力できません。"},
            {"2009-12-31", "JLIS-1", "", "照会", "2010年より前の日は入力できません。"},
            {today, "", "", "照会", "交付センターの通知番号を入力してください。"},
            {today, "JLIS 1<script>", "", "照会", "半角の英数字と - _ . / で32文字までです。"},
            {today, "J".repeat(33), "", "照会", "半角の英数字と - _ . / で32文字までです。"},
            {today, "JLIS-1", "112038-2026-1", "照会", "発行番号の形式が正しくありません"},
            {today, "JLIS-1", "", "", "通知の内容を、メモに短く書いてください。"},
            {today, "JLIS-1", "", "あ".repeat(201), "メモは200文字までです。"},
            {today, "JLIS-1", "", "一行目\n二行目", "制御文字は使えません。"},
            {today, "JLIS-1", "", "個人番号 123456789012 の件", "10桁以上の数字は書けません"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = record(kansa, c[0], c[1], c[2], c[3]);
            assertEquals(422, r.statusCode(), String.join(" | ", c));
            assertTrue(message(r.body()).contains(c[4]), c[4] + " — " + message(r.body()));
            assertFalse(r.body().contains("<script>"), "the typed reference is escaped");
        }
        assertEquals(before, notices(A), "nothing written");
        assertEquals(cases.length, actions("kansa", "CENTER_NOTICE_RECORD", "FAILED"));
        assertEquals(0, node.count("SELECT COUNT(*) FROM staff_action_log WHERE filters LIKE '%123456789012%'"),
                "a note is never logged");

        String reference = "JLIS-DUP-" + System.nanoTime();
        assertEquals(303, record(kansa, today, reference, "", "照会").statusCode());
        HttpResponse<String> again = record(session(A, "kanri"), today, reference, "", "もう一度");
        assertEquals(409, again.statusCode(), again.body());
        assertTrue(message(again.body()).contains("記録済みで、まだ確認されていません"), again.body());
        assertEquals(before + 1, notices(A), "one open notice per reference");
    }

    /** The message of the notice form's error box. */
    private static String message(String page) {
        Matcher m = Pattern.compile("<div class=\"message error\" role=\"alert\"><p>([^<]*)</p>").matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    /** The HTML of the row {@code alarm-<id>}. */
    private static String rowOf(String page, long id) {
        int start = page.indexOf("id=\"alarm-" + id + "\"");
        assertTrue(start > 0, "row " + id + " on the page: " + page);
        return page.substring(start, page.indexOf("</tr>", start));
    }
}
