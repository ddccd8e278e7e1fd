package jp.kofu.console;

import jp.kofu.TestNode;
import jp.kofu.console.account.StaffRole;
import jp.kofu.client.CenterClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's walls over plain HTTPS: nothing crosses between /console and /center, forms need their token. */
final class ConsoleAccessTest {
    private static TestNode node;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "kansa", "川口 監査", StaffRole.AUDITOR);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(node.pki().tlsCa())) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri().resolve(path)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String cookie, String form, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri().resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String origin() {
        return node.uri().toString().replaceAll("/$", "");
    }

    /** Signs in over HTTPS as a browser would; answers the session cookie. */
    private static String signIn() throws Exception {
        HttpResponse<String> form = get("/console/login", null);
        String loginCookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        Matcher token = Pattern.compile("name=\"_login\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(token.find());
        HttpResponse<String> r = post("/console/login", loginCookie, "_login=" + token.group(1)
                + "&municipality=" + ConsoleFixtures.CITY + "&login=kansa&password=" + URLEncoder.encode(ConsoleFixtures.PASSWORD, StandardCharsets.UTF_8),
                origin());
        assertEquals(303, r.statusCode(), r.body());
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("kofu_console="))
                .findFirst().orElseThrow().split(";")[0];
    }

    private static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find());
        return m.group(1);
    }

    @Test
    void theCentersCertificateOpensNothingOfTheConsole() throws Exception {
        CenterClient center = node.center();
        for (String path : List.of("/console/", "/console/issuances", "/console/issuances.csv", "/console/issuances/1",
                "/console/staff-actions", "/console/settlement")) {
            CenterClient.Response r = center.get(path);
            assertTrue(r.status() == 303 || r.status() == 200 && r.text().contains("職員ログイン"),
                    path + " answered " + r.status());
            assertTrue(!r.text().contains("発行記録の検索"), path);
        }
    }

    @Test
    void aConsoleSessionOpensNothingUnderCenterOrSync() throws Exception {
        String session = signIn();
        assertEquals(200, get("/console/issuances", session).statusCode());
        HttpResponse<String> center = post("/center/v1/issuances", session, "{}", origin());
        assertEquals(401, center.statusCode());
        assertTrue(center.body().contains("CALLER_UNAUTHENTICATED"), center.body());
        assertEquals(401, get("/sync/v1/status", session).statusCode());
        String cookie = signInCookieAttributes();
        assertTrue(cookie.contains("Path=/console"), "the browser sends the session to /console only: " + cookie);
        assertTrue(cookie.contains("Secure") && cookie.contains("HTTPOnly") && cookie.contains("SameSite=Strict"), cookie);
    }

    private static String signInCookieAttributes() throws Exception {
        HttpResponse<String> form = get("/console/login", null);
        String loginCookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        Matcher token = Pattern.compile("name=\"_login\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(token.find());
        return post("/console/login", loginCookie, "_login=" + token.group(1) + "&municipality=" + ConsoleFixtures.CITY + "&login=kansa&password="
                + URLEncoder.encode(ConsoleFixtures.PASSWORD, StandardCharsets.UTF_8), origin())
                .headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("kofu_console="))
                .findFirst().orElseThrow();
    }

    @Test
    void refusesAFormWithoutItsTokenOrFromAnotherSite() throws Exception {
        String session = signIn();
        String token = csrf(get("/console/", session).body());
        HttpResponse<String> noToken = post("/console/logout", session, "confirm=1", origin());
        assertEquals(403, noToken.statusCode());
        assertTrue(noToken.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        HttpResponse<String> elsewhere = post("/console/logout", session, "_csrf=" + token, "https://evil.example");
        assertEquals(403, elsewhere.statusCode());
        assertEquals(200, get("/console/issuances", session).statusCode(), "still signed in");
        assertEquals(303, post("/console/logout", session, "_csrf=" + token, origin()).statusCode());
        assertEquals(303, get("/console/issuances", session).statusCode(), "signed out");
    }

    @Test
    void everyConsoleAnswerForbidsScriptsFramesAndCaching() throws Exception {
        String session = signIn();
        for (String path : List.of("/console/login", "/console/", "/console/no-such-page")) {
            HttpResponse<String> r = get(path, path.endsWith("login") ? null : session);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("default-src 'none'") && !csp.contains("script-src"), path + ": " + csp);
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), path);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), path);
            assertTrue(!r.body().contains("<script"), path);
        }
        HttpResponse<String> missing = get("/console/no-such-page", session);
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("お探しのページはありません"), "an HTML page, not JSON: " + missing.body());
    }

    @Test
    void logsEachSearchWithItsFiltersAndTheResidentSearchedFor() throws Exception {
        String session = signIn();
        get("/console/issuances?result=REFUSED&residentId=R0000004", session);
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE staff_login = 'kansa' AND action = 'SEARCH'"
                + " AND resident_id = 'R0000004' AND filters LIKE '%result=REFUSED%' AND filters NOT LIKE '%R0000004%'"));
        assertTrue(node.count("SELECT COUNT(*) FROM staff_action_log WHERE staff_login = 'kansa' AND action = 'LOGIN'") >= 1);
    }

    @Test
    void refusesAFormBodyOver16KiBBeforeReadingIt() throws Exception {
        ConsoleHttp console = new ConsoleHttp(node);
        String big = "login=kansa&password=" + "x".repeat(1024 * 1024);
        HttpResponse<String> login = console.post("/console/login", null, big);
        assertEquals(413, login.statusCode(), login.body());
        assertTrue(login.body().contains("送られた内容が大きすぎます"), login.body());
        String session = signIn();
        String token = csrf(get("/console/", session).body());
        HttpResponse<String> logout = console.post("/console/logout", session,
                "_csrf=" + token + "&pad=" + "y".repeat(17 * 1024));
        assertEquals(413, logout.statusCode());
        HttpResponse<String> chunked = console.post("/console/logout", session, HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(("_csrf=" + token + "&pad=" + "z".repeat(64 * 1024))
                        .getBytes(StandardCharsets.US_ASCII))));
        assertEquals(413, chunked.statusCode(), "a body of unknown length is refused too");
        assertEquals(200, get("/console/issuances", session).statusCode(), "not logged out: the forms were not read");
        assertEquals(303, console.post("/console/logout", session, "_csrf=" + token).statusCode(),
                "a form of normal size still works");
        // The refusal comes from the headers: a client announcing 1 GiB and sending 1 KiB gets its 413 at once.
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) console.tls().getSocketFactory()
                .createSocket("localhost", node.uri().getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /console/login HTTP/1.1\r\nHost: localhost:" + node.uri().getPort()
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1073741824\r\n\r\n"
                    + "x".repeat(1024)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
        }
    }

    /** The other helper's grants make staff_action_log INSERT/SELECT-only; no code may need more. */
    @Test
    void nothingUpdatesOrDeletesTheStaffActionLog() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f).replaceAll("\\s+", " ");
                assertTrue(!Pattern.compile("(?i)(UPDATE|DELETE FROM|TRUNCATE( TABLE)?|REPLACE INTO) staff_action_log")
                        .matcher(text).find(), f.toString());
            }
        }
    }
}
