package jp.kofu.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import jp.kofu.alarm.AlarmBook;
import jp.kofu.alarm.AlarmKind;
import jp.kofu.alarm.AlarmRow;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffRole;
import jp.kofu.console.account.StaffSession;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 障害・アラーム for 監査者 and 管理者: the open alarms of their municipality and of the whole ASP, then the ended ones
 * by period and kind; 確認 (acknowledge) of their municipality's own rows, written to the staff action log. A row of
 * another municipality is "not found"; an ASP-wide row is shown but acknowledged by no municipality (its operator
 * handles it, and one city's acknowledgement must not hide it from the others).
 */
@Controller(Console.PATH + "/alarms")
final class AlarmsController {
    private static final String WHAT = "障害・アラーム";

    private final AlarmBook book;
    private final StaffActionLog actions;
    private final Pages pages;
    private final Clock clock;

    AlarmsController(AlarmBook book, StaffActionLog actions, Pages pages, Clock clock) {
        this.book = book;
        this.actions = actions;
        this.pages = pages;
        this.clock = clock;
    }

    @Get
    HttpResponse<?> list(HttpRequest<?> request) {
        StaffSession s = Console.require(request, StaffRole.AUDITOR, WHAT);
        return page(request, s, new HashMap<>());
    }

    @Post("/{id}/acknowledge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> acknowledge(HttpRequest<?> request, @PathVariable String id, @Body Map<String, String> form) {
        StaffSession s = Console.require(request, StaffRole.AUDITOR, WHAT);
        Console.checkCsrf(s, form.get("_csrf"));
        if (!id.matches("[0-9]{1,18}")) {
            throw ConsoleRefusal.notFound("その障害・アラーム");
        }
        AlarmBook.Acknowledgement done = book.acknowledge(Long.parseLong(id), s.staff(), Console.clientAddress(request));
        Map<String, Object> model = new HashMap<>();
        if (done instanceof AlarmBook.Acknowledgement.NotFound) {
            throw ConsoleRefusal.notFound("その障害・アラーム");
        }
        if (done instanceof AlarmBook.Acknowledgement.AspWide) {
            model.put("error", "ASP全体の障害は運用事業者が対応します。この画面からは確認済みにできません。");
            return page(request, s, model, HttpStatus.FORBIDDEN);
        }
        if (done instanceof AlarmBook.Acknowledgement.Already a) {
            model.put("notice", "この障害・アラームは " + a.row().acknowledgedBy() + " さんが確認済みです。");
        } else if (done instanceof AlarmBook.Acknowledgement.Done d) {
            model.put("notice", "「" + d.row().kind().label() + "」を確認済みにしました。"
                    + (d.row().open() ? "原因が解消すると自動的に終了します。" : ""));
        }
        return page(request, s, model);
    }

    private HttpResponse<?> page(HttpRequest<?> request, StaffSession s, Map<String, Object> model) {
        return page(request, s, model, HttpStatus.OK);
    }

    private HttpResponse<?> page(HttpRequest<?> request, StaffSession s, Map<String, Object> model, HttpStatus status) {
        String code = s.staff().municipalityCode();
        Map<String, String> q = IssuanceLogController.queryOf(request);
        LocalDate today = clock.instant().atZone(ConsoleDates.TOKYO).toLocalDate();
        List<String> problems = new ArrayList<>();
        LocalDate to = SearchFilters.date(q.get("to"), "終了日", problems);
        LocalDate from = SearchFilters.date(q.get("from"), "開始日", problems);
        to = to == null ? today : to;
        from = from == null || from.isAfter(to) ? to.minusDays(29) : from;
        String kindName = SearchFilters.normalise(q.get("kind"));
        AlarmKind kind = null;
        if (kindName != null) {
            kind = Arrays.stream(AlarmKind.values()).filter(k -> k.name().equals(kindName)).findFirst().orElse(null);
            if (kind == null) {
                problems.add("障害の種類の指定が正しくありません。");
            }
        }
        List<AlarmRow> open = book.open(code);
        Instant start = from.atStartOfDay(ConsoleDates.TOKYO).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ConsoleDates.TOKYO).toInstant();
        List<AlarmRow> history = book.history(code, start, end, kind);
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.ALARM_VIEW, StaffAction.Outcome.OK,
                Console.clientAddress(request)).search("from=" + from + " to=" + to
                + (kind == null ? "" : " kind=" + kind.name()), null, open.size() + history.size()));
        model.put("open", open.stream().map(AlarmsController::row).toList());
        model.put("history", history.stream().map(AlarmsController::row).toList());
        model.put("historyFull", history.size() >= AlarmBook.MAX_HISTORY);
        model.put("from", from.toString());
        model.put("to", to.toString());
        model.put("kind", kind == null ? "" : kind.name());
        model.put("period", ConsoleDates.date(from) + "〜" + ConsoleDates.date(to));
        Map<String, String> kinds = new LinkedHashMap<>();
        for (AlarmKind k : AlarmKind.values()) {
            kinds.put(k.name(), k.label());
        }
        model.put("kinds", kinds);
        model.put("problems", problems);
        return pages.page(request, status, "alarms", WHAT, "alarms", model);
    }

    private static Map<String, Object> row(AlarmRow r) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", r.id());
        m.put("kind", r.kind().label());
        m.put("advice", r.kind().advice());
        m.put("aspWide", r.aspWide());
        m.put("subject", r.subject());
        m.put("detail", r.detail());
        m.put("started", ConsoleDates.dateTime(r.startedAt()));
        m.put("lastSeen", ConsoleDates.dateTime(r.lastSeenAt()));
        m.put("ended", r.endedAt().map(ConsoleDates::dateTime).orElse(null));
        m.put("count", r.occurrences());
        m.put("acknowledgedAt", r.acknowledgedAt().map(ConsoleDates::dateTime).orElse(null));
        m.put("acknowledgedBy", r.acknowledgedBy());
        m.put("acknowledgeable", r.acknowledgeable());
        return m;
    }
}
