package jp.kofu.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffRole;
import jp.kofu.console.account.StaffSession;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The home page, the search of the issuance log, a row's detail, and the CSV of a search. */
@Controller(Console.PATH)
final class IssuanceLogController {
    private final IssuanceSearch search;
    private final StaffActionLog actions;
    private final LogIntegrity integrity;
    private final Pages pages;
    private final DetailPage detailPage;
    private final Disposals disposals;
    private final Clock clock;

    IssuanceLogController(IssuanceSearch search, StaffActionLog actions, LogIntegrity integrity, Pages pages,
                          DetailPage detailPage, Disposals disposals, Clock clock) {
        this.search = search;
        this.detailPage = detailPage;
        this.disposals = disposals;
        this.actions = actions;
        this.integrity = integrity;
        this.pages = pages;
        this.clock = clock;
    }

    private LocalDate today() {
        return clock.instant().atZone(ConsoleDates.TOKYO).toLocalDate();
    }

    @Get("/")
    HttpResponse<?> home(HttpRequest<?> request) {
        StaffSession s = Console.session(request);
        LocalDate today = today();
        Map<String, Long> counts = search.countsByResult(s.staff().municipalityCode(), today);
        Map<String, Object> model = new HashMap<>();
        model.put("today", ConsoleDates.warekiWithWeekday(today));
        model.put("todayIso", today.toString());
        List<Map<String, Object>> tiles = new ArrayList<>();
        for (String result : List.of("ISSUED", "PRINTED", "REFUSED", "FAILED")) {
            tiles.add(Map.of("result", result, "label", Labels.result(result),
                    "count", counts.getOrDefault(result, 0L)));
        }
        model.put("tiles", tiles);
        if (s.staff().role().includes(StaffRole.AUDITOR)) {
            model.put("integrity", integrity.check(s.staff().municipalityCode()));
        }
        return pages.page(request, "home", "ホーム", "home", model);
    }

