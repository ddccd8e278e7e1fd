package jp.kofu.console;

import jp.kofu.console.account.StaffAccounts;
import jp.kofu.console.account.StaffRole;
import jp.kofu.koseki.registration.RegistrationNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The review queue of 本籍地 利用登録申請 is for holders of the 戸籍 review permission only (no role implies it),
 * and for their own municipality only: staff of 千代田区 (B) who hold it try 川口市's (A) applications by URL and get
 * "not found"; nothing of A changes. Forms need the session's CSRF token.
 */
final class KosekiReviewAccessTest {
    private static final String A = RegistrationNode.A;
    private static final String B = RegistrationNode.B;
    private static RegistrationNode reg;
    private static ConsoleHttp http;
    private static String applicationOfA;

    @BeforeAll
    static void start() throws Exception {
        reg = RegistrationNode.start(Map.of("kofu.console.login-attempts-per-address-per-minute", 10_000));
        ConsoleFixtures.addStaff(reg.node, A, "shinsa", "川口 審査", StaffRole.VIEWER);
        ConsoleFixtures.addStaff(reg.node, A, "etsuran", "川口 閲覧", StaffRole.VIEWER);
        ConsoleFixtures.addStaff(reg.node, A, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(reg.node, B, "shinsa", "千代田 審査", StaffRole.ADMIN);
        StaffAccounts accounts = reg.node.context().getBean(StaffAccounts.class);
        accounts.setKosekiReviewer(accounts.find(A, "shinsa").orElseThrow().id(), true);
        accounts.setKosekiReviewer(accounts.find(B, "shinsa").orElseThrow().id(), true);
        applicationOfA = reg.apply(reg.card("access-a"), RegistrationNode.payload());
        http = new ConsoleHttp(reg.node);
    }

    @AfterAll
    static void stop() {
        reg.close();
    }

    private static void assertStillPendingWithItsFields() {
        assertEquals(1, reg.count("SELECT COUNT(*) FROM koseki_registration WHERE registration_id = '"
                + applicationOfA + "' AND status = 'PENDING' AND name = '" + RegistrationNode.NAME + "'"));
    }

    private static long actions(String where) {
        return reg.count("SELECT COUNT(*) FROM staff_action_log WHERE " + where);
    }

    @Test
    void staffOfAnotherMunicipalityNeitherSeeNorDecideItsApplications() throws Exception {
        String b = http.signIn(B, "shinsa", ConsoleFixtures.PASSWORD);
        HttpResponse<String> queue = http.get("/console/koseki-registrations", b);
        assertEquals(200, queue.statusCode(), queue.body());
        assertTrue(queue.body().contains("審査待ちの申請はありません"), queue.body());
        assertFalse(queue.body().contains(applicationOfA));
        assertFalse(queue.body().contains(RegistrationNode.HONSEKI));
        String csrf = ConsoleHttp.csrf(queue.body());
        for (String change : new String[] {"approve", "reject"}) {
            HttpResponse<String> r = http.post("/console/koseki-registrations/" + applicationOfA + "/" + change, b,
                    ConsoleHttp.form("_csrf", csrf, "reason", "DUPLICATE"));
            assertEquals(404, r.statusCode(), change + ": " + r.body());
            assertFalse(r.body().contains(RegistrationNode.HONSEKI));
        }
        assertStillPendingWithItsFields();
        assertEquals(0, actions("municipality_code = '" + B + "' AND action IN ('KOSEKI_APPROVE', 'KOSEKI_REJECT')"));
    }

    @Test
    void noRoleImpliesThePermission() throws Exception {
        for (String login : new String[] {"etsuran", "kanri"}) {
            String s = http.signIn(A, login, ConsoleFixtures.PASSWORD);
            HttpResponse<String> home = http.get("/console/", s);
            assertFalse(home.body().contains("/console/koseki-registrations"), login + ": no menu item");
            HttpResponse<String> queue = http.get("/console/koseki-registrations", s);
            assertEquals(403, queue.statusCode(), login);
            assertFalse(queue.body().contains(RegistrationNode.HONSEKI), login);
            HttpResponse<String> approve = http.post("/console/koseki-registrations/" + applicationOfA + "/approve", s,
                    ConsoleHttp.form("_csrf", ConsoleHttp.csrf(home.body())));
            assertEquals(403, approve.statusCode(), login);
            assertEquals(1, actions("municipality_code = '" + A + "' AND staff_login = '" + login
                    + "' AND action = 'FORBIDDEN' AND outcome = 'DENIED' AND target = '/console/koseki-registrations'"));
        }
        assertStillPendingWithItsFields();
    }

    @Test
    void aFormWithoutTheSessionsTokenDecidesNothing() throws Exception {
        String s = http.signIn(A, "shinsa", ConsoleFixtures.PASSWORD);
        HttpResponse<String> home = http.get("/console/", s);
        assertTrue(home.body().contains("/console/koseki-registrations"), "the menu item of the permission");
        HttpResponse<String> none = http.post("/console/koseki-registrations/" + applicationOfA + "/approve", s,
                ConsoleHttp.form("reason", "DUPLICATE"));
        assertEquals(403, none.statusCode(), none.body());
        HttpResponse<String> wrong = http.post("/console/koseki-registrations/" + applicationOfA + "/reject", s,
                ConsoleHttp.form("_csrf", "x".repeat(43), "reason", "DUPLICATE"));
        assertEquals(403, wrong.statusCode(), wrong.body());
        assertStillPendingWithItsFields();
        HttpResponse<String> unknown = http.post("/console/koseki-registrations/KR-AAAAAAAAAAAAAAAAAAAAAAAA/approve",
                s, ConsoleHttp.form("_csrf", ConsoleHttp.csrf(home.body())));
        assertEquals(404, unknown.statusCode());
        HttpResponse<String> noReason = http.post("/console/koseki-registrations/" + applicationOfA + "/reject", s,
                ConsoleHttp.form("_csrf", ConsoleHttp.csrf(home.body()), "reason", "BECAUSE"));
        assertEquals(200, noReason.statusCode());
        assertTrue(noReason.body().contains("却下の理由を選んでください"), noReason.body());
        assertStillPendingWithItsFields();

        HttpResponse<String> queue = http.get("/console/koseki-registrations", s);
        assertTrue(queue.body().contains(applicationOfA), queue.body());
        assertTrue(queue.body().contains(RegistrationNode.HONSEKI));
        assertTrue(queue.body().contains("昭和55年4月1日"), "生年月日 in 和暦");
        assertTrue(actions("municipality_code = '" + A + "' AND staff_login = 'shinsa' AND action = 'KOSEKI_QUEUE'"
                + " AND outcome = 'OK' AND result_count >= 1") >= 1);
        assertEquals(0, reg.count("SELECT COUNT(*) FROM staff_action_log WHERE filters LIKE '%川口%'"
                + " OR target LIKE '%川口%' OR resident_id LIKE '%川口%'"), "no applied field in the staff action log");
    }
}
