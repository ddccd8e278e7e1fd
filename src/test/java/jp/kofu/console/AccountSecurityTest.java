package jp.kofu.console;

import jp.kofu.TestClock;
import jp.kofu.TestNode;
import jp.kofu.console.account.StaffRole;
import jp.kofu.console.account.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A staff member's own account over HTTPS: a change of password or TOTP needs the current password (throttled like
 * a login) and ends the account's other sessions; a 管理者's reset ends the member's; TOTP secrets are sealed at
 * rest, and a plain one left by an older version is sealed at the next start.
 */
final class AccountSecurityTest {
    private static final String CITY = ConsoleFixtures.CITY;
    private static TestClock clock;
    private static TestNode node;
    private static ConsoleHttp http;

    @BeforeAll
    static void start() {
        clock = new TestClock(Instant.now());
        node = TestNode.start(Map.of("kofu.console.login-attempts-per-login-per-minute", 4,
                "kofu.console.login-attempts-per-address-per-minute", 1000), clock);
        ConsoleFixtures.addStaff(node, CITY, "kanri", "川口 管理", StaffRole.ADMIN);
        http = new ConsoleHttp(node);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String column(String login, String column) {
        return node.context().getBean(jp.kofu.db.Database.class).withConnection(c -> {
            try (var s = c.prepareStatement("SELECT " + column + " FROM staff_account WHERE login = ?")) {
                s.setString(1, login);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /** The TOTP secret the account page offers (in its hidden field). */
    private static String offeredSecret(String session) throws Exception {
        Matcher m = Pattern.compile("name=\"secret\" value=\"([A-Z2-7]{32})\"")
                .matcher(http.get("/console/account", session).body());
        assertTrue(m.find());
        return m.group(1);
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndEndsTheOtherSessions() throws Exception {
        ConsoleFixtures.addStaff(node, CITY, "henkou", "変更 一郎", StaffRole.VIEWER);
        String here = http.signIn(CITY, "henkou", ConsoleFixtures.PASSWORD);
        String elsewhere = http.signIn(CITY, "henkou", ConsoleFixtures.PASSWORD);
        String hash = column("henkou", "password_hash");
        HttpResponse<String> wrong = http.post("/console/account/password", here, ConsoleHttp.form(
                "_csrf", http.csrfOf(here), "currentPassword", "not-my-password",
                "newPassword", "Atarashii-pass-77", "confirmPassword", "Atarashii-pass-77"));
        assertTrue(wrong.body().contains("今のパスワードが違います"), wrong.body());
        assertEquals(hash, column("henkou", "password_hash"), "nothing changed");
        assertTrue(http.isSignedIn(elsewhere));
        HttpResponse<String> right = http.post("/console/account/password", here, ConsoleHttp.form(
                "_csrf", http.csrfOf(here), "currentPassword", ConsoleFixtures.PASSWORD,
                "newPassword", "Atarashii-pass-77", "confirmPassword", "Atarashii-pass-77"));
        assertEquals(303, right.statusCode(), right.body());
        assertTrue(http.isSignedIn(here), "the session that made the change goes on");
        assertFalse(http.isSignedIn(elsewhere), "every other session of the account ended");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(303, http.tryLogin(CITY, "henkou", "Atarashii-pass-77").statusCode());
    }

    @Test
    void aPasswordChangeIsThrottledLikeALogin() throws Exception {
        clock.advance(Duration.ofMinutes(2));
        ConsoleFixtures.addStaff(node, CITY, "tameshi", "試し 二郎", StaffRole.VIEWER);
        String session = http.signIn(CITY, "tameshi", ConsoleFixtures.PASSWORD);
        String hash = column("tameshi", "password_hash");
        int throttled = 0;
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = http.post("/console/account/password", session, ConsoleHttp.form(
                    "_csrf", http.csrfOf(session), "currentPassword", "guess-" + i,
                    "newPassword", "Atarashii-pass-88", "confirmPassword", "Atarashii-pass-88"));
            if (r.statusCode() == 429) {
                throttled++;
                assertTrue(r.body().contains("1分ほどたってから"), r.body());
            }
        }
        assertEquals(3, throttled, "4 attempts a minute for the login id, the login itself being one");
        HttpResponse<String> right = http.post("/console/account/password", session, ConsoleHttp.form(
                "_csrf", http.csrfOf(session), "currentPassword", ConsoleFixtures.PASSWORD,
                "newPassword", "Atarashii-pass-88", "confirmPassword", "Atarashii-pass-88"));
        assertEquals(429, right.statusCode(), "even the right password, until the minute has passed");
        assertEquals(hash, column("tameshi", "password_hash"));
    }

    @Test
    void turningTotpOnOrOffNeedsThePasswordAndEndsTheOtherSessions() throws Exception {
        clock.advance(Duration.ofMinutes(2));
        ConsoleFixtures.addStaff(node, CITY, "nidan", "二段 三郎", StaffRole.VIEWER);
        String here = http.signIn(CITY, "nidan", ConsoleFixtures.PASSWORD);
        String elsewhere = http.signIn(CITY, "nidan", ConsoleFixtures.PASSWORD);
        String secret = offeredSecret(here);
        HttpResponse<String> noPassword = http.post("/console/account/totp", here, ConsoleHttp.form(
                "_csrf", http.csrfOf(here), "secret", secret, "code", Totp.code(secret, clock.instant())));
        assertTrue(noPassword.body().contains("パスワードが違います"), noPassword.body());
        assertEquals(null, column("nidan", "totp_secret"), "a stolen session cannot turn TOTP on");
        assertTrue(http.isSignedIn(elsewhere));
        HttpResponse<String> on = http.post("/console/account/totp", here, ConsoleHttp.form(
                "_csrf", http.csrfOf(here), "secret", secret, "code", Totp.code(secret, clock.instant()),
                "currentPassword", ConsoleFixtures.PASSWORD));
        assertEquals(303, on.statusCode(), on.body());
        assertTrue(http.isSignedIn(here));
        assertFalse(http.isSignedIn(elsewhere), "the other session ended when TOTP was turned on");

        clock.advance(Duration.ofMinutes(2));
        String again = signInWithCode("nidan", secret);
        HttpResponse<String> offWrong = http.post("/console/account/totp/off", here, ConsoleHttp.form(
                "_csrf", http.csrfOf(here), "currentPassword", "not-my-password"));
        assertTrue(offWrong.body().contains("確認コードは解除していません"), offWrong.body());
        assertTrue(column("nidan", "totp_secret") != null);
        assertEquals(303, http.post("/console/account/totp/off", here, ConsoleHttp.form(
                "_csrf", http.csrfOf(here), "currentPassword", ConsoleFixtures.PASSWORD)).statusCode());
        assertEquals(null, column("nidan", "totp_secret"));
        assertTrue(http.isSignedIn(here));
        assertFalse(http.isSignedIn(again), "the other session ended when TOTP was turned off");
    }

    @Test
    void sealsTheTotpSecretInTheDatabaseAndStillAcceptsItsCodes() throws Exception {
        clock.advance(Duration.ofMinutes(2));
        ConsoleFixtures.addStaff(node, CITY, "himitsu", "秘密 四郎", StaffRole.VIEWER);
        String session = http.signIn(CITY, "himitsu", ConsoleFixtures.PASSWORD);
        String secret = offeredSecret(session);
        assertEquals(303, http.post("/console/account/totp", session, ConsoleHttp.form(
                "_csrf", http.csrfOf(session), "secret", secret, "code", Totp.code(secret, clock.instant()),
                "currentPassword", ConsoleFixtures.PASSWORD)).statusCode());
        String stored = column("himitsu", "totp_secret");
        assertTrue(stored.startsWith("gcm1:"), stored);
        assertFalse(stored.contains(secret), "the Base32 secret is not in the column");
        clock.advance(Duration.ofSeconds(30));
        assertTrue(http.isSignedIn(signInWithCode("himitsu", secret)), "TOTP login still works");
    }

    @Test
    void sealsAPlainSecretLeftByAnOlderVersionAtTheNextStart() throws Exception {
        clock.advance(Duration.ofMinutes(2));
        ConsoleFixtures.addStaff(node, CITY, "furui", "古井 五郎", StaffRole.VIEWER);
        String secret = Totp.newSecret();
        node.context().getBean(jp.kofu.db.Database.class).withConnection(c -> {
            try (var s = c.prepareStatement("UPDATE staff_account SET totp_secret = ? WHERE login = 'furui'")) {
                s.setString(1, secret);
                return s.executeUpdate();
            }
        });
        try (TestNode restarted = node.sibling(Map.of(), clock)) {
            String stored = column("furui", "totp_secret");
            assertTrue(stored.startsWith("gcm1:") && !stored.contains(secret), stored);
            ConsoleHttp there = new ConsoleHttp(restarted);
            HttpResponse<String> first = there.tryLogin(CITY, "furui", ConsoleFixtures.PASSWORD);
            assertEquals(303, first.statusCode());
            String session = ConsoleHttp.sessionCookie(first);
            HttpResponse<String> codePage = there.get("/console/login/code", session);
            assertEquals(303, there.post("/console/login/code", session, ConsoleHttp.form(
                    "_csrf", ConsoleHttp.csrf(codePage.body()), "code", Totp.code(secret, clock.instant())))
                    .statusCode());
            assertTrue(there.isSignedIn(session), "the sealed secret's codes are accepted");
        }
    }

    @Test
    void anAdministratorsPasswordResetEndsTheMembersSessions() throws Exception {
        clock.advance(Duration.ofMinutes(2));
        ConsoleFixtures.addStaff(node, CITY, "wasure", "忘れ 六郎", StaffRole.VIEWER);
        String member = http.signIn(CITY, "wasure", ConsoleFixtures.PASSWORD);
        String admin = http.signIn(CITY, "kanri", ConsoleFixtures.PASSWORD);
        long id = node.count("SELECT id FROM staff_account WHERE login = 'wasure'");
        HttpResponse<String> reset = http.post("/console/staff/" + id + "/reset-password", admin,
                ConsoleHttp.form("_csrf", http.csrfOf(admin)));
        assertEquals(200, reset.statusCode(), reset.body());
        assertTrue(reset.body().contains("password-once"), reset.body());
        assertFalse(http.isSignedIn(member), "the member's session ended with the reset");
        assertTrue(http.isSignedIn(admin));
    }

    /** Signs in with the password and then the current TOTP code; answers the session cookie. */
    private static String signInWithCode(String login, String secret) throws Exception {
        String session = http.signIn(CITY, login, ConsoleFixtures.PASSWORD);
        HttpResponse<String> codePage = http.get("/console/login/code", session);
        clock.advance(Duration.ofSeconds(30));
        HttpResponse<String> r = http.post("/console/login/code", session, ConsoleHttp.form(
                "_csrf", ConsoleHttp.csrf(codePage.body()), "code", Totp.code(secret, clock.instant())));
        assertEquals(303, r.statusCode(), r.body());
        return session;
    }
}
