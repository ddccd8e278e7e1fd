package jp.kofu.contract;

import java.util.Map;

/**
 * A request answered with one of the contract's codes. Thrown anywhere below a controller and turned into the
 * JSON answer in one place ({@link ErrorAnswers}). {@code detail} is for the operations log only and must not
 * contain personal data; {@code extra} adds fields to the answer (e.g. {@code line}, {@code expectedSeq}).
 */
public final class Refusal extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> extra;

    public Refusal(ErrorCode code, String detail) {
        this(code, detail, Map.of());
    }

    public Refusal(ErrorCode code, String detail, Map<String, Object> extra) {
        super(detail, null, false, false);
        this.code = code;
        this.extra = Map.copyOf(extra);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> extra() {
        return extra;
    }
}
