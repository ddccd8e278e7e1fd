package jp.kofu.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import jp.kofu.console.account.StaffAccountException;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.console.account.StaffSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The console's error pages (a refused role is logged), and its one style sheet. */
@Controller(Console.PATH)
final class ConsoleErrors {
    private static final byte[] STYLE = resource("console/console.css");

    private final Pages pages;
    private final StaffActionLog actions;

    ConsoleErrors(Pages pages, StaffActionLog actions) {
        this.pages = pages;
        this.actions = actions;
    }

    @Error(global = true, exception = ConsoleRefusal.class)
    HttpResponse<?> refused(HttpRequest<?> request, ConsoleRefusal refusal) {
        if (refusal.isForbidden()) {
            request.getAttribute(Console.SESSION, StaffSession.class).ifPresent(s -> actions.write(
                    StaffAction.of(s.staff(), StaffAction.Kind.FORBIDDEN, StaffAction.Outcome.DENIED,
                            Console.clientAddress(request)).target(request.getPath())));
        }
        return pages.page(request, HttpStatus.valueOf(refusal.status()), "error",
                refusal.status() == 404 ? "見つかりません" : "操作を受け付けませんでした", "",
                Map.of("message", refusal.getMessage()));
    }

    @Error(global = true, exception = StaffAccountException.class)
    HttpResponse<?> account(HttpRequest<?> request, StaffAccountException e) {
        return pages.page(request, HttpStatus.UNPROCESSABLE_ENTITY, "error", "操作を受け付けませんでした", "",
                Map.of("message", e.getMessage()));
    }

    @Get("/static/console.css")
    HttpResponse<byte[]> style() {
        return HttpResponse.ok(STYLE).contentType("text/css; charset=utf-8")
                .header("Cache-Control", "max-age=3600");
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleErrors.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
