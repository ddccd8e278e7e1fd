package jp.kofu.contract;

/**
 * The stable refusal codes of contract §5 (and §6), with their HTTP status and the message shown on a terminal.
 * The messages never say why a resident cannot be served: a support measure looks like any other block.
 */
public enum ErrorCode {
    MALFORMED_REQUEST(400, "要求の内容に誤りがあります。"),
    CALLER_UNAUTHENTICATED(401, "接続元を確認できません。"),
    SIGNATURE_INVALID(403, "カードの署名を確認できません。もう一度最初から操作してください。"),
    CARD_UNTRUSTED(403, "このカードの電子証明書は利用できません。"),
    CARD_EXPIRED(403, "カードの電子証明書の有効期間外です。市区町村の窓口で更新してください。"),
    CARD_REVOKED(403, "カードの電子証明書は失効しているか、一時停止されています。"),
    CARD_NOT_REGISTERED(403, "このカードではこの市区町村の証明書を取得できません。"),
    REQUEST_EXPIRED(403, "操作の有効時間を過ぎました。もう一度最初から操作してください。"),
    REPLAYED(403, "この要求は既に受け付けています。もう一度最初から操作してください。"),
    UNKNOWN_MUNICIPALITY(404, "この市区町村の証明書は取り扱っていません。"),
    ISSUANCE_NOT_FOUND(404, "該当する交付がありません。"),
    TRANSACTION_CONFLICT(409, "取引番号が別の要求で使われています。"),
    SEQUENCE_GAP(409, "異動情報の連番が連続していません。"),
    NOT_ISSUABLE(422, "この証明書はここでは発行できません。市区町村の窓口でお問い合わせください。"),
    OUTSIDE_SERVICE_HOURS(422, "ただいまサービス提供時間外です。"),
    UNSUPPORTED_CERTIFICATE(422, "選択された証明書または記載事項は、この市区町村では取り扱っていません。"),
    PAYLOAD_TOO_LARGE(413, "要求が大きすぎます。"),
    RATE_LIMITED(429, "ただいま混み合っています。しばらくしてからもう一度お試しください。"),
    TERMINAL_UNKNOWN(403, "この端末は登録されていないため、証明書を発行できません。係員にお知らせください。"),
    TERMINAL_DISABLED(403, "この端末は現在ご利用いただけません。係員にお知らせください。"),
    CALLER_FORBIDDEN(403, "この接続元からはこの操作はできません。"),
    SERVICE_UNAVAILABLE(503, "ただいま証明書を発行できません。しばらくしてからもう一度お試しください。");

    private final int status;
    private final String message;

    ErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }
}
