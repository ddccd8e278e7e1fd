package jp.kofu.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import jp.kofu.console.account.Passwords;
import jp.kofu.console.account.StaffAccount;
import jp.kofu.console.account.StaffAccountException;
import jp.kofu.console.account.StaffAccounts;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffRole;
import jp.kofu.console.account.StaffSession;
import jp.kofu.console.account.StaffSessions;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For 管理者: the staff accounts of their municipality — add one (its first password is shown once, to be changed
 * at the first login), unlock, issue a new password, stop and resume.
 */
@Controller(Console.PATH + "/staff")
final class StaffAdminController {
    private static final String WHAT = "職員アカウントの管理";

    private final StaffAccounts accounts;
    private final StaffSessions sessions;
    private final StaffActionLog actions;
    private final Pages pages;
    private final Clock clock;

    StaffAdminController(StaffAccounts accounts, StaffSessions sessions, StaffActionLog actions, Pages pages,
                         Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.actions = actions;
        this.pages = pages;
        this.clock = clock;
    }

    @Get
    HttpResponse<?> list(HttpRequest<?> request) {
        StaffSession s = Console.require(request, StaffRole.ADMIN, WHAT);
        return page(request, s, new HashMap<>());
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> add(HttpRequest<?> request, @Body Map<String, String> form) {
        StaffSession s = Console.require(request, StaffRole.ADMIN, WHAT);
        Console.checkCsrf(s, form.get("_csrf"));
        Map<String, Object> model = new HashMap<>();
        String login = String.valueOf(SearchFilters.normalise(form.get("login"))).toLowerCase(java.util.Locale.ROOT);
        StaffRole role = StaffRole.parse(form.get("role")).orElse(null);
        try {
            if (role == null) {
                throw new StaffAccountException("権限を選んでください。");
            }
            String password = Passwords.generate();
            StaffAccount added = accounts.add(s.staff().municipalityCode(), login, form.get("displayName"), role,
                    password, true);
            actions.write(StaffAction.of(s.staff(), StaffAction.Kind.STAFF_ADD, StaffAction.Outcome.OK,
                    Console.clientAddress(request)).target(added.login()).search("role=" + role.name(), null, null));
            model.put("issued", Map.of("login", added.login(), "name", added.displayName(), "password", password));
        } catch (StaffAccountException e) {
            actions.write(StaffAction.of(s.staff(), StaffAction.Kind.STAFF_ADD, StaffAction.Outcome.FAILED,
                    Console.clientAddress(request)).target(StaffAccounts.isValidLogin(login) ? login : null));
            model.put("error", e.getMessage());
            model.put("form", Map.of("login", login.equals("null") ? "" : login,
                    "displayName", String.valueOf(form.getOrDefault("displayName", "")),
                    "role", role == null ? "" : role.name()));
        }
        return page(request, s, model);
    }

    @Post("/{id}/{change}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> change(HttpRequest<?> request, @PathVariable String id, @PathVariable String change,
                           @Body Map<String, String> form) {
        StaffSession s = Console.require(request, StaffRole.ADMIN, WHAT);
        Console.checkCsrf(s, form.get("_csrf"));
        StaffAccount target = (id.matches("[0-9]{1,18}") ? accounts.find(Long.parseLong(id)) : java.util.Optional.<StaffAccount>empty())
                .filter(a -> a.municipalityCode().equals(s.staff().municipalityCode()))
                .orElseThrow(() -> ConsoleRefusal.notFound("その職員アカウント"));
        Map<String, Object> model = new HashMap<>();
        StaffAction.Kind kind;
        switch (change) {
            case "unlock" -> {
                accounts.unlock(target.id());
                kind = StaffAction.Kind.STAFF_UNLOCK;
                model.put("notice", target.displayName() + "さんのロックを解除しました。");
            }
            case "reset-password" -> {
                String password = accounts.resetPassword(target.id());
                sessions.endAll(target.id());
                kind = StaffAction.Kind.STAFF_RESET_PASSWORD;
                model.put("issued", Map.of("login", target.login(), "name", target.displayName(), "password", password));
            }
            case "disable", "enable" -> {
                if (target.id() == s.staff().id()) {
                    model.put("error", "ご自分のアカウントは停止できません。");
                    return page(request, s, model);
                }
                boolean disable = change.equals("disable");
                accounts.setDisabled(target.id(), disable);
                if (disable) {
                    sessions.endAll(target.id());
                }
                kind = disable ? StaffAction.Kind.STAFF_DISABLE : StaffAction.Kind.STAFF_ENABLE;
                model.put("notice", target.displayName() + "さんのアカウントの利用を" + (disable ? "停止" : "再開")
                        + "しました。");
            }
            case "grant-koseki-review", "revoke-koseki-review" -> {
                boolean grant = change.startsWith("grant");
                accounts.setKosekiReviewer(target.id(), grant);
                kind = grant ? StaffAction.Kind.STAFF_GRANT_KOSEKI_REVIEW : StaffAction.Kind.STAFF_REVOKE_KOSEKI_REVIEW;
                model.put("notice", target.displayName() + "さんの戸籍審査（本籍地 利用登録申請）の権限を"
                        + (grant ? "付与しました。" : "取り消しました。"));
            }
            default -> throw ConsoleRefusal.notFound("その操作");
        }
        actions.write(StaffAction.of(s.staff(), kind, StaffAction.Outcome.OK, Console.clientAddress(request))
                .target(target.login()));
        return page(request, s, model);
    }

    private HttpResponse<?> page(HttpRequest<?> request, StaffSession s, Map<String, Object> model) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (StaffAccount a : accounts.list(s.staff().municipalityCode())) {
            Map<String, Object> row = new HashMap<>();
            row.put("id", a.id());
            row.put("login", a.login());
            row.put("name", a.displayName());
            row.put("role", a.role().label());
            row.put("locked", a.lockedAt(clock.instant()));
            row.put("disabled", a.disabled());
            row.put("totp", a.totpEnabled());
            row.put("kosekiReviewer", a.kosekiReviewer());
            row.put("self", a.id() == s.staff().id());
            row.put("state", a.disabled() ? "停止中" : a.lockedAt(clock.instant()) ? "ロック中"
                    : a.mustChangePassword() ? "初回ログイン待ち" : "利用中");
            rows.add(row);
        }
        model.put("accounts", rows);
        model.putIfAbsent("form", Map.of("login", "", "displayName", "", "role", "VIEWER"));
        model.put("roles", StaffRole.values());
        return pages.page(request, "staff", "職員アカウントの管理", "staff", model);
    }
}
