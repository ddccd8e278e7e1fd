package jp.kofu.koseki.registration;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import jp.kofu.http.Answers;
import jp.kofu.http.Caller;
import jp.kofu.http.LogContext;
import jp.kofu.issuance.CardAdmission;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code /center/v1/koseki-registrations}: 本籍地 利用登録申請 and its status (contract §9). */
@Controller("/center/v1/koseki-registrations")
final class KosekiRegistrationController {
    private final RegistrationDesk desk;

    KosekiRegistrationController(RegistrationDesk desk) {
        this.desk = desk;
    }

    @Post
    @Consumes(MediaType.ALL)
    HttpResponse<byte[]> apply(HttpRequest<?> request, @Body InputStream body) {
        try (LogContext.Scope ignored = LogContext.transactionScope()) {
            RegistrationDesk.Answer answer = desk.apply(bounded(body), Caller.of(request));
            return Answers.json(answer.status(), answer.body());
        }
    }

    @Get("/{registrationId}")
    HttpResponse<byte[]> status(HttpRequest<?> request, @PathVariable String registrationId) {
        RegistrationDesk.Answer answer = desk.status(registrationId, Caller.of(request));
        return Answers.json(answer.status(), answer.body());
    }

    /** Reads at most one byte more than the 64 KiB limit, so an oversize body is never held whole. */
    private static byte[] bounded(InputStream body) {
        try (body) {
            return body.readNBytes(CardAdmission.MAX_BODY + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("request body could not be read", e);
        }
    }
}
