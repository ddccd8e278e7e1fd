package jp.kofu.console;

/**
 * A console request that is answered with an error page: a role that may not do this (403), a form without its
 * CSRF token (403), a log row of another municipality or none (404). The message is Japanese, for the clerk.
 */
final class ConsoleRefusal extends RuntimeException {
    private final int status;
    private final boolean forbidden;

    private ConsoleRefusal(int status, String message, boolean forbidden) {
        super(message, null, false, false);
        this.status = status;
        this.forbidden = forbidden;
    }

    static ConsoleRefusal forbidden(String what) {
        return new ConsoleRefusal(403, what + "は、あなたの権限では利用できません。必要な場合は管理者にご相談ください。", true);
    }

    static ConsoleRefusal staleForm() {
        return new ConsoleRefusal(403, "画面の有効期限が切れたため、操作を受け付けませんでした。画面を開き直してから、もう一度操作してください。", false);
    }

    static ConsoleRefusal notFound(String what) {
        return new ConsoleRefusal(404, what + "が見つかりません。", false);
    }

    int status() {
        return status;
    }

    /** True for a role refusal, which the staff action log records. */
    boolean isForbidden() {
        return forbidden;
    }
}
