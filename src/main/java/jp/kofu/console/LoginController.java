package jp.kofu.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jp.kofu.console.account.ConsoleSettings;
import jp.kofu.console.account.LoginOutcome;
import jp.kofu.console.account.StaffAccount;
import jp.kofu.console.account.StaffAccounts;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffSession;
import jp.kofu.console.account.StaffSessions;
import jp.kofu.municipality.MunicipalityRegistry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Login (団体コード, login id and password, then a TOTP code when the staff member turned it on) and logout. The
 * login form carries a token that must match a cookie set with it, so that no other site can sign a clerk in to an
 * account of its own. Attempts are throttled (429) and bounded in the hashes they may run at once (503).
 */
@Controller(Console.PATH)
final class LoginController {
    private static final String LOGIN_COOKIE = "kofu_console_login";
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String WRONG = "団体コード、ログインIDまたはパスワードが違います。";
    static final String THROTTLED = "ログインの操作が短い間に続いたため、受け付けを一時止めています。"
            + "1分ほどたってから、もう一度お試しください。";
    static final String BUSY = "ただいまログインが混み合っています。数秒たってから、もう一度お試しください。";

    private final StaffAccounts accounts;
    private final StaffSessions sessions;
    private final StaffActionLog actions;
    private final ConsoleSettings settings;
    private final Pages pages;
    /** The 団体コード the form starts with: the one municipality this node serves, or none when it serves several. */
    private final MunicipalityRegistry municipalities;

