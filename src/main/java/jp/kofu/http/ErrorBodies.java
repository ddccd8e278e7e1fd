package jp.kofu.http;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import jp.kofu.contract.ErrorCode;

import java.util.Map;

/**
 * Gives the errors Micronaut answers by itself (no such route, wrong method or media type) the contract's form
 * {@code {"code":…,"message":…}}. Kofu's own answers are already JSON bytes and pass unchanged.
 */
@ServerFilter("/**")
final class ErrorBodies {
    @ResponseFilter
    void shape(MutableHttpResponse<?> response) {
        int status = response.getStatus().getCode();
        if (status < 400 || response.getBody().filter(byte[].class::isInstance).isPresent()) {
            return;
        }
        ErrorCode code = status >= 500 ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.MALFORMED_REQUEST;
        Answers.reshape(response, Answers.refusalBody(code, Map.of()));
    }
}
