package jp.kofu.alarm;

/**
 * The kinds of alarm (docs/alarms.md), each with its Japanese label for the console, how it ends, the operations
 * logger its {@code ALARM} line goes to, and the line's words. A database that cannot be reached is not a kind: it
 * cannot be written to the database, so it stays a log line ({@code ALARM database unavailable …}).
 */
public enum AlarmKind {
    CRL_NOT_CURRENT("CRLが最新でない", Ends.WHEN_CLEARED, true, "kofu.ops.card", "no current CRL",
            "カードの失効確認ができず、その認証局のカードによる申請をお断りしています。運用事業者がCRLを更新します。"),
    TSA_DOWN("時刻認証局（TSA）の障害", Ends.WHEN_CLEARED, true, "kofu.ops.signing", "time-stamp authority failed",
            "タイムスタンプが得られず、証明書を発行できません。運用事業者が時刻認証局への接続を確認します。"),
    FEED_SILENT("住基の連携が途絶えている", Ends.WHEN_CLEARED, false, "kofu.ops.replica", "feed silent",
            "既存住基システムからの連携が届かず、発行を止めています。住基システムの送信を確認してください。"),
    KOSEKI_DOWN("戸籍システムの障害", Ends.WHEN_CLEARED, false, "kofu.ops.koseki", "戸籍システム unavailable",
            "戸籍システムへの照会が続けて失敗し、戸籍の証明書を発行できません。戸籍システムの稼働を確認してください。"),
    LOG_CHAIN_BROKEN("発行記録の改ざんの疑い", Ends.WHEN_CLEARED, false, "kofu.ops.audit", "issuance log chain broken",
            "発行記録のつながりが切れています。「ログの完全性」で場所を確かめ、運用事業者に連絡してください。"),
    CHECKPOINTS_NOT_WRITTEN("チェックポイントを書けない", Ends.WHEN_CLEARED, true, "kofu.ops.audit",
            "issuance log checkpoints not written",
            "発行記録の日次チェックポイントを書けていません。運用事業者が原因を調べます（発行は続きます）。"),
    SIGNING_KEY_EXPIRING("署名用証明書の期限が近い", Ends.WHEN_CLEARED, false, "kofu.ops.signing",
            "signing certificate expires within 30 days",
            "電子公印の署名用証明書の有効期限が30日以内です。期限までに鍵と証明書を更新してください。"),
    HOLIDAY_CALENDAR("祝日の暦が切れている", Ends.WHEN_CLEARED, true, "kofu.ops.hours", "holiday calendar has ended",
            "祝日の暦（holidays/japan.csv）が今年を含まず、平日のみの証明書を止めています。運用事業者が暦を更新します。"),
    KOSEKI_ANSWER_REFUSED("戸籍の回答の食い違い（発行せず）", Ends.WHEN_ACKNOWLEDGED, false, "kofu.ops.koseki",
            "戸籍 answer refused, nothing issued",
            "戸籍システムの回答が照会と一致せず、証明書を発行しませんでした。戸籍システムの担当に連絡してください。"),
    TRANSACTION_FAILED("発行処理の失敗（発行せず）", Ends.WHEN_ACKNOWLEDGED, false, "kofu.ops.issuance",
            "transaction failed, nothing issued",
            "処理中の障害で証明書を発行しませんでした（手数料は発生しません）。続く場合は運用事業者に連絡してください。"),
    REGISTRATION_FAILED("利用登録申請の処理の失敗", Ends.WHEN_ACKNOWLEDGED, false, "kofu.ops.koseki",
            "registration failed",
            "本籍地 利用登録申請を受け付けられませんでした。続く場合は運用事業者に連絡してください。"),
    /**
     * An error that the 証明書交付センター (J-LIS) saw and told the municipality of out of band (mail, phone, its
     * portal): there is no contract endpoint for it, so a 管理者 or 監査者 records it ({@link AlarmBook#record}) and
     * another staff member acknowledges it after checking (足立区 2023: three such notices went unheeded).
     */
    CENTER_NOTICE("交付センターからのエラー通知", Ends.WHEN_ACKNOWLEDGED, false, "kofu.ops.issuance",
            "J-LIS error notice recorded",
            "証明書交付センター（J-LIS）から届いたエラーの通知です。発行記録を確かめ、記録した職員とは別の職員が確認済みにしてください。");

    /** How a row of the kind ends. */
    public enum Ends {
        /** A condition: the row ends when a node finds the condition gone; acknowledging it only says it is seen. */
        WHEN_CLEARED,
        /** An event: occurrences add to the open row's count until a staff member acknowledges it, which ends it. */
        WHEN_ACKNOWLEDGED
    }

    private final String label;
    private final Ends ends;
    private final boolean aspWide;
    private final String logger;
    private final String words;
    private final String advice;

    AlarmKind(String label, Ends ends, boolean aspWide, String logger, String words, String advice) {
        this.advice = advice;
        this.label = label;
        this.ends = ends;
        this.aspWide = aspWide;
        this.logger = logger;
        this.words = words;
    }

    public String label() {
        return label;
    }

    public Ends ends() {
        return ends;
    }

    /** True for a condition of the whole ASP (no municipality): shown to every municipality's staff, read-only. */
    public boolean aspWide() {
        return aspWide;
    }

    /** What staff should know or do, in a sentence or two (shown on the console page). */
    public String advice() {
        return advice;
    }

    String logger() {
        return logger;
    }

    String words() {
        return words;
    }
}
