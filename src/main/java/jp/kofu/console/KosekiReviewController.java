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
import jp.kofu.console.account.StaffSession;
import jp.kofu.db.Database;
import jp.kofu.koseki.registration.Application;
import jp.kofu.koseki.registration.KosekiRegistrations;
import jp.kofu.koseki.registration.KosekiRegistrations.Lookup;
import jp.kofu.koseki.registration.KosekiRegistrations.RejectReason;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * For staff holding the 戸籍 review permission: the PENDING 本籍地 利用登録申請 of their municipality, oldest first,
 * with the applied 本籍・筆頭者・氏名・生年月日; approve (the 戸籍システム's person lookup must find the person) or
 * reject with a fixed reason. Every view and decision is a row of the staff action log, a decision on the
 * transaction that makes it. Applications of another municipality are "not found".
 */
@Controller(Console.PATH + "/koseki-registrations")
final class KosekiReviewController {
    private static final String WHAT = "本籍地 利用登録申請の審査";
    /** The queue shows this many at once; the rest follow as these are decided. */
    static final int PAGE = 200;

    private final KosekiRegistrations registrations;
    private final MunicipalityRegistry municipalities;
    private final StaffActionLog actions;
    private final Database db;
    private final Pages pages;
    private final Clock clock;

    KosekiReviewController(KosekiRegistrations registrations, MunicipalityRegistry municipalities,
                           StaffActionLog actions, Database db, Pages pages, Clock clock) {
        this.registrations = registrations;
        this.municipalities = municipalities;
        this.actions = actions;
        this.db = db;
        this.pages = pages;
        this.clock = clock;
    }

    @Get
    HttpResponse<?> queue(HttpRequest<?> request) {
        StaffSession s = Console.requireKosekiReviewer(request, WHAT);
        List<Application> pending = registrations.pending(s.staff().municipalityCode(), PAGE);
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.KOSEKI_QUEUE, StaffAction.Outcome.OK,
                Console.clientAddress(request)).search(null, null, pending.size()));
        return page(request, pending, new HashMap<>());
    }

    @Post("/{id}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> approve(HttpRequest<?> request, @PathVariable String id, @Body Map<String, String> form) {
        StaffSession s = Console.requireKosekiReviewer(request, WHAT);
        Console.checkCsrf(s, form.get("_csrf"));
        String code = s.staff().municipalityCode();
        Application a = registrations.pendingOne(code, id).orElseThrow(() -> ConsoleRefusal.notFound("その申請"));
        Municipality m = municipalities.find(code).orElseThrow(() -> ConsoleRefusal.notFound("その申請"));
        // An HTTP call to the 戸籍システム: before, and apart from, the transaction that records the decision.
        Lookup lookup = registrations.lookup(m, a);
        Map<String, Object> model = new HashMap<>();
        StaffAction action = StaffAction.of(s.staff(), StaffAction.Kind.KOSEKI_APPROVE, StaffAction.Outcome.FAILED,
                Console.clientAddress(request)).target(a.registrationId());
        if (lookup instanceof Lookup.Found found) {
            Instant now = clock.instant();
            boolean approved = db.inTransaction(c -> {
                boolean done = registrations.approve(c, code, a.registrationId(), found.personKey(),
                        s.staff().login(), now);
                actions.write(c, StaffAction.of(s.staff(), StaffAction.Kind.KOSEKI_APPROVE,
                        done ? StaffAction.Outcome.OK : StaffAction.Outcome.FAILED, Console.clientAddress(request))
                        .target(a.registrationId()).search(done ? "lookup=FOUND" : "lookup=FOUND,state=DECIDED",
                                null, null));
                return done;
            });
            if (approved) {
                model.put("notice", "申請 " + a.registrationId() + " を承認しました。このカードで戸籍の証明書を取得できます。");
            } else {
                model.put("error", "申請 " + a.registrationId() + " は、既に処理されたか新しい申請に置き換えられました。");
            }
        } else if (lookup instanceof Lookup.NotFound) {
            actions.write(action.search("lookup=NOT_FOUND", null, null));
            model.put("error", "申請 " + a.registrationId() + " の方は、戸籍システムで見つかりませんでした。"
                    + "本籍・筆頭者・氏名・生年月日を確かめてください。承認していません（審査待ちのままです）。");
        } else if (lookup instanceof Lookup.PendingNotification) {
            actions.write(action.search("lookup=PENDING_NOTIFICATION", null, null));
            model.put("error", "申請 " + a.registrationId() + " の方の戸籍には、まだ反映されていない届出があります。"
                    + "反映された後で、もう一度承認してください。承認していません（審査待ちのままです）。");
        } else {
            actions.write(action.search("lookup=UNAVAILABLE:" + ((Lookup.Unavailable) lookup).reason(), null, null));
            model.put("error", "戸籍システムに接続できないため、申請 " + a.registrationId() + " を承認できませんでした。"
                    + "しばらくしてからもう一度お試しください（審査待ちのままです）。");
        }
        return page(request, registrations.pending(code, PAGE), model);
    }

    @Post("/{id}/reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> reject(HttpRequest<?> request, @PathVariable String id, @Body Map<String, String> form) {
        StaffSession s = Console.requireKosekiReviewer(request, WHAT);
        Console.checkCsrf(s, form.get("_csrf"));
        String code = s.staff().municipalityCode();
        Application a = registrations.pendingOne(code, id).orElseThrow(() -> ConsoleRefusal.notFound("その申請"));
        Optional<RejectReason> reason = Arrays.stream(RejectReason.values())
                .filter(r -> r.name().equals(form.get("reason"))).findFirst();
        Map<String, Object> model = new HashMap<>();
        if (reason.isEmpty()) {
            model.put("error", "却下の理由を選んでください。");
            return page(request, registrations.pending(code, PAGE), model);
        }
        Instant now = clock.instant();
        boolean rejected = db.inTransaction(c -> {
            boolean done = registrations.reject(c, code, a.registrationId(), reason.get(), s.staff().login(), now);
            actions.write(c, StaffAction.of(s.staff(), StaffAction.Kind.KOSEKI_REJECT,
                    done ? StaffAction.Outcome.OK : StaffAction.Outcome.FAILED, Console.clientAddress(request))
                    .target(a.registrationId()).search("reason=" + reason.get().name()
                            + (done ? "" : ",state=DECIDED"), null, null));
            return done;
        });
        model.put(rejected ? "notice" : "error", rejected
                ? "申請 " + a.registrationId() + " を却下しました（理由：" + reason.get().label() + "）。申請の内容は消去しました。"
                : "申請 " + a.registrationId() + " は、既に処理されたか新しい申請に置き換えられました。");
        return page(request, registrations.pending(code, PAGE), model);
    }

    private HttpResponse<?> page(HttpRequest<?> request, List<Application> pending, Map<String, Object> model) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Application a : pending) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", a.registrationId());
            row.put("appliedAt", ConsoleDates.dateTime(a.appliedAt()));
            row.put("honseki", a.honseki());
            row.put("hittosha", a.hittosha());
            row.put("name", a.name());
            row.put("birthDate", ConsoleDates.wareki(a.birthDate()) + "（" + a.birthDate() + "）");
            rows.add(row);
        }
        model.put("applications", rows);
        model.put("reasons", RejectReason.values());
        model.put("limit", PAGE);
        return pages.page(request, "koseki-registrations", "本籍地 利用登録申請の審査", "koseki-registrations", model);
    }
}
