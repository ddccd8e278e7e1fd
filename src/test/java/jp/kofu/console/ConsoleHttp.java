package jp.kofu.console;

import jp.kofu.TestNode;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console over plain HTTPS, as a browser would talk to it: the login form's token, the session cookie, forms. */
final class ConsoleHttp {
    private final TestNode node;
    private final HttpClient http;
    private final SSLContext tls;

    ConsoleHttp(TestNode node) {
        this.node = node;
        try {
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
            tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            http = HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NEVER).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trusts the node's TLS certificate, for a raw socket. */
    SSLContext tls() {
        return tls;
    }

    String origin() {
        return node.uri().toString().replaceAll("/$", "");
    }

    HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri().resolve(path)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String cookie, String body) throws Exception {
        return post(path, cookie, HttpRequest.BodyPublishers.ofString(body));
    }

    HttpResponse<String> post(String path, String cookie, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri().resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", origin()).POST(body);
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A form body of these fields, URL-encoded. */
    static String form(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        StringBuilder s = new StringBuilder();
        m.forEach((k, v) -> s.append(s.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return s.toString();
    }

    /** Posts the login form (with its token and cookie) as a browser would; answers the response. */
    HttpResponse<String> tryLogin(String municipality, String login, String password) throws Exception {
        HttpResponse<String> page = get("/console/login", null);
        String loginCookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        Matcher token = Pattern.compile("name=\"_login\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(token.find(), page.body());
        return post("/console/login", loginCookie, form("_login", token.group(1), "municipality", municipality,
                "login", login, "password", password));
    }

    /** Signs in; answers the session cookie ({@code kofu_console=…}). */
    String signIn(String municipality, String login, String password) throws Exception {
        HttpResponse<String> r = tryLogin(municipality, login, password);
        assertEquals(303, r.statusCode(), r.body());
        return sessionCookie(r);
    }

    static String sessionCookie(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("kofu_console="))
                .findFirst().orElseThrow().split(";")[0];
    }

    /** The CSRF token of a page's forms. */
    static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    /** The CSRF token of the session, read from its home page. */
    String csrfOf(String session) throws Exception {
        return csrf(get("/console/", session).body());
    }

    /** True while the session opens pages (false once it was ended: the console answers with the login). */
    boolean isSignedIn(String session) throws Exception {
        return get("/console/issuances", session).statusCode() == 200;
    }
}