    @Get("/issuances")
    HttpResponse<?> list(HttpRequest<?> request) {
        StaffSession s = Console.session(request);
        SearchFilters f = SearchFilters.parse(queryOf(request), today());
        IssuanceSearch.Page page = search.search(s.staff().municipalityCode(), f);
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.SEARCH, StaffAction.Outcome.OK,
                Console.clientAddress(request)).search(f.describe() + " page=" + page.page(), f.residentId(),
                (int) Math.min(Integer.MAX_VALUE, page.total())));
        Map<String, Object> model = searchModel(f);
        model.put("result", page);
        model.put("disposed", disposals.current(s.staff().municipalityCode(), numbersOf(page.rows())).keySet());
        model.put("query", f.query());
        model.put("canExport", s.staff().role().includes(StaffRole.AUDITOR));
        return pages.page(request, "issuances", "発行記録の検索", "issuances", model);
    }

    @Get("/issuances/{id}")
    HttpResponse<?> detail(HttpRequest<?> request, @PathVariable String id) {
        StaffSession s = Console.session(request);
        Optional<LogRow> row = id.matches("[0-9]{1,18}")
                ? search.find(s.staff().municipalityCode(), Long.parseLong(id)) : Optional.empty();
        StaffAction action = StaffAction.of(s.staff(), StaffAction.Kind.VIEW,
                row.isPresent() ? StaffAction.Outcome.OK : StaffAction.Outcome.FAILED, Console.clientAddress(request))
                .target("issuance_log:" + (id.length() > 20 ? id.substring(0, 20) : id));
        actions.write(action);
        if (row.isEmpty()) {
            throw ConsoleRefusal.notFound("この記録");
        }
        return pages.page(request, "detail", "発行記録の詳細", "issuances", detailPage.model(s, row.get(), null));
    }

    @Get("/issuances.csv")
    HttpResponse<?> export(HttpRequest<?> request) {
        StaffSession s = Console.require(request, StaffRole.AUDITOR, "CSVの出力");
        SearchFilters f = SearchFilters.parse(queryOf(request), today());
        Optional<List<LogRow>> rows = search.export(s.staff().municipalityCode(), f);
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.EXPORT,
                rows.isPresent() ? StaffAction.Outcome.OK : StaffAction.Outcome.FAILED, Console.clientAddress(request))
                .search(f.describe(), f.residentId(), rows.map(List::size).orElse(null)));
        if (rows.isEmpty()) {
            Map<String, Object> model = searchModel(f);
            model.put("message", "出力できるのは" + String.format("%,d", IssuanceSearch.EXPORT_LIMIT)
                    + "件までです。期間を短くするなど、条件を絞ってから出力してください。");
            return pages.page(request, HttpStatus.UNPROCESSABLE_ENTITY, "error", "CSVを出力できません", "issuances",
                    model);
        }
        String name = "issuance-log-" + s.staff().municipalityCode() + "-" + f.from().toString().replace("-", "")
                + "-" + f.to().toString().replace("-", "") + ".csv";
        return HttpResponse.ok(csv(rows.get(), disposals.current(s.staff().municipalityCode(),
                        numbersOf(rows.get()))))
                .contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    }

    private static List<String> numbersOf(List<LogRow> rows) {
        return rows.stream().map(LogRow::issuanceNumber).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * UTF-8 with a byte order mark and CRLF line ends, so that Excel opens it with the Japanese intact. The
     * 処分情報 of a row's issuance (its current revision) is in the last six columns, added after the others so
     * that the columns before keep their places.
     */
    static byte[] csv(List<LogRow> rows, Map<String, Disposal> disposals) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.EXCEL)) {
            csv.printRecord("記録番号", "日時", "処理", "結果", "理由コード", "理由", "証明書", "交付方法", "チェーン",
                    "店舗コード", "端末ID", "取引番号", "発行番号", "請求者の宛名番号", "記載された宛名番号", "範囲",
                    "部数", "ページ数", "手数料（円）", "処分", "処分の日", "処分の理由", "処分の備考",
                    "処分の記録日時", "処分の記録者");
            for (LogRow r : rows) {
                Disposal d = r.issuanceNumber() == null ? null : disposals.get(r.issuanceNumber());
                csv.printRecord(r.id(), r.when(), r.endpointLabel(), r.resultLabel(), cell(r.code()),
                        r.code() == null ? "" : r.codeLabel(), r.certificateLabel(), r.channelLabel(), r.chain(),
                        cell(r.storeCode()), cell(r.terminalId()), cell(r.centerTransactionId()),
                        cell("ISSUED".equals(r.result()) ? r.issuanceNumbersLabel() : r.issuanceNumber()), cell(r.requesterId()), cell(r.printedIds()), r.scopeLabel(),
                        r.copies() == null ? "" : r.copies(), r.pageCount() == null ? "" : r.pageCount(),
                        r.fee() == null ? "" : r.fee(), d == null ? "" : d.disposition().label(),
                        d == null ? "" : d.disposedOn().toString(), d == null ? "" : d.reason().label(),
                        d == null ? "" : cell(d.note()), d == null ? "" : ConsoleDates.dateTime(d.recordedAt()),
                        d == null ? "" : cell(d.recordedBy()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A value Excel would take for a formula (=, +, -, @ first) is written with a leading apostrophe. */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    private static Map<String, Object> searchModel(SearchFilters f) {
        Map<String, Object> model = new HashMap<>();
        model.put("f", f);
        model.put("results", Labels.RESULTS);
        model.put("codes", Labels.CODES);
        model.put("certificates", Labels.CERTIFICATES);
        model.put("period", ConsoleDates.date(f.from()) + "〜" + ConsoleDates.date(f.to()));
        return model;
    }

    static Map<String, String> queryOf(HttpRequest<?> request) {
        Map<String, String> q = new LinkedHashMap<>();
        request.getParameters().forEach((k, v) -> {
            if (!v.isEmpty()) {
                q.put(k, v.get(0));
            }
        });
        return q;
    }
}
