package jp.kofu.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jp.kofu.console.account.StaffRole;
import jp.kofu.console.account.StaffSession;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** What every console page needs: the session of the request, role and CSRF checks, the session cookie. */
final class Console {
    static final String SESSION = "kofu.console.session";
    static final String COOKIE = "kofu_console";
    static final String PATH = "/console";

    private Console() {}

    static StaffSession session(HttpRequest<?> request) {
        return request.getAttribute(SESSION, StaffSession.class)
                .orElseThrow(() -> new IllegalStateException("console page reached without a session"));
    }

    /** The session's staff member must hold {@code role}; {@code what} names the page in the refusal. */
    static StaffSession require(HttpRequest<?> request, StaffRole role, String what) {
        StaffSession s = session(request);
        if (!s.staff().role().includes(role)) {
            throw ConsoleRefusal.forbidden(what);
        }
        return s;
    }

    /**
     * The session's staff member must hold the 戸籍 review permission (本籍地 利用登録申請), which no role implies:
     * a 管理者 without it is refused like anyone else.
     */
    static StaffSession requireKosekiReviewer(HttpRequest<?> request, String what) {
        StaffSession s = session(request);
        if (!s.staff().kosekiReviewer()) {
            throw ConsoleRefusal.forbidden(what);
        }
        return s;
    }

    /**
     * The session's staff member must be an ASP 管理者 (set only with the {@code staff} command on the server): no
     * role implies it, a municipality's 管理者 without it is refused like anyone else.
     */
    static StaffSession requireAspAdmin(HttpRequest<?> request, String what) {
        StaffSession s = session(request);
        if (!s.staff().aspAdmin()) {
            throw ConsoleRefusal.forbidden(what);
        }
        return s;
    }

    static void checkCsrf(StaffSession session, String token) {
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII),
                session.csrfToken().getBytes(StandardCharsets.US_ASCII))) {
            throw ConsoleRefusal.staleForm();
        }
    }

    static String clientAddress(HttpRequest<?> request) {
        var address = request.getRemoteAddress();
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }

    static Cookie sessionCookie(String token) {
        return Cookie.of(COOKIE, token).path(PATH).httpOnly(true).secure(true).sameSite(SameSite.Strict);
    }

    static Cookie clearedSessionCookie() {
        return Cookie.of(COOKIE, "").path(PATH).httpOnly(true).secure(true).sameSite(SameSite.Strict).maxAge(0);
    }

    /** A 303 to a console page (after a form, the browser GETs the page). */
    static io.micronaut.http.MutableHttpResponse<?> seeOther(String path) {
        return HttpResponse.seeOther(URI.create(path));
    }
}
