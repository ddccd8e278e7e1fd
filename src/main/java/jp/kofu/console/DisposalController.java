package jp.kofu.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffSession;
import jp.kofu.db.Database;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Records or corrects the 処分情報 of the issuance a log row belongs to (交付履歴, standard 1.3.8): a 管理者 only,
 * for an issuance of their own municipality whose paper may have come out. Every attempt is in the staff action
 * log; the record and its log row are written in one transaction.
 */
@Controller(Console.PATH)
final class DisposalController {
    private static final String WHAT = "処分情報の記録";

    private final IssuanceSearch search;
    private final Disposals disposals;
    private final DetailPage detailPage;
    private final StaffActionLog actions;
    private final Database db;
    private final Pages pages;
    private final Clock clock;

    DisposalController(IssuanceSearch search, Disposals disposals, DetailPage detailPage, StaffActionLog actions,
                       Database db, Pages pages, Clock clock) {
        this.search = search;
        this.disposals = disposals;
        this.detailPage = detailPage;
        this.actions = actions;
        this.db = db;
        this.pages = pages;
        this.clock = clock;
    }

    @Post("/issuances/{id}/disposal")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> record(HttpRequest<?> request, @PathVariable String id, @Body Map<String, String> form) {
        StaffSession s = Console.require(request, DetailPage.RECORDS_DISPOSALS, WHAT);
        Console.checkCsrf(s, form.get("_csrf"));
        String code = s.staff().municipalityCode();
        Optional<LogRow> row = id.matches("[0-9]{1,18}") ? search.find(code, Long.parseLong(id)) : Optional.empty();
        Optional<IssuanceSearch.Issuance> issuance = row.map(LogRow::issuanceNumber)
                .flatMap(number -> search.issuance(code, number));
        int expected = revision(form.get("revision"));
        StaffAction.Kind kind = expected > 0 ? StaffAction.Kind.DISPOSAL_CORRECT : StaffAction.Kind.DISPOSAL_RECORD;
        if (issuance.isEmpty()) {
            // Another municipality's row, a refusal's row (nothing was issued) or no row at all: the same answer.
            actions.write(StaffAction.of(s.staff(), kind, StaffAction.Outcome.FAILED, Console.clientAddress(request))
                    .target("issuance_log:" + (id.length() > 20 ? id.substring(0, 20) : id)));
            throw ConsoleRefusal.notFound("処分情報を記録できる証明書");
        }
        String number = issuance.get().number();
        StaffAction attempt = StaffAction.of(s.staff(), kind, StaffAction.Outcome.FAILED,
                Console.clientAddress(request)).target("issuance:" + number);
        Instant now = clock.instant();
        LocalDate today = now.atZone(ConsoleDates.TOKYO).toLocalDate();
        LocalDate issuedOn = issuance.get().issuedAt().atZone(ConsoleDates.TOKYO).toLocalDate();
        Optional<Disposal.Disposition> disposition = Disposal.Disposition.parse(form.get("disposition"));
        Optional<Disposal.Reason> reason = Disposal.Reason.parse(form.get("reason"));
        Optional<LocalDate> disposedOn = date(form.get("disposedOn"));
        String note = form.get("note") == null ? "" : form.get("note").strip();
        String problem = !DetailPage.isDisposable(issuance.get())
                ? "印刷されなかった（取り消された）証明書には、処分情報を記録できません。"
                : expected < 0 ? "画面を開き直してから、もう一度操作してください。"
                : disposition.isEmpty() ? "処分を選んでください。"
                : disposedOn.isEmpty() ? "処分の日を入力してください。"
                : disposedOn.get().isAfter(today) ? "処分の日に、今日より後の日は入力できません。"
                : disposedOn.get().isBefore(issuedOn) ? "処分の日に、交付した日より前の日は入力できません。"
                : reason.isEmpty() ? "理由を選んでください。"
                : note.codePointCount(0, note.length()) > Disposal.NOTE_LIMIT
                        ? "備考は" + Disposal.NOTE_LIMIT + "文字までです。"
                : note.codePoints().anyMatch(Character::isISOControl) ? "備考に改行などの制御文字は使えません。"
                : reason.get() == Disposal.Reason.OTHER && note.isEmpty() ? "理由が「その他」のときは、備考に理由を書いてください。"
                : null;
        if (problem != null) {
            actions.write(attempt.search(describe(form, expected), null, null));
            return answer(request, s, row.get(), form, HttpStatus.UNPROCESSABLE_ENTITY, problem);
        }
        Disposal d = new Disposal(number, expected + 1, disposition.get(), disposedOn.get(), reason.get(),
                note.isEmpty() ? null : note, now, s.staff().login());
        boolean added = db.inTransaction(c -> {
            boolean done = disposals.add(c, code, expected, d);
            actions.write(c, StaffAction.of(s.staff(), kind, done ? StaffAction.Outcome.OK : StaffAction.Outcome.FAILED,
                    Console.clientAddress(request)).target("issuance:" + number)
                    .search(describe(form, expected) + (done ? "" : ",state=CHANGED"), null, null));
            return done;
        });
        if (!added) {
            return answer(request, s, row.get(), null, HttpStatus.CONFLICT,
                    "ほかの職員が先に処分情報を記録または訂正しました。今の内容を確かめてから、もう一度操作してください。");
        }
        return Console.seeOther(Console.PATH + "/issuances/" + row.get().id() + "#disposal");
    }

    private HttpResponse<?> answer(HttpRequest<?> request, StaffSession s, LogRow row, Map<String, String> form,
                                   HttpStatus status, String problem) {
        Map<String, String> typed = null;
        if (form != null) {
            typed = new HashMap<>();
            for (String key : new String[] {"revision", "disposition", "disposedOn", "reason", "note"}) {
                typed.put(key, form.getOrDefault(key, ""));
            }
        }
        Map<String, Object> model = detailPage.model(s, row, typed);
        model.put("disposalError", problem);
        return pages.page(request, status, "detail", "発行記録の詳細", "issuances", model);
    }

    /** The staff action log's words for the form: the choices and whether a note was given, never the note. */
    private static String describe(Map<String, String> form, int expected) {
        return "revision=" + (expected + 1) + ",disposition=" + token(form.get("disposition")) + ",disposedOn="
                + token(form.get("disposedOn")) + ",reason=" + token(form.get("reason")) + ",note="
                + (form.get("note") == null || form.get("note").isBlank() ? "no" : "yes");
    }

    private static String token(String value) {
        return value == null ? "" : value.replaceAll("[^A-Za-z0-9_-]", "?").substring(0, Math.min(value.length(), 24));
    }

    private static int revision(String text) {
        return text != null && text.matches("[0-9]{1,6}") ? Integer.parseInt(text) : -1;
    }

    private static Optional<LocalDate> date(String text) {
        try {
            return text == null || text.isBlank() ? Optional.empty() : Optional.of(LocalDate.parse(text.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
