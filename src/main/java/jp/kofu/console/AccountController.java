package jp.kofu.console;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import jp.kofu.console.account.LoginOutcome;
import jp.kofu.console.account.StaffAccountException;
import jp.kofu.console.account.StaffAccounts;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffSession;
import jp.kofu.console.account.StaffSessions;
import jp.kofu.console.account.Totp;

import java.util.HashMap;
import java.util.Map;

/**
 * A staff member's own account: their password, and the TOTP code of an authenticator app (optional). Every change
 * asks for the current password again (throttled like a login) and ends the account's other sessions.
 */
@Controller(Console.PATH + "/account")
final class AccountController {
    private final StaffAccounts accounts;
    private final StaffSessions sessions;
    private final StaffActionLog actions;
    private final Pages pages;

    AccountController(StaffAccounts accounts, StaffSessions sessions, StaffActionLog actions, Pages pages) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.actions = actions;
        this.pages = pages;
    }

    /** The current password typed again: null when it is right, else why not (and the status to answer with). */
    private record Refused(HttpStatus status, String message) {}

    private Refused reauthenticate(HttpRequest<?> request, StaffSession s, String password, String wrong) {
        LoginOutcome outcome = accounts.checkCurrentPassword(s.staff(), password, Console.clientAddress(request));
        if (outcome instanceof LoginOutcome.Accepted) {
            return null;
        }
        if (outcome instanceof LoginOutcome.Throttled) {
            return new Refused(HttpStatus.TOO_MANY_REQUESTS, LoginController.THROTTLED);
        }
        if (outcome instanceof LoginOutcome.Busy) {
            return new Refused(HttpStatus.SERVICE_UNAVAILABLE, LoginController.BUSY);
        }
        return new Refused(HttpStatus.OK, wrong);
    }

    @Get
    HttpResponse<?> account(HttpRequest<?> request) {
        return page(request, new HashMap<>());
    }

    @Get("/password")
    HttpResponse<?> passwordForm(HttpRequest<?> request) {
        return passwordPage(request, new HashMap<>());
    }

    @Post("/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> changePassword(HttpRequest<?> request, @Body Map<String, String> form) {
        StaffSession s = Console.session(request);
        Console.checkCsrf(s, form.get("_csrf"));
        Map<String, Object> model = new HashMap<>();
        String next = form.get("newPassword");
        HttpStatus status = HttpStatus.OK;
        Refused refused = reauthenticate(request, s, form.get("currentPassword"), "今のパスワードが違います。");
        if (refused != null) {
            model.put("error", refused.message());
            status = refused.status();
        } else if (next == null || !next.equals(form.get("confirmPassword"))) {
            model.put("error", "新しいパスワードが、確認のために入力したものと一致しません。");
        } else if (next.equals(form.get("currentPassword"))) {
            model.put("error", "今と違うパスワードにしてください。");
        } else {
            try {
                accounts.changePassword(s.staff(), next);
                sessions.endOthers(s);
                actions.write(StaffAction.of(s.staff(), StaffAction.Kind.PASSWORD_CHANGE, StaffAction.Outcome.OK,
                        Console.clientAddress(request)));
                return Console.seeOther(Console.PATH + "/account?changed=1");
            } catch (StaffAccountException e) {
                model.put("error", e.getMessage());
            }
        }
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.PASSWORD_CHANGE, StaffAction.Outcome.FAILED,
                Console.clientAddress(request)));
        return passwordPage(request, model).status(status);
    }

    @Post("/totp")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> enableTotp(HttpRequest<?> request, @Body Map<String, String> form) {
        StaffSession s = Console.session(request);
        Console.checkCsrf(s, form.get("_csrf"));
        String secret = form.get("secret");
        Map<String, Object> model = new HashMap<>();
        if (secret == null || !secret.matches("[A-Z2-7]{32}")) {
            return page(request, model);
        }
        model.put("secret", secret);
        Refused refused = reauthenticate(request, s, form.get("currentPassword"),
                "パスワードが違います。確認コードは設定していません。");
        if (refused == null && accounts.enableTotp(s.staff().id(), secret, SearchFilters.normalise(form.get("code")))) {
            sessions.endOthers(s);
            actions.write(StaffAction.of(s.staff(), StaffAction.Kind.TOTP_ENABLE, StaffAction.Outcome.OK,
                    Console.clientAddress(request)));
            return Console.seeOther(Console.PATH + "/account?totp=1");
        }
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.TOTP_ENABLE, StaffAction.Outcome.FAILED,
                Console.clientAddress(request)));
        model.put("totpError", refused != null ? refused.message()
                : "確認コードが違います。アプリに表示されている6桁の数字を入力してください。");
        return page(request, model).status(refused == null ? HttpStatus.OK : refused.status());
    }

    @Post("/totp/off")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> disableTotp(HttpRequest<?> request, @Body Map<String, String> form) {
        StaffSession s = Console.session(request);
        Console.checkCsrf(s, form.get("_csrf"));
        Refused refused = reauthenticate(request, s, form.get("currentPassword"),
                "パスワードが違います。確認コードは解除していません。");
        if (refused != null) {
            actions.write(StaffAction.of(s.staff(), StaffAction.Kind.TOTP_DISABLE, StaffAction.Outcome.FAILED,
                    Console.clientAddress(request)));
            Map<String, Object> model = new HashMap<>();
            model.put("totpError", refused.message());
            return page(request, model).status(refused.status());
        }
        accounts.disableTotp(s.staff().id());
        sessions.endOthers(s);
        actions.write(StaffAction.of(s.staff(), StaffAction.Kind.TOTP_DISABLE, StaffAction.Outcome.OK,
                Console.clientAddress(request)));
        return Console.seeOther(Console.PATH + "/account?totpOff=1");
    }

    private io.micronaut.http.MutableHttpResponse<?> page(HttpRequest<?> request, Map<String, Object> model) {
        StaffSession s = Console.session(request);
        var staff = accounts.find(s.staff().id()).orElseThrow();
        model.put("totpEnabled", staff.totpEnabled());
        if (request.getParameters().contains("changed")) {
            model.put("notice", "パスワードを変更しました。");
        } else if (request.getParameters().contains("totp")) {
            model.put("notice", "確認コードを設定しました。次回のログインから、パスワードの後に確認コードを入力します。");
        } else if (request.getParameters().contains("totpOff")) {
            model.put("notice", "確認コードを解除しました。");
        }
        if (!staff.totpEnabled()) {
            String secret = (String) model.computeIfAbsent("secret", k -> Totp.newSecret());
            String uri = Totp.provisioningUri(secret, staff.login(), "Kofu " + pages.municipalityName(
                    staff.municipalityCode()));
            model.put("secretGroups", secret.replaceAll("(.{4})(?!$)", "$1 "));
            model.putAll(qr(uri));
        }
        return pages.page(request, "account", "自分のアカウント", "account", model);
    }

    private io.micronaut.http.MutableHttpResponse<?> passwordPage(HttpRequest<?> request, Map<String, Object> model) {
        model.put("first", Console.session(request).staff().mustChangePassword());
        model.put("minimum", 12);
        return pages.page(request, "password", "パスワードの変更", "account", model);
    }

    /** The QR code of {@code text} as the path data of one SVG path, one unit per module, with a quiet zone. */
    static Map<String, Object> qr(String text) {
        try {
            BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.MARGIN, 0));
            StringBuilder d = new StringBuilder();
            for (int y = 0; y < m.getHeight(); y++) {
                for (int x = 0; x < m.getWidth(); x++) {
                    if (m.get(x, y)) {
                        d.append('M').append(x + 4).append(' ').append(y + 4).append("h1v1h-1z");
                    }
                }
            }
            int size = m.getWidth() + 8;
            return Map.of("qrPath", d.toString(), "qrSize", size);
        } catch (WriterException e) {
            throw new IllegalStateException("QR code", e);
        }
    }
}
