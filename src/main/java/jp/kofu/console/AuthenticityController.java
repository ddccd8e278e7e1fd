package jp.kofu.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffSession;
import jp.kofu.verify.VerificationCodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * 真正性の確認: whether a 発行番号 printed on a certificate was issued by this municipality, and whether it was
 * printed or voided — the staff's side of {@code GET /verify/…}, with the address its QR code must hold.
 */
@Controller(Console.PATH)
final class AuthenticityController {
    private final IssuanceSearch search;
    private final VerificationCodes codes;
    private final StaffActionLog actions;
    private final Pages pages;

    AuthenticityController(IssuanceSearch search, VerificationCodes codes, StaffActionLog actions, Pages pages) {
        this.search = search;
        this.codes = codes;
        this.actions = actions;
        this.pages = pages;
    }

    @Get("/authenticity")
    HttpResponse<?> check(HttpRequest<?> request, @Nullable @QueryValue String number) {
        StaffSession s = Console.session(request);
        Map<String, Object> model = new HashMap<>();
        List<String> problems = new ArrayList<>();
        String n = SearchFilters.text(number, SearchFilters.ISSUANCE_NUMBER,
                "発行番号は「112038-20261123-000001」のように、数字6桁・8桁・6桁をハイフンでつないで入力してください。",
                problems);
        model.put("number", number == null ? "" : number);
        model.put("problems", problems);
        if (n != null) {
            var issuance = search.issuance(s.staff().municipalityCode(), n);
            actions.write(StaffAction.of(s.staff(), StaffAction.Kind.AUTHENTICITY,
                    issuance.isPresent() ? StaffAction.Outcome.OK : StaffAction.Outcome.FAILED,
                    Console.clientAddress(request)).target(n));
            model.put("checked", n);
            issuance.ifPresent(i -> {
                model.put("issuance", i);
                model.put("verifyUrl", codes.url(n));
                var day = i.issuedAt().atZone(ConsoleDates.TOKYO).toLocalDate();
                model.put("logLink", Console.PATH + "/issuances?issuanceNumber=" + i.number() + "&from=" + day
                        + "&to=" + day.plusDays(1));
            });
        }
        return pages.page(request, "authenticity", "真正性の確認", "authenticity", model);
    }
}
