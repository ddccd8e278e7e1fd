package jp.kofu.issuance;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import jp.kofu.http.Answers;
import jp.kofu.http.Caller;
import jp.kofu.http.LogContext;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Json;
import jp.kofu.contract.JsonFields;
import jp.kofu.contract.Refusal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /center/v1}: issuance and its completion (contract §3), the household listing (§4) and the 戸籍 listing
 * (§9). A card-signed request's lines carry its transaction id from the moment {@link CardAdmission} reads it
 * until its answer is made ({@link LogContext}).
 */
@Controller("/center/v1")
final class IssuanceController {
    private static final Pattern NUMBER = Pattern.compile("[0-9]{6}-[0-9]{8}-[0-9]{6}");
    private static final Pattern REASON = Pattern.compile("[A-Z0-9_]{1,64}");

    private final IssuanceService issuance;
    private final Completions completions;

    IssuanceController(IssuanceService issuance, Completions completions) {
        this.issuance = issuance;
        this.completions = completions;
    }

    @Post("/issuances")
    @Consumes(MediaType.ALL)
    HttpResponse<byte[]> issue(HttpRequest<?> request, @Body InputStream body) {
        try (LogContext.Scope ignored = LogContext.transactionScope()) {
            Answer answer = issuance.issue(bounded(body), Caller.of(request));
            return Answers.json(answer.status(), answer.body());
        }
    }

    @Post("/household-members")
    @Consumes(MediaType.ALL)
    HttpResponse<byte[]> listHousehold(HttpRequest<?> request, @Body InputStream body) {
        try (LogContext.Scope ignored = LogContext.transactionScope()) {
            Answer answer = issuance.listHousehold(bounded(body), Caller.of(request));
            return Answers.json(answer.status(), answer.body());
        }
    }

    @Post("/koseki-members")
    @Consumes(MediaType.ALL)
    HttpResponse<byte[]> listKoseki(HttpRequest<?> request, @Body InputStream body) {
        try (LogContext.Scope ignored = LogContext.transactionScope()) {
            Answer answer = issuance.listKoseki(bounded(body), Caller.of(request));
            return Answers.json(answer.status(), answer.body());
        }
    }

    @Post("/issuances/{issuanceNumber}/completion")
    @Consumes(MediaType.ALL)
    HttpResponse<byte[]> complete(HttpRequest<?> request, @PathVariable String issuanceNumber,
                                  @Body InputStream stream) {
        if (!NUMBER.matcher(issuanceNumber).matches()) {
            throw new Refusal(ErrorCode.ISSUANCE_NOT_FOUND, "not an issuance number");
        }
        byte[] body = bounded(stream);
        if (body.length > CardAdmission.MAX_BODY) {
            throw new Refusal(ErrorCode.MALFORMED_REQUEST, "completion body too large");
        }
        JsonFields f = new JsonFields(Json.parseObject(body, "body"), "body");
        String result = f.text("result", 16);
        boolean printed;
        String reason = null;
        if ("PRINTED".equals(result)) {
            printed = true;
        } else if ("FAILED".equals(result)) {
            printed = false;
            reason = f.optionalText("reason", 64).orElse("UNSPECIFIED");
            if (!REASON.matcher(reason).matches()) {
                throw f.malformed("reason", "must be an upper-case code such as PAPER_JAM");
            }
        } else {
            throw f.malformed("result", "must be PRINTED or FAILED");
        }
        String status = completions.complete(issuanceNumber, printed, reason, Caller.of(request));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("issuanceNumber", issuanceNumber);
        answer.put("status", status);
        return Answers.ok(answer);
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
