package jp.kofu.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffSession;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** 精算: printed issuances and fees by day, chain and certificate type; requests and refusals by hour. */
@Controller(Console.PATH)
final class SettlementController {
    private final Settlement settlement;
    private final StaffActionLog actions;
    private final Pages pages;
    private final Clock clock;

    SettlementController(Settlement settlement, StaffActionLog actions, Pages pages, Clock clock) {
        this.settlement = settlement;
        this.actions = actions;
        this.pages = pages;
        this.clock = clock;
    }

    @Get("/settlement")
    HttpResponse<?> settlement(HttpRequest<?> request) {
        StaffSession s = Console.session(request);
        Map<String, String> q = IssuanceLogController.queryOf(request);
        LocalDate today = clock.instant().atZone(ConsoleDates.TOKYO).toLocalDate();
        List<String> problems = new ArrayList<>();
        LocalDate from = SearchFilters.date(q.get("from"), "開始日", problems);
        LocalDate to = SearchFilters.date(q.get("to"), "終了日", problems);
        if (to == null) {
            to = today;
        }
        if (from == null) {
            from = to.withDayOfMonth(1);
        }
        if (from.isAfter(to)) {
            LocalDate t = from;
            from = to;
            to = t;
        }
        if (ChronoUnit.DAYS.between(from, to) >= SearchFilters.MAX_DAYS) {
            problems.add("期間は1年以内にしてください。終了日から1年間で集計しました。");
            from = to.minusDays(SearchFilters.MAX_DAYS - 1);
        }
        Settlement.Report report = settlement.report(s.staff().municipalityCode(), from, to);
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.SETTLEMENT, StaffAction.Outcome.OK,
                Console.clientAddress(request)).search("from=" + from + " to=" + to, null,
                (int) report.total().issuances()));
        Map<String, Object> model = new HashMap<>();
        model.put("from", from.toString());
        model.put("to", to.toString());
        model.put("period", ConsoleDates.wareki(from) + "から" + ConsoleDates.wareki(to) + "まで");
        model.put("problems", problems);
        model.put("report", report);
        model.put("chart", HourlyChart.of(report.issuedByHour(), report.refusedByHour(), "発行", "お断り"));
        List<Map<String, Object>> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(Map.of("hour", h + "時台", "issued", report.issuedByHour()[h],
                    "refused", report.refusedByHour()[h]));
        }
        model.put("hours", hours);
        model.put("thisMonth", today.withDayOfMonth(1).toString());
        model.put("today", today.toString());
        LocalDate lastMonth = today.withDayOfMonth(1).minusMonths(1);
        model.put("lastMonthFrom", lastMonth.toString());
        model.put("lastMonthTo", lastMonth.withDayOfMonth(lastMonth.lengthOfMonth()).toString());
        return pages.page(request, "settlement", "精算", "settlement", model);
    }
}
