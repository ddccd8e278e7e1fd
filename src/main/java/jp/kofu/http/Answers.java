package jp.kofu.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Json;
import jp.kofu.contract.Refusal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the JSON answers; every refusal has the form {@code {"code":…,"message":…}} (contract §5). */
public final class Answers {
    private Answers() {}

    public static MutableHttpResponse<byte[]> json(int status, byte[] body) {
        return HttpResponse.<byte[]>status(HttpStatus.valueOf(status))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .body(body);
    }

    /** Replaces the body of an answer Kofu did not write with a contract-shaped one, keeping its status. */
    @SuppressWarnings("unchecked")
    static void reshape(MutableHttpResponse<?> response, byte[] body) {
        ((MutableHttpResponse<Object>) response).body(body)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store");
    }

    public static MutableHttpResponse<byte[]> ok(Object value) {
        return json(200, Json.bytes(value));
    }

    public static byte[] refusalBody(ErrorCode code, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code.name());
        body.putAll(extra);
        body.put("message", code.message());
        return Json.bytes(body);
    }

    public static MutableHttpResponse<byte[]> refusal(Refusal r) {
        return json(r.code().status(), refusalBody(r.code(), r.extra()));
    }

    public static MutableHttpResponse<byte[]> refusal(ErrorCode code) {
        return json(code.status(), refusalBody(code, Map.of()));
    }
}