    LoginController(StaffAccounts accounts, StaffSessions sessions, StaffActionLog actions, ConsoleSettings settings,
                    Pages pages, MunicipalityRegistry municipalities) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.actions = actions;
        this.settings = settings;
        this.pages = pages;
        this.municipalities = municipalities;
    }

    /** The code to fill in when one municipality is served (as of the last reload), else empty. */
    private String onlyMunicipality() {
        var all = municipalities.all();
        return all.size() == 1 ? all.iterator().next().code() : "";
    }

    @Get("/login")
    HttpResponse<?> loginForm(HttpRequest<?> request, @Nullable @QueryValue String expired,
                              @Nullable @QueryValue String bye) {
        String notice = expired != null ? "一定の時間（" + settings.idleTimeout().toMinutes()
                + "分）操作がなかったため、ログアウトしました。もう一度ログインしてください。"
                : bye != null ? "ログアウトしました。" : null;
        return loginPage(request, HttpStatus.OK, null, notice, onlyMunicipality(), "");
    }

    @Post("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> login(HttpRequest<?> request, @Body Map<String, String> form) {
        String expected = request.getCookies().findCookie(LOGIN_COOKIE).map(Cookie::getValue).orElse("");
        String login = SearchFilters.normalise(form.get("login"));
        login = login == null ? "" : login.toLowerCase(java.util.Locale.ROOT);
        String municipality = SearchFilters.normalise(form.get("municipality"));
        municipality = municipality == null ? "" : municipality;
        String shownMunicipality = municipality.matches("[0-9]{6}") ? municipality : "";
        String shownLogin = StaffAccounts.isValidLogin(login) ? login : "";
        if (expected.isEmpty() || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                String.valueOf(form.get("_login")).getBytes(StandardCharsets.US_ASCII))) {
            return loginPage(request, HttpStatus.BAD_REQUEST,
                    "画面の有効期限が切れました。もう一度ログインIDとパスワードを入力してください。", null,
                    shownMunicipality, shownLogin);
        }
        String address = Console.clientAddress(request);
        LoginOutcome outcome = accounts.checkPassword(municipality, login, form.get("password"), address);
        if (outcome instanceof LoginOutcome.Throttled) {
            return loginPage(request, HttpStatus.TOO_MANY_REQUESTS, THROTTLED, null, shownMunicipality, shownLogin)
                    .header("Retry-After", "60");
        }
        if (outcome instanceof LoginOutcome.Busy) {
            return loginPage(request, HttpStatus.SERVICE_UNAVAILABLE, BUSY, null, shownMunicipality, shownLogin)
                    .header("Retry-After", "2");
        }
        if (outcome instanceof LoginOutcome.Accepted ok) {
            request.getCookies().findCookie(Console.COOKIE).ifPresent(old -> {
                if (sessions.find(old.getValue()) instanceof StaffSessions.Lookup.Active a) {
                    sessions.end(a.session());
                }
            });
            String token = sessions.start(ok.staff(), ok.totpRequired());
            if (!ok.totpRequired()) {
                actions.write(StaffAction.of(ok.staff(), StaffAction.Kind.LOGIN, StaffAction.Outcome.OK, address));
            }
            return Console.seeOther(ok.totpRequired() ? ConsoleFilter.CODE : Console.PATH + "/")
                    .cookie(Console.sessionCookie(token));
        }
        // Only an attempt that knew the password is told that the account is locked or stopped: anyone else gets
        // the same answer as for a wrong password, so that the form says nothing of which login ids exist.
        String message = WRONG;
        if (outcome instanceof LoginOutcome.WrongCredentials wrong) {
            StaffAccount staff = wrong.staffOrNull();
            actions.write(staff == null
                    ? new StaffAction(null, null, StaffAction.Kind.LOGIN_FAILED, StaffAction.Outcome.FAILED, null,
                            "unknown login id", null, null, address)
                    : StaffAction.of(staff, StaffAction.Kind.LOGIN_FAILED, StaffAction.Outcome.FAILED, address));
            if (wrong.nowLocked()) {
                actions.write(StaffAction.of(staff, StaffAction.Kind.LOCKED, StaffAction.Outcome.OK, address));
            }
        } else if (outcome instanceof LoginOutcome.Locked locked) {
            actions.write(StaffAction.of(locked.staff(), StaffAction.Kind.LOGIN_FAILED, StaffAction.Outcome.DENIED,
                    address).target("locked"));
            if (locked.passwordRight()) {
                message = lockedMessage();
            }
        } else if (outcome instanceof LoginOutcome.Disabled disabled) {
            StaffAccount staff = disabled.staff();
            actions.write(StaffAction.of(staff, StaffAction.Kind.LOGIN_FAILED, StaffAction.Outcome.DENIED, address)
                    .target("disabled"));
            if (disabled.passwordRight()) {
                message = "このアカウントは利用が停止されています。管理者にお問い合わせください。";
            }
        } else {
            throw new IllegalStateException("unexpected login outcome " + outcome.getClass().getSimpleName());
        }
        return loginPage(request, HttpStatus.OK, message, null, shownMunicipality, shownLogin);
    }

    @Get("/login/code")
    HttpResponse<?> codeForm(HttpRequest<?> request) {
        if (!Console.session(request).totpPending()) {
            return Console.seeOther(Console.PATH + "/");
        }
        return pages.page(request, "code", "確認コードの入力", "", Map.of());
    }

    @Post("/login/code")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> code(HttpRequest<?> request, @Body Map<String, String> form) {
        StaffSession session = Console.session(request);
        Console.checkCsrf(session, form.get("_csrf"));
        if (!session.totpPending()) {
            return Console.seeOther(Console.PATH + "/");
        }
        String address = Console.clientAddress(request);
        LoginOutcome outcome = accounts.checkTotp(session.staff().id(), SearchFilters.normalise(form.get("code")),
                address);
        if (outcome instanceof LoginOutcome.Throttled) {
            return pages.page(request, HttpStatus.TOO_MANY_REQUESTS, "code", "確認コードの入力", "",
                    Map.of("error", THROTTLED)).header("Retry-After", "60");
        }
        if (outcome instanceof LoginOutcome.Accepted ok) {
            sessions.totpPassed(session);
            actions.write(StaffAction.of(ok.staff(), StaffAction.Kind.LOGIN, StaffAction.Outcome.OK, address)
                    .target("totp"));
            return Console.seeOther(Console.PATH + "/");
        }
        if (outcome instanceof LoginOutcome.WrongCredentials wrong && !wrong.nowLocked()) {
            actions.write(StaffAction.of(session.staff(), StaffAction.Kind.LOGIN_FAILED, StaffAction.Outcome.FAILED,
                    address).target("totp"));
            return pages.page(request, "code", "確認コードの入力", "",
                    Map.of("error", "確認コードが違います。アプリに表示されている6桁の数字を入力してください。"));
        }
        actions.write(StaffAction.of(session.staff(), StaffAction.Kind.LOGIN_FAILED, StaffAction.Outcome.DENIED,
                address).target("totp"));
        if (outcome instanceof LoginOutcome.WrongCredentials) {
            actions.write(StaffAction.of(session.staff(), StaffAction.Kind.LOCKED, StaffAction.Outcome.OK, address));
        }
        sessions.end(session);
        return loginPage(request, HttpStatus.OK, outcome instanceof LoginOutcome.Disabled
                ? "このアカウントは利用が停止されています。管理者にお問い合わせください。" : lockedMessage(), null,
                session.staff().municipalityCode(), session.staff().login());
    }

    @Post("/logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> logout(HttpRequest<?> request, @Body Map<String, String> form) {
        StaffSession session = Console.session(request);
        Console.checkCsrf(session, form.get("_csrf"));
        sessions.end(session);
        actions.write(StaffAction.of(session.staff(), StaffAction.Kind.LOGOUT, StaffAction.Outcome.OK,
                Console.clientAddress(request)));
        return Console.seeOther(ConsoleFilter.LOGIN + "?bye=1").cookie(Console.clearedSessionCookie());
    }

    private String lockedMessage() {
        return "パスワードを続けて間違えたため、このアカウントはロックされています。" + settings.lockoutDuration().toMinutes()
                + "分ほどたってからもう一度お試しいただくか、管理者にロックの解除を依頼してください。";
    }

    private io.micronaut.http.MutableHttpResponse<?> loginPage(HttpRequest<?> request, HttpStatus status,
                                                               String error, String notice, String municipality,
                                                               String login) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Map<String, Object> model = new HashMap<>();
        model.put("loginToken", token);
        model.put("login", login);
        model.put("municipality", municipality);
        if (error != null) {
            model.put("error", error);
        }
        if (notice != null) {
            model.put("notice", notice);
        }
        return pages.page(request, status, "login", "ログイン", "", model)
                .cookie(Cookie.of(LOGIN_COOKIE, token).path(ConsoleFilter.LOGIN).httpOnly(true).secure(true)
                        .sameSite(SameSite.Strict));
    }
}
