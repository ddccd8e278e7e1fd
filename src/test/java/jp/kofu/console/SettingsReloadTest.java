package jp.kofu.console;

import jp.kofu.TestMunicipalities;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.console.account.StaffAccounts;
import jp.kofu.console.account.StaffRole;
import jp.kofu.contract.Json;
import jp.kofu.demo.DemoResidents;
import jp.kofu.municipality.MunicipalityRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ASP 管理者 reloads the municipalities file on every node from one node's console: each node reads its own
 * file within seconds and records what came of it; a node whose file has a bad key refuses the whole reload and keeps
 * issuing with the settings it had. A municipality's 管理者 without the ASP permission reloads nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class SettingsReloadTest {
    private static final String CITY = ConsoleFixtures.CITY;
    private static Path fileA;
    private static Path fileB;
    private static TestNode a;
    private static TestNode b;
    private static ConsoleHttp console;

    static String yaml(int fee, String more) {
        return TestMunicipalities.yaml(TestMunicipalities.kawaguchi("serviceHours: { default: \"00:00-24:00\" }\n"
                + "fees: { JUMINHYO: " + fee + ", JUMINHYO_KISAI: 200 }\n"
                + "syncClients: [\"" + MunicipalityRegistry.DEMO_SYNC_CLIENT + "\"]\n"
                + "maxFeedSilenceMinutes: 100000\n" + more));
    }

    @BeforeAll
    static void start() throws Exception {
        fileA = TestMunicipalities.file(yaml(200, ""));
        fileB = TestMunicipalities.file(yaml(200, ""));
        a = TestNode.start(Map.of("kofu.municipalities-file", fileA.toString(),
                "kofu.console.login-attempts-per-address-per-minute", 10_000), null);
        b = a.sibling(Map.of("kofu.municipalities-file", fileB.toString()), null);
        CenterClient.Response loaded = a.sync().put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=1",
                DemoResidents.snapshot(CITY, a.pki()), "application/x-ndjson");
        assertEquals(200, loaded.status(), loaded.text());
        ConsoleFixtures.addStaff(a, CITY, "asp", "ASP 担当", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(a, CITY, "kanri", "川口 管理", StaffRole.ADMIN);
        StaffAccounts accounts = a.context().getBean(StaffAccounts.class);
        accounts.setAspAdmin(accounts.find(CITY, "asp").orElseThrow().id(), true);
        console = new ConsoleHttp(a);
    }

    @AfterAll
    static void stop() throws Exception {
        TestNode.closeAll(b, a);
        Files.deleteIfExists(fileA);
        Files.deleteIfExists(fileB);
    }

    private static int fee(TestNode node) throws Exception {
        CenterClient.Response r = TypeStopTest.issue(node, "JUMINHYO");
        assertEquals(200, r.status(), r.text());
        return Json.MAPPER.readTree(r.body()).get("fee").asInt();
    }

    private static long generation() {
        return a.count("SELECT generation FROM settings_reload WHERE id = 1");
    }

    @Test
    @Order(1)
    void aMunicipalAdministratorWithoutTheAspPermissionReloadsNothing() throws Exception {
        Files.writeString(fileA, yaml(999, ""));
        String s = console.signIn(CITY, "kanri", ConsoleFixtures.PASSWORD);
        HttpResponse<String> home = console.get("/console/", s);
        assertFalse(home.body().contains("/console/settings-reload"), "no menu item");
        assertEquals(403, console.get("/console/settings-reload", s).statusCode());
        HttpResponse<String> r = console.post("/console/settings-reload", s,
                ConsoleHttp.form("_csrf", ConsoleHttp.csrf(home.body())));
        assertEquals(403, r.statusCode(), r.body());
        Thread.sleep(3000); // longer than a poll: nothing was asked, nothing is read
        assertEquals(0, generation());
        assertEquals(0, a.count("SELECT COUNT(*) FROM settings_reload_result"));
        assertEquals(200, fee(a), "the file's change waits for a reload");
        assertEquals(0, a.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'SETTINGS_RELOAD'"));
        Files.writeString(fileA, yaml(200, ""));
    }

    @Test
    @Order(2)
    void theAspAdministratorReloadsEveryNode() throws Exception {
        assertEquals(200, fee(b));
        Files.writeString(fileA, yaml(350, ""));
        Files.writeString(fileB, yaml(350, ""));
        String asp = console.signIn(CITY, "asp", ConsoleFixtures.PASSWORD);
        HttpResponse<String> page = console.get("/console/settings-reload", asp);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("/console/settings-reload"), "its menu item");
        HttpResponse<String> asked = console.post("/console/settings-reload", asp,
                ConsoleHttp.form("_csrf", ConsoleHttp.csrf(page.body())));
        assertEquals(200, asked.statusCode(), asked.body());
        assertEquals(1, generation());
        assertEquals("2", TypeStopTest.within(Duration.ofSeconds(8), () -> String.valueOf(a.count(
                "SELECT COUNT(*) FROM settings_reload_result WHERE generation = 1 AND ok")), "2"), "both nodes");
        assertEquals(350, fee(a));
        assertEquals(350, fee(b));
        HttpResponse<String> shown = console.get("/console/settings-reload", asp);
        assertTrue(shown.body().contains(nodeName(a)) && shown.body().contains(nodeName(b)), shown.body());
        assertFalse(shown.body().contains("拒否（前の設定のまま）"), shown.body());
        assertEquals(1, a.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'SETTINGS_RELOAD'"
                + " AND staff_login = 'asp'"));
    }

    @Test
    @Order(3)
    void aNodeWhoseFileHasABadKeyRefusesTheWholeReloadAndKeepsItsSettings() throws Exception {
        Files.writeString(fileA, yaml(400, ""));
        Files.writeString(fileB, yaml(-5, ""));
        String asp = console.signIn(CITY, "asp", ConsoleFixtures.PASSWORD);
        HttpResponse<String> page = console.get("/console/settings-reload", asp);
        console.post("/console/settings-reload", asp, ConsoleHttp.form("_csrf", ConsoleHttp.csrf(page.body())));
        assertEquals("2", TypeStopTest.within(Duration.ofSeconds(8), () -> String.valueOf(a.count(
                "SELECT COUNT(*) FROM settings_reload_result WHERE generation = 2")), "2"));
        assertEquals(1, a.count("SELECT COUNT(*) FROM settings_reload_result WHERE node_name = '" + nodeName(b)
                + "' AND NOT ok AND message LIKE '%municipalities[0].fees.JUMINHYO%'"));
        assertEquals(400, fee(a));
        assertEquals(350, fee(b), "node B keeps the settings it had");
        HttpResponse<String> shown = console.get("/console/settings-reload", asp);
        assertTrue(shown.body().contains("拒否（前の設定のまま）"), shown.body());
        assertTrue(shown.body().contains("municipalities[0].fees.JUMINHYO: expected a whole number of yen"),
                shown.body());
    }

    @Test
    @Order(4)
    void aSigningKeyThatCannotBeLoadedRefusesTheReload() throws Exception {
        Path garbage = fileA.resolveSibling("not-a-key-" + System.nanoTime() + ".p12");
        Files.writeString(garbage, "not a PKCS#12 file");
        try {
            Files.writeString(fileA, yaml(500, "signingKeystore: \"" + garbage + "\"\n"
                    + "signingKeystorePassword: \"secret-password-1\"\n"));
            var result = a.context().getBean(MunicipalityRegistry.class).reload();
            var refused = (MunicipalityRegistry.Reload.Refused) result;
            assertTrue(refused.message().contains(".signingKeystore"), refused.message());
            assertFalse(refused.message().contains("secret-password-1"), refused.message());
            assertEquals(400, fee(a), "the old key and settings stay");
        } finally {
            Files.deleteIfExists(garbage);
        }
    }

    /**
     * A renewed signing key is loaded and checked before it is used: an expired one, or a key that is not the
     * certificate's, refuses the reload and the old key signs on; a good one signs from the reload on.
     */
    @Test
    @Order(5)
    void aRenewedSigningKeyIsCheckedBeforeItSigns() throws Exception {
        var ca = jp.kofu.pki.CertificateAuthority.createRoot("CN=Test 公印 CA,C=JP",
                jp.kofu.pki.Validity.starting(java.time.Instant.now().minus(Duration.ofDays(400)), Duration.ofDays(800)));
        var expired = ca.issueDocumentSigning("CN=川口市長,C=JP",
                jp.kofu.pki.Validity.starting(java.time.Instant.now().minus(Duration.ofDays(60)), Duration.ofDays(30)));
        var good = ca.issueDocumentSigning("CN=川口市長,C=JP",
                jp.kofu.pki.Validity.starting(java.time.Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(365)));
        var other = ca.issueDocumentSigning("CN=川口市長,C=JP",
                jp.kofu.pki.Validity.starting(java.time.Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(365)));
        var mismatched = new jp.kofu.pki.Credential(other.privateKey(), good.chain());
        Path key = fileA.resolveSibling("kawaguchi-seal-" + System.nanoTime() + ".p12");
        var signers = a.context().getBean(jp.kofu.signing.MunicipalSigners.class);
        var registry = a.context().getBean(MunicipalityRegistry.class);
        java.security.cert.X509Certificate before = signers.forMunicipality(registry.find(CITY).orElseThrow())
                .certificate();
        try {
            Files.writeString(fileA, yaml(400, "signingKeystore: \"" + key + "\"\nsigningKeystorePassword: \"pw-1\"\n"));
            for (var credential : java.util.List.of(expired, mismatched)) {
                jp.kofu.pki.Pkcs12.write(key, credential, "pw-1".toCharArray());
                var refused = (MunicipalityRegistry.Reload.Refused) registry.reload();
                assertTrue(refused.message().contains("municipalities[0].signingKeystore: the "), refused.message());
                assertEquals(before, signers.forMunicipality(registry.find(CITY).orElseThrow()).certificate());
                assertEquals(400, fee(a));
            }
            jp.kofu.pki.Pkcs12.write(key, good, "pw-1".toCharArray());
            Files.writeString(fileA, yaml(450, "signingKeystore: \"" + key + "\"\nsigningKeystorePassword: \"pw-1\"\n"));
            assertTrue(registry.reload() instanceof MunicipalityRegistry.Reload.Done);
            assertEquals(good.certificate(), signers.forMunicipality(registry.find(CITY).orElseThrow()).certificate());
            assertEquals(450, fee(a), "issues, signed with the renewed key");
        } finally {
            Files.writeString(fileA, yaml(400, ""));
            registry.reload();
            Files.deleteIfExists(key);
        }
    }

    /** A kiosk is added and then disabled by reloads, with no restart (regression: a kiosk change needed one). */
    @Test
    @Order(6)
    void aReloadAddsAndDisablesAKiosk() throws Exception {
        String terminal = "KIOSK-112038-09";
        var registry = a.context().getBean(MunicipalityRegistry.class);
        assertEquals("TERMINAL_UNKNOWN", kioskIssue(terminal));
        String kiosk = "kiosks:\n  - terminalId: \"" + terminal + "\"\n    place: \"本庁舎\"\n    clientSubject: \""
                + jp.kofu.pki.DevPki.kioskSubject(terminal) + "\"\n";
        try {
            Files.writeString(fileA, yaml(400, kiosk));
            assertTrue(registry.reload() instanceof MunicipalityRegistry.Reload.Done);
            assertEquals("200", kioskIssue(terminal));
            Files.writeString(fileA, yaml(400, kiosk + "    enabled: false\n"));
            assertTrue(registry.reload() instanceof MunicipalityRegistry.Reload.Done);
            assertEquals("TERMINAL_DISABLED", kioskIssue(terminal));
        } finally {
            Files.writeString(fileA, yaml(400, ""));
            registry.reload();
        }
    }

    private static String kioskIssue(String terminal) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode p = jp.kofu.client.CenterRequests.payload(CITY, "SELF",
                java.time.OffsetDateTime.now());
        p.put("channel", "KIOSK");
        p.put("terminalId", terminal);
        CenterClient.Response r = a.kiosk(terminal).post("/center/v1/issuances",
                jp.kofu.client.CenterRequests.issuanceBody("K-" + java.util.UUID.randomUUID(), null,
                        jp.kofu.client.CenterRequests.sign(a.card(DemoResidents.FAMILY_HEAD), p)), "application/json");
        return r.status() == 200 ? "200" : Json.MAPPER.readTree(r.body()).get("code").asText();
    }

    private static String nodeName(TestNode node) {
        return node.context().getBean(jp.kofu.config.KofuSettings.class).nodeName();
    }
}
