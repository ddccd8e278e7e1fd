package jp.kofu.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import jp.kofu.console.account.StaffAccounts;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffRole;
import jp.kofu.console.account.StaffSession;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** For 監査者: the staff action log (who searched, viewed, exported what) and the integrity of the issuance log. */
@Controller(Console.PATH)
final class AuditController {
    private final StaffActionSearch search;
    private final StaffActionLog actions;
    private final LogIntegrity integrity;
    private final Pages pages;
    private final Clock clock;

    AuditController(StaffActionSearch search, StaffActionLog actions, LogIntegrity integrity, Pages pages, Clock clock) {
        this.search = search;
        this.actions = actions;
        this.integrity = integrity;
        this.pages = pages;
        this.clock = clock;
    }

    @Get("/staff-actions")
    HttpResponse<?> staffActions(HttpRequest<?> request) {
        StaffSession s = Console.require(request, StaffRole.AUDITOR, "操作履歴");
        Map<String, String> q = IssuanceLogController.queryOf(request);
        LocalDate today = clock.instant().atZone(ConsoleDates.TOKYO).toLocalDate();
        List<String> problems = new ArrayList<>();
        LocalDate from = SearchFilters.date(q.get("from"), "開始日", problems);
        LocalDate to = SearchFilters.date(q.get("to"), "終了日", problems);
        to = to == null ? today : to;
        from = from == null || from.isAfter(to) ? to.minusDays(6) : from;
        String login = SearchFilters.normalise(q.get("login"));
        if (login != null && !StaffAccounts.isValidLogin(login)) {
            problems.add("ログインIDの形が正しくありません。");
            login = null;
        }
        String action = SearchFilters.normalise(q.get("action"));
        if (action != null && Arrays.stream(StaffAction.Kind.values()).noneMatch(k -> k.name().equals(q.get("action")))) {
            problems.add("操作の種類の指定が正しくありません。");
            action = null;
        }
        String resident = SearchFilters.text(q.get("residentId"), SearchFilters.RESIDENT_ID,
                "宛名番号は英数字で入力してください。", problems);
        String p = SearchFilters.normalise(q.get("page"));
        int page = p != null && p.matches("[0-9]{1,6}") ? Integer.parseInt(p) : 1;
        StaffActionSearch.Page result = search.search(s.staff().municipalityCode(), from, to, login, action, resident,
                page);
        StringBuilder described = new StringBuilder("from=" + from + " to=" + to);
        if (login != null) {
            described.append(" login=").append(login);
        }
        if (action != null) {
            described.append(" action=").append(action);
        }
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.STAFF_LOG_SEARCH, StaffAction.Outcome.OK,
                Console.clientAddress(request)).search(described + " page=" + result.page(), resident,
                (int) result.total()));
        Map<String, Object> model = new HashMap<>();
        model.put("from", from.toString());
        model.put("to", to.toString());
        model.put("login", login == null ? "" : login);
        model.put("action", action == null ? "" : action);
        model.put("residentId", resident == null ? "" : resident);
        model.put("problems", problems);
        model.put("result", result);
        Map<String, String> kinds = new LinkedHashMap<>();
        for (StaffAction.Kind k : StaffAction.Kind.values()) {
            kinds.put(k.name(), k.label());
        }
        model.put("kinds", kinds);
        model.put("period", ConsoleDates.date(from) + "〜" + ConsoleDates.date(to));
        StringBuilder query = new StringBuilder("from=" + from + "&to=" + to);
        if (login != null) {
            query.append("&login=").append(URLEncoder.encode(login, StandardCharsets.UTF_8));
        }
        if (action != null) {
            query.append("&action=").append(action);
        }
        if (resident != null) {
            query.append("&residentId=").append(URLEncoder.encode(resident, StandardCharsets.UTF_8));
        }
        model.put("query", query.toString());
        return pages.page(request, "staff-actions", "操作履歴", "staff-actions", model);
    }

    @Get("/integrity")
    HttpResponse<?> integrity(HttpRequest<?> request) {
        StaffSession s = Console.require(request, StaffRole.AUDITOR, "ログの完全性の確認");
        LogIntegrity.Result result = integrity.check(s.staff().municipalityCode());
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.INTEGRITY, StaffAction.Outcome.OK,
                Console.clientAddress(request)).target(result.state().name()));
        return pages.page(request, "integrity", "ログの完全性", "integrity", Map.of("integrity", result));
    }
}
