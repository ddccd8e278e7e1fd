package jp.kofu.http;

import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;
import jp.kofu.db.DatabaseUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The one place where failures become answers. No stack trace, SQL text or class name ever reaches a caller.
 */
@Controller
final class ErrorAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);

    @Error(global = true, exception = Refusal.class)
    HttpResponse<byte[]> refused(HttpRequest<?> request, Refusal refusal) {
        return Answers.refusal(refusal);
    }

    @Error(global = true, exception = DatabaseUnavailableException.class)
    HttpResponse<byte[]> databaseDown(HttpRequest<?> request, DatabaseUnavailableException e) {
        LOG.error("ALARM database unavailable while answering {} {}: {}", request.getMethod(), request.getPath(),
                e.getCause() == null ? "?" : e.getCause().getClass().getSimpleName());
        return Answers.refusal(ErrorCode.SERVICE_UNAVAILABLE);
    }

    @Error(global = true, exception = ContentLengthExceededException.class)
    HttpResponse<byte[]> tooLarge(HttpRequest<?> request, ContentLengthExceededException e) {
        return Answers.refusal(request.getPath().startsWith("/sync/")
                ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.MALFORMED_REQUEST);
    }

    /**
     * A controller that reads its body as a stream meets the size limit as an I/O failure of the stream; it is
     * still a body too large (413 on {@code /sync/**}, 400 elsewhere), not a failure of ours.
     */
    private static Optional<ContentLengthExceededException> tooLargeCause(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof ContentLengthExceededException c) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Error(global = true, exception = UnsatisfiedRouteException.class)
    HttpResponse<byte[]> unsatisfied(HttpRequest<?> request, UnsatisfiedRouteException e) {
        return Answers.refusal(ErrorCode.MALFORMED_REQUEST);
    }

    @Error(global = true, exception = ConversionErrorException.class)
    HttpResponse<byte[]> unconvertible(HttpRequest<?> request, ConversionErrorException e) {
        return Answers.refusal(ErrorCode.MALFORMED_REQUEST);
    }

    /** Micronaut's own refusals: no such route (404), wrong method (405), media type (415) and the like. */
    @Error(global = true, exception = HttpStatusException.class)
    HttpResponse<byte[]> httpStatus(HttpRequest<?> request, HttpStatusException e) {
        int status = e.getStatus().getCode();
        ErrorCode code = status >= 500 ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.MALFORMED_REQUEST;
        return Answers.json(status, Answers.refusalBody(code, java.util.Map.of()));
    }

    @Error(global = true, exception = Throwable.class)
    HttpResponse<byte[]> unexpected(HttpRequest<?> request, Throwable e) {
        var tooLarge = tooLargeCause(e);
        if (tooLarge.isPresent()) {
            return tooLarge(request, tooLarge.get());
        }
        LOG.error("ALARM unexpected failure answering {} {}", request.getMethod(), request.getPath(), e);
        return Answers.refusal(ErrorCode.SERVICE_UNAVAILABLE);
    }
}
