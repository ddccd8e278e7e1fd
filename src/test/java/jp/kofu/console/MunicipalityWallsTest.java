package jp.kofu.console;

import jp.kofu.TestMunicipalities;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.console.account.StaffRole;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One node serving two municipalities (contract §7: staff of one see nothing of another). Staff of 川口市 (A) try
 * by URL to read and change what belongs to 千代田区 (B) — its log rows, CSV, 精算, 発行番号, staff action log and
 * staff accounts — and get nothing; nothing of B changes. Login ids are unique per municipality, so A can neither
 * learn B's login ids nor lock B's accounts.
 */
final class MunicipalityWallsTest {
    /** Real time, but never in the year-end closure, when no certificate is served (contract §8). */
    private static final java.time.Clock CLOCK = jp.kofu.TestClock.serviceDay();
    private static final String A = "112038";
    private static final String B = "131016";
    private static TestNode node;
    private static ConsoleHttp http;
    private static String numberA;
    private static String numberB;

    @BeforeAll
    static void start() throws Exception {
        Path file = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "municipalities", ".yml");
        Files.writeString(file, TestMunicipalities.yaml(
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
        numberA = issueAndPrint(A, "RA1", 1);
        numberB = issueAndPrint(B, "RB1", 2);
        ConsoleFixtures.addStaff(node, A, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(node, B, "kanri", "千代田 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(node, B, "yamada", "千代田 山田", StaffRole.VIEWER);
        ConsoleFixtures.addStaff(node, B, "b-only", "千代田 閲覧", StaffRole.VIEWER);
        ConsoleFixtures.addStaff(node, B, "b-locked", "千代田 施錠", StaffRole.VIEWER);
        ConsoleFixtures.addStaff(node, B, "b-guessed", "千代田 推測", StaffRole.VIEWER);
        http = new ConsoleHttp(node);
        String b = http.signIn(B, "kanri", ConsoleFixtures.PASSWORD);
        assertEquals(200, http.get("/console/issuances?store=ZZB&residentId=RB1", b).statusCode());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /**
     * Feeds one resident with a card to {@code municipality}, issues {@code times} 住民票 and prints them; answers
     * the first one's 発行番号.
     */
    private static String issueAndPrint(String municipality, String residentId, int times) throws Exception {
        SoftwareCard card = SoftwareCard.load(node.pki().issueCard(residentId), node.pki().password());
        String issuer = card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253);
        String snapshot = "{\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"" + municipality + "\",\"resident\":{"
                + "\"residentId\":\"" + residentId + "\",\"householdId\":\"H" + residentId + "\","
                + "\"familyName\":\"見本\",\"givenName\":\"一郎\",\"sex\":\"MALE\",\"birthDate\":\"1970-01-01\","
                + "\"relationship\":\"世帯主\",\"address\":\"見本県見本市1番1号\"}}\n"
                + "{\"type\":\"CARD_BIND\",\"municipalityCode\":\"" + municipality + "\",\"residentId\":\"" + residentId
                + "\",\"issuer\":\"" + issuer + "\",\"serialNumber\":\""
                + card.certificate().getSerialNumber().toString(16) + "\"}\n";
        CenterClient.Response fed = node.sync().put("/sync/v1/snapshot?municipalityCode=" + municipality
                + "&asOfSeq=10", snapshot.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(200, fed.status(), fed.text());
        String first = null;
        for (int i = 0; i < times; i++) {
            ObjectNode payload = CenterRequests.payload(municipality, "SELF", OffsetDateTime.now(CLOCK));
            CenterClient.Response issued = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(
                    "W-" + System.nanoTime(), "SEJ-0012345", CenterRequests.sign(card, payload)), "application/json");
            assertEquals(200, issued.status(), issued.text());
            String number = Json.MAPPER.readTree(issued.body()).get("issuanceNumber").asText();
            CenterClient.Response done = node.center().post("/center/v1/issuances/" + number + "/completion",
                    "{\"result\":\"PRINTED\"}".getBytes(StandardCharsets.UTF_8), "application/json");
            assertEquals(200, done.status(), done.text());
            first = first == null ? number : first;
        }
        return first;
    }

    private static List<Long> ids(String sql) {
        return node.context().getBean(jp.kofu.db.Database.class).withConnection(c -> {
            List<Long> ids = new ArrayList<>();
            try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
    }

    /** Everything of B that A must not change: its accounts, its sessions, its log rows. */
    private static String stateOfB() {
        return node.context().getBean(jp.kofu.db.Database.class).withConnection(c -> {
            StringBuilder s = new StringBuilder();
            try (var st = c.createStatement(); var rs = st.executeQuery("""
                    SELECT CONCAT_WS('|', id, login, display_name, role, password_hash, must_change_password,
                        IFNULL(totp_secret, ''), failed_logins, IFNULL(locked_until, ''), disabled)
                    FROM staff_account WHERE municipality_code = '131016' ORDER BY id""")) {
                while (rs.next()) {
                    s.append(rs.getString(1)).append('\n');
                }
            }
            try (var st = c.createStatement(); var rs = st.executeQuery("""
                    SELECT (SELECT COUNT(*) FROM staff_session WHERE staff_id IN
                               (SELECT id FROM staff_account WHERE municipality_code = '131016')),
                           (SELECT COUNT(*) FROM staff_action_log WHERE municipality_code = '131016'),
                           (SELECT COUNT(*) FROM issuance_log WHERE municipality_code = '131016'),
                           (SELECT GROUP_CONCAT(status) FROM issuance WHERE municipality_code = '131016')""")) {
                rs.next();
                s.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3))
                        .append(' ').append(rs.getString(4));
            }
            return s.toString();
        });
    }

    @Test
    void aLoginIdNamesAStaffMemberOfOneMunicipalityOnly() throws Exception {
        String a = http.signIn(A, "kanri", ConsoleFixtures.PASSWORD);
        String b = http.signIn(B, "kanri", ConsoleFixtures.PASSWORD);
        assertTrue(http.get("/console/account", a).body().contains("川口市（112038）"));
        assertTrue(http.get("/console/account", b).body().contains("千代田区（131016）"));
        String before = stateOfB();
        HttpResponse<String> added = http.post("/console/staff", a, ConsoleHttp.form("_csrf", http.csrfOf(a),
                "login", "yamada", "displayName", "川口 山田", "role", "VIEWER"));
        assertEquals(200, added.statusCode());
        assertTrue(added.body().contains("password-once"), "B's yamada does not stop A's: " + added.body());
        assertFalse(added.body().contains("既に使われています"));
        HttpResponse<String> again = http.post("/console/staff", a, ConsoleHttp.form("_csrf", http.csrfOf(a),
                "login", "yamada", "displayName", "川口 山田", "role", "VIEWER"));
        assertTrue(again.body().contains("既に使われています"), "within A, a login id is still unique");
        assertEquals(before, stateOfB());
    }

    @Test
    void wrongPasswordsNamingOneMunicipalityNeverLockAnAccountOfAnother() throws Exception {
        String before = stateOfB();
        for (int i = 1; i <= 8; i++) {
            HttpResponse<String> r = http.tryLogin(A, "b-only", "wrong-password-" + i);
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("パスワードが違います"), r.body());
            assertFalse(r.body().contains("ロック"), r.body());
        }
        assertEquals(200, http.tryLogin(A, "b-only", ConsoleFixtures.PASSWORD).statusCode(),
                "B's password names nobody of A");
        assertEquals(before, stateOfB(), "not a failure counted, not a row written for B");
        assertEquals(303, http.tryLogin(B, "b-only", ConsoleFixtures.PASSWORD).statusCode());
    }

    @Test
    void staffOfOneMunicipalityReadNothingOfAnothersLog() throws Exception {
        String a = http.signIn(A, "kanri", ConsoleFixtures.PASSWORD);
        String before = stateOfB();
        List<Long> rowsOfB = ids("SELECT id FROM issuance_log WHERE municipality_code = '131016'");
        assertFalse(rowsOfB.isEmpty());
        for (long id : rowsOfB) {
            HttpResponse<String> r = http.get("/console/issuances/" + id, a);
            assertEquals(404, r.statusCode(), "row " + id);
            assertFalse(r.body().contains(numberB), r.body());
        }
        String today = LocalDate.now(ZoneId.of("Asia/Tokyo")).toString();
        String period = "from=" + LocalDate.parse(today).minusDays(1) + "&to=" + LocalDate.parse(today).plusDays(1);
        for (String query : List.of("", "&municipality=131016", "&municipalityCode=131016",
                "&issuanceNumber=" + numberB, "&residentId=RB1", "&municipalityCode=131016&municipality_code=131016")) {
            HttpResponse<String> search = http.get("/console/issuances?" + period + query, a);
            assertEquals(200, search.statusCode());
            for (long id : rowsOfB) {
                assertFalse(search.body().contains("/console/issuances/" + id + "\""), query + ": row " + id);
            }
            if (query.contains("RB1") || query.contains(numberB)) {
                assertTrue(search.body().contains("条件に合う記録はありません"), query);
            } else {
                assertFalse(search.body().contains(numberB), query);
            }
            HttpResponse<String> csv = http.get("/console/issuances.csv?" + period + query, a);
            assertEquals(200, csv.statusCode());
            assertFalse(csv.body().contains(numberB) || csv.body().contains("RB1"), query + ": " + csv.body());
        }
        assertTrue(http.get("/console/issuances.csv?" + period, a).body().contains(numberA), "A sees its own");

        HttpResponse<String> settlement = http.get("/console/settlement?" + period + "&municipalityCode=131016", a);
        assertTrue(settlement.body().contains("200円"), "A's fee");
        assertFalse(settlement.body().contains("370円"), "B's fee is counted nowhere on A's page");

        HttpResponse<String> authenticity = http.get("/console/authenticity?number=" + numberB, a);
        assertTrue(authenticity.body().contains("この市区町村では発行されていません"), authenticity.body());
        assertFalse(authenticity.body().contains("/verify/" + numberB));

        for (String query : List.of("", "?login=kanri", "?residentId=RB1", "?action=SEARCH&login=kanri")) {
            HttpResponse<String> log = http.get("/console/staff-actions" + query, a);
            assertEquals(200, log.statusCode());
            assertFalse(log.body().contains("ZZB"), "B's search is not in A's staff action log: " + query);
        }
        HttpResponse<String> home = http.get("/console/", a);
        assertFalse(home.body().contains(numberB));
        long rowsOfA = node.count("SELECT COUNT(*) FROM issuance_log WHERE municipality_code = '112038'");
        assertTrue(rowsOfA < rowsOfB.size(), "B has more rows, so a count that included them would show");
        HttpResponse<String> integrity = http.get("/console/integrity?municipalityCode=131016", a);
        assertTrue(integrity.body().contains(">" + rowsOfA + "件<"), "only A's chain is checked: " + integrity.body());
        assertEquals(before, stateOfB());
    }

    @Test
    void anAdministratorCannotListNorChangeAnotherMunicipalitysAccounts() throws Exception {
        node.context().getBean(jp.kofu.db.Database.class).withConnection(c -> {
            try (var s = c.createStatement()) {
                return s.executeUpdate("UPDATE staff_account SET locked_until = NOW() + INTERVAL 10 MINUTE"
                        + " WHERE municipality_code = '131016' AND login = 'b-locked'");
            }
        });
        String b = http.signIn(B, "b-only", ConsoleFixtures.PASSWORD);
        String a = http.signIn(A, "kanri", ConsoleFixtures.PASSWORD);
        String before = stateOfB();
        HttpResponse<String> list = http.get("/console/staff", a);
        for (String ofB : List.of("b-only", "b-locked", "千代田")) {
            assertFalse(list.body().contains(ofB), ofB);
        }
        List<Long> accountsOfB = ids("SELECT id FROM staff_account WHERE municipality_code = '131016'");
        for (long id : accountsOfB) {
            for (String change : List.of("unlock", "reset-password", "disable", "enable", "no-such-change")) {
                HttpResponse<String> r = http.post("/console/staff/" + id + "/" + change, a,
                        ConsoleHttp.form("_csrf", http.csrfOf(a)));
                assertEquals(404, r.statusCode(), id + " " + change + ": " + r.body());
                assertFalse(r.body().contains("千代田") || r.body().contains("password-once"), r.body());
            }
            assertEquals(404, http.get("/console/staff/" + id, a).statusCode());
        }
        assertEquals(before, stateOfB(), "B's accounts, sessions and logs are as they were");
        assertTrue(http.isSignedIn(b), "B's staff member is still signed in");
    }

    @Test
    void aStrangerWhoLocksAnAccountIsNotToldSoNorWhichLoginIdsExist() throws Exception {
        // Naming B's code, wrong passwords do count against B's account (a lock of 15 minutes, in B's log) …
        for (int i = 1; i <= 6; i++) {
            for (String login : List.of("b-guessed", "b-nobody")) {
                HttpResponse<String> r = http.tryLogin(B, login, "wrong-password-" + i);
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("団体コード、ログインIDまたはパスワードが違います。"), r.body());
                assertFalse(r.body().contains("ロック"), "an existing id answers as an unknown one: " + login);
            }
        }
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_account WHERE municipality_code = '131016'"
                + " AND login = 'b-guessed' AND locked_until > NOW()"));
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE municipality_code = '131016'"
                + " AND staff_login = 'b-guessed' AND action = 'LOCKED'"), "B's 監査者 see the lock");
        // … but only the holder of the password learns why the account does not open.
        HttpResponse<String> holder = http.tryLogin(B, "b-guessed", ConsoleFixtures.PASSWORD);
        assertTrue(holder.body().contains("ロックされています"), holder.body());
    }
}
