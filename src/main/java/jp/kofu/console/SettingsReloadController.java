package jp.kofu.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffSession;
import jp.kofu.municipality.SettingsReloads;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For the ASP 管理者 only: reload the municipalities file on every node and see what each node made of it
 * (docs/settings.md). The page shows node names, times and the refusal's key and problem; nothing of any
 * municipality's logs, staff or residents.
 */
@Controller(Console.PATH + "/settings-reload")
final class SettingsReloadController {
    private static final String WHAT = "設定ファイルの再読み込み";

    private final SettingsReloads reloads;
    private final StaffActionLog actions;
    private final Pages pages;

    SettingsReloadController(SettingsReloads reloads, StaffActionLog actions, Pages pages) {
        this.reloads = reloads;
        this.actions = actions;
        this.pages = pages;
    }

    @Get
    HttpResponse<?> show(HttpRequest<?> request) {
        Console.requireAspAdmin(request, WHAT);
        return page(request, new HashMap<>());
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> reload(HttpRequest<?> request, @Body Map<String, String> form) {
        StaffSession s = Console.requireAspAdmin(request, WHAT);
        Console.checkCsrf(s, form.get("_csrf"));
        long generation = reloads.requestEverywhere(s.staff().login());
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.SETTINGS_RELOAD, StaffAction.Outcome.OK,
                Console.clientAddress(request)).target("generation " + generation));
        Map<String, Object> model = new HashMap<>();
        model.put("notice", "再読み込みを依頼しました（第" + generation + "回）。数秒のうちに各ノードが自分の設定ファイルを"
                + "読み直します。結果はこの画面を開き直すと表示されます。");
        return page(request, model);
    }

    private HttpResponse<?> page(HttpRequest<?> request, Map<String, Object> model) {
        SettingsReloads.Request last = reloads.request();
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (SettingsReloads.Result r : reloads.results()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node", r.node());
            row.put("generation", r.generation());
            row.put("trigger", r.trigger() == SettingsReloads.Trigger.CONSOLE ? "管理画面" : "SIGHUP");
            row.put("at", ConsoleDates.dateTime(r.at()));
            row.put("ok", r.ok());
            row.put("result", r.ok() ? "読み込み済み" : "拒否（前の設定のまま）");
            row.put("message", r.message());
            row.put("current", r.generation() >= last.generation());
            nodes.add(row);
        }
        model.put("nodes", nodes);
        model.put("generation", last.generation());
        model.put("requestedAt", last.generation() == 0 ? "" : ConsoleDates.dateTime(last.at()));
        model.put("requestedBy", last.generation() == 0 ? "" : last.by());
        return pages.page(request, "settings-reload", WHAT, "settings-reload", model);
    }
}
