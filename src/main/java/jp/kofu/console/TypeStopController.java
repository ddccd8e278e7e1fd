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
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffRole;
import jp.kofu.console.account.StaffSession;
import jp.kofu.contract.CertificateType;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.municipality.TypeStops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For 管理者: stop and resume a certificate type of their own municipality for maintenance (contract §8, docs/
 * settings.md). A stop holds on every node within seconds ({@link TypeStops}); a type the municipalities file stops
 * is shown but can only be resumed in the file. The municipality is in the address so that a form of another
 * municipality is refused as "not found", never applied to the staff member's own.
 */
@Controller(Console.PATH + "/certificate-types")
final class TypeStopController {
    private static final String WHAT = "証明書の種類の停止・再開";

    private final MunicipalityRegistry municipalities;
    private final TypeStops stops;
    private final StaffActionLog actions;
    private final Pages pages;

    TypeStopController(MunicipalityRegistry municipalities, TypeStops stops, StaffActionLog actions, Pages pages) {
        this.municipalities = municipalities;
        this.stops = stops;
        this.actions = actions;
        this.pages = pages;
    }

    @Get
    HttpResponse<?> list(HttpRequest<?> request) {
        StaffSession s = Console.require(request, StaffRole.ADMIN, WHAT);
        return page(request, s, new HashMap<>());
    }

    @Post("/{code}/{type}/{change}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> change(HttpRequest<?> request, @PathVariable String code, @PathVariable String type,
                           @PathVariable String change, @Body Map<String, String> form) {
        StaffSession s = Console.require(request, StaffRole.ADMIN, WHAT);
        Console.checkCsrf(s, form.get("_csrf"));
        String own = s.staff().municipalityCode();
        Municipality m = municipalities.find(own).filter(x -> x.code().equals(code))
                .orElseThrow(() -> ConsoleRefusal.notFound("その市区町村"));
        CertificateType t = CertificateType.of(type).filter(m::offers)
                .orElseThrow(() -> ConsoleRefusal.notFound("その証明書の種類"));
        Map<String, Object> model = new HashMap<>();
        StaffAction.Kind kind;
        switch (change) {
            case "stop" -> {
                stops.stop(own, t, s.staff().login());
                kind = StaffAction.Kind.TYPE_STOP;
                model.put("notice", t.title() + "の交付を停止しました。数秒のうちにすべてのノードで停止します。");
            }
            case "resume" -> {
                stops.resume(own, t);
                kind = StaffAction.Kind.TYPE_RESUME;
                model.put("notice", m.isStopped(t)
                        ? t.title() + "は設定ファイル（stoppedTypes）で停止されているため、交付は再開されません。"
                        : t.title() + "の交付を再開しました。数秒のうちにすべてのノードで再開します。");
            }
            default -> throw ConsoleRefusal.notFound("その操作");
        }
        actions.write(StaffAction.of(s.staff(), kind, StaffAction.Outcome.OK, Console.clientAddress(request))
                .target(t.name()));
        return page(request, s, model);
    }

    private HttpResponse<?> page(HttpRequest<?> request, StaffSession s, Map<String, Object> model) {
        String own = s.staff().municipalityCode();
        List<Map<String, Object>> rows = new ArrayList<>();
        municipalities.find(own).ifPresent(m -> {
            Map<CertificateType, TypeStops.Stop> console = stops.of(own);
            for (CertificateType t : CertificateType.values()) {
                if (!m.offers(t)) {
                    continue;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                TypeStops.Stop stop = console.get(t);
                row.put("type", t.name());
                row.put("title", t.title());
                row.put("byFile", m.isStopped(t));
                row.put("byConsole", stop != null);
                row.put("since", stop == null ? "" : ConsoleDates.dateTime(stop.since()));
                row.put("by", stop == null ? "" : stop.by());
                row.put("state", m.isStopped(t) ? "停止中（設定ファイル）" : stop != null ? "停止中" : "交付中");
                rows.add(row);
            }
        });
        model.put("types", rows);
        model.put("code", own);
        return pages.page(request, "certificate-types", WHAT, "certificate-types", model);
    }
}
