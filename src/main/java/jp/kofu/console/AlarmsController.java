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
import jp.kofu.alarm.CenterNotice;
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
 *
 * <p>Also the form that records a J-LIS error notice (交付センターからのエラー通知, docs/alarms.md): a row of the
 * staff member's municipality that another staff member acknowledges (four eyes). A 発行番号 it names must be an
 * issuance of that municipality; any other is refused with the answer of a number that does not exist.
 */
@Controller(Console.PATH + "/alarms")
final class AlarmsController {
    private static final String WHAT = "障害・アラーム";
    private static final String NOTICE = "交付センターからのエラー通知の記録";
    /** The answer for a 発行番号 that is not one of the municipality's issuances, whoever's it is. */
    static final String UNKNOWN_NUMBER = "この団体が発行した証明書に、その発行番号はありません。";
    private static final String[] NOTICE_FIELDS = {"receivedOn", "reference", "issuanceNumber", "note"};

    private final AlarmBook book;
    private final IssuanceSearch search;
    private final StaffActionLog actions;
    private final Pages pages;
    private final Clock clock;

    AlarmsController(AlarmBook book, IssuanceSearch search, StaffActionLog actions, Pages pages, Clock clock) {
        this.book = book;
        this.search = search;
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
        if (done instanceof AlarmBook.Acknowledgement.SameStaff) {
            model.put("error", "記録した職員は、自分で確認済みにできません。別の監査者か管理者が確かめてから確認済みにします。");
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

    @Post("/notices")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> recordNotice(HttpRequest<?> request, @Body Map<String, String> form) {
        StaffSession s = Console.require(request, StaffRole.AUDITOR, NOTICE);
        Console.checkCsrf(s, form.get("_csrf"));
        String code = s.staff().municipalityCode();
        LocalDate today = clock.instant().atZone(ConsoleDates.TOKYO).toLocalDate();
        CenterNotice.Parsed parsed = CenterNotice.parse(form.get("receivedOn"), form.get("reference"),
                form.get("issuanceNumber"), form.get("note"), today);
        String problem = parsed instanceof CenterNotice.Parsed.Invalid i ? i.problem() : null;
        if (problem == null) {
            CenterNotice n = ((CenterNotice.Parsed.Valid) parsed).notice();
            // Another municipality's number and one that does not exist get the same answer (no probing).
            if (n.issuanceNumber() != null && search.issuance(code, n.issuanceNumber()).isEmpty()) {
                problem = UNKNOWN_NUMBER;
            } else if (book.record(n, s.staff(), Console.clientAddress(request))
                    instanceof AlarmBook.Recording.Recorded r) {
                return Console.seeOther(Console.PATH + "/alarms?recorded=" + r.row().id() + "#alarm-" + r.row().id());
            } else {
                return refusedNotice(request, s, form, HttpStatus.CONFLICT, "通知番号 " + n.reference()
                        + " の通知は記録済みで、まだ確認されていません。一覧の行を確かめてください。");
            }
        }
        return refusedNotice(request, s, form, HttpStatus.UNPROCESSABLE_ENTITY, problem);
    }

    /** A notice not recorded: logged as a failed attempt (the fields' shape, never the note), the form kept. */
    private HttpResponse<?> refusedNotice(HttpRequest<?> request, StaffSession s, Map<String, String> form,
                                          HttpStatus status, String problem) {
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.CENTER_NOTICE_RECORD, StaffAction.Outcome.FAILED,
                Console.clientAddress(request)).search("received=" + token(form.get("receivedOn")) + " reference="
                + token(form.get("reference")) + " issuance=" + token(form.get("issuanceNumber")), null, null));
        Map<String, Object> model = new HashMap<>();
        Map<String, String> typed = new HashMap<>();
        for (String key : NOTICE_FIELDS) {
            typed.put(key, form.getOrDefault(key, ""));
        }
        model.put("typed", typed);
        model.put("noticeError", problem);
        return page(request, s, model, status);
    }

    /** A typed value for the staff action log: its ASCII letters, digits and - . / _ only, at most 32. */
    private static String token(String value) {
        String v = value == null ? "" : value.strip().replaceAll("[^A-Za-z0-9_./-]", "?");
        return v.length() <= 32 ? v : v.substring(0, 32);
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
        String recorded = q.get("recorded");
        if (recorded != null && open.stream().anyMatch(r -> String.valueOf(r.id()).equals(recorded)
                && r.kind() == AlarmKind.CENTER_NOTICE && r.recordedBy(s.staff().login()))) {
            model.put("notice", "交付センターからのエラー通知を記録しました。記録した人とは別の職員が、確かめてから確認済みにします。");
        }
        model.putIfAbsent("typed", Map.of("receivedOn", today.toString()));
        model.put("today", today.toString());
        model.put("noteLimit", CenterNotice.NOTE_LIMIT);
        model.put("referenceLimit", CenterNotice.REFERENCE_LIMIT);
        model.put("open", open.stream().map(r -> row(r, s)).toList());
        model.put("history", history.stream().map(r -> row(r, s)).toList());
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

    private Map<String, Object> row(AlarmRow r, StaffSession s) {
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
        m.put("acknowledgeable", r.acknowledgeableBy(s.staff().login()));
        m.put("recordedBy", r.recordedBy());
        m.put("ownRecord", r.recordedBy(s.staff().login()) && r.acknowledgeable());
        if (r.kind() == AlarmKind.CENTER_NOTICE) {
            CenterNotice.ofDetail(r.subject(), r.detail()).ifPresent(n -> m.put("notice", notice(n, s)));
        }
        return m;
    }

    /** A notice's fields for the page, its 発行番号 linked to the issuance's detail page (of this municipality). */
    private Map<String, Object> notice(CenterNotice n, StaffSession s) {
        Map<String, Object> m = new HashMap<>();
        m.put("receivedOn", ConsoleDates.date(n.receivedOn()));
        m.put("reference", n.reference());
        m.put("note", n.note());
        m.put("issuanceNumber", n.issuanceNumber());
        if (n.issuanceNumber() != null) {
            String code = s.staff().municipalityCode();
            search.issuance(code, n.issuanceNumber()).flatMap(i -> search.requestRow(code, i.number()))
                    .ifPresent(id -> m.put("issuanceLink", Console.PATH + "/issuances/" + id));
        }
        return m;
    }
}
