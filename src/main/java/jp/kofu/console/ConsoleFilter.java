package jp.kofu.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.ConsoleSettings;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffSessions;

import java.util.Map;
import java.util.Optional;

/**
 * The gate of {@code /console/**}: a request without a live session goes to the login page; a session still owing
 * its TOTP code or a new password goes to that page; a POST from another origin is refused. Every console answer
 * gets headers that keep it out of caches and frames and forbid any script or outside resource; an error answer
 * of the service's JSON kind becomes an HTML page, so a clerk never sees JSON.
 */
@ServerFilter(Console.PATH + "/**")
final class ConsoleFilter {
    static final String LOGIN = Console.PATH + "/login";
    static final String CODE = Console.PATH + "/login/code";
    static final String LOGOUT = Console.PATH + "/logout";
    static final String PASSWORD = Console.PATH + "/account/password";
    private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final StaffSessions sessions;
    private final StaffActionLog actions;
    private final Pages pages;
    private final long maxFormBytes;

    ConsoleFilter(StaffSessions sessions, StaffActionLog actions, Pages pages, ConsoleSettings settings) {
        this.sessions = sessions;
        this.actions = actions;
        this.pages = pages;
        this.maxFormBytes = settings.maxFormBytes();
    }

    /**
     * A console form is a few hundred bytes: a POST (or any request with a body) longer than
     * {@code kofu.console.max-form-bytes}, or of unknown length, is refused from its headers, before its body is
     * read (the server's own limit is the sync feed's 8 GiB).
     */
    @RequestFilter
    @Nullable
    HttpResponse<?> limitBody(HttpRequest<?> request) {
        boolean chunked = request.getHeaders().get("Transfer-Encoding") != null;
        long length = request.getContentLength();
        boolean bodied = request.getMethod() == HttpMethod.POST || request.getMethod() == HttpMethod.PUT
                || request.getMethod() == HttpMethod.PATCH;
        if (length > maxFormBytes || (chunked && length < 0 && bodied)) {
            return pages.page(request, HttpStatus.REQUEST_ENTITY_TOO_LARGE, "error", "操作を受け付けませんでした", "",
                    Map.of("message", "送られた内容が大きすぎます。画面を開き直してから、もう一度操作してください。"));
        }
        return null;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> authenticate(HttpRequest<?> request) {
        String path = request.getPath();
        if (request.getMethod() == HttpMethod.POST && !sameOrigin(request)) {
            return pages.page(request, HttpStatus.FORBIDDEN, "error", "操作を受け付けませんでした", "",
                    Map.of("message", "別の画面から送られた操作は受け付けません。"));
        }
        if (path.equals(LOGIN) || path.startsWith(Console.PATH + "/static/")) {
            return null;
        }
        String token = request.getCookies().findCookie(Console.COOKIE).map(Cookie::getValue).orElse(null);
        StaffSessions.Lookup lookup = sessions.find(token);
        if (lookup instanceof StaffSessions.Lookup.Expired expired) {
            actions.write(StaffAction.of(expired.staff(), StaffAction.Kind.SESSION_EXPIRED, StaffAction.Outcome.OK,
                    Console.clientAddress(request)));
            return Console.seeOther(LOGIN + "?expired=1").cookie(Console.clearedSessionCookie());
        }
        if (!(lookup instanceof StaffSessions.Lookup.Active active)) {
            return Console.seeOther(LOGIN);
        }
        var session = active.session();
        request.setAttribute(Console.SESSION, session);
        if (path.equals(LOGOUT)) {
            return null;
        }
        if (session.totpPending() && !path.equals(CODE)) {
            return Console.seeOther(CODE);
        }
        if (!session.totpPending() && session.staff().mustChangePassword() && !path.equals(PASSWORD)) {
            return Console.seeOther(PASSWORD);
        }
        return null;
    }

    @ResponseFilter
    void harden(HttpRequest<?> request, MutableHttpResponse<?> response) {
        boolean ours = response.getBody().filter(byte[].class::isInstance).isPresent()
                && response.getContentType().filter(t -> t.getName().equals(MediaType.TEXT_HTML)).isPresent();
        if (response.getStatus().getCode() >= 400 && !ours) {
            int status = response.getStatus().getCode();
            String message = status == 404 ? "お探しのページはありません。上のメニューから選んでください。"
                    : status == 503 ? "ただいまデータベースに接続できません。しばらくしてからもう一度お試しください。"
                    : "この操作は受け付けられませんでした。画面を開き直してから、もう一度お試しください。";
            MutableHttpResponse<byte[]> page = pages.page(request, HttpStatus.valueOf(status), "error",
                    status == 404 ? "見つかりません" : "エラー", "", Map.of("message", message));
            ((MutableHttpResponse<Object>) response).body(page.body());
            response.contentType(Pages.HTML);
        }
        var h = response.getHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "same-origin");
        if (!request.getPath().startsWith(Console.PATH + "/static/")) {
            h.set("Cache-Control", "no-store");
        }
    }

    /**
     * A POST must come from a page of this host: by the Origin header, or by Sec-Fetch-Site when the browser sends
     * no Origin or "null" (it may, under a strict referrer policy).
     */
    private static boolean sameOrigin(HttpRequest<?> request) {
        Optional<String> origin = Optional.ofNullable(request.getHeaders().get("Origin")).filter(o -> !o.equals("null"));
        Optional<String> host = Optional.ofNullable(request.getHeaders().get("Host"));
        if (origin.isPresent()) {
            return host.isPresent() && origin.get().equals("https://" + host.get());
        }
        String site = request.getHeaders().get("Sec-Fetch-Site");
        return site == null || site.equals("same-origin") || site.equals("none");
    }
}
