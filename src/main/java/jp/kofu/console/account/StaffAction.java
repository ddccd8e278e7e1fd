package jp.kofu.console.account;

/**
 * One row of the staff action log (操作者ログ). No personal data beyond {@code residentId}, the 宛名番号 a staff
 * member searched for.
 *
 * @param municipalityCode the staff member's municipality; null for a failed login with an unknown login id
 * @param staffLogin       who acted; null when the login id typed was unknown (it may be a mistyped password)
 * @param target           the log row, issuance number or account acted on
 * @param filters          the search filters as {@code key=value} pairs, without the resident id
 */
public record StaffAction(
        String municipalityCode,
        String staffLogin,
        Kind kind,
        Outcome outcome,
        String target,
        String filters,
        String residentId,
        Integer resultCount,
        String clientAddress) {

    public static StaffAction of(StaffAccount staff, Kind kind, Outcome outcome, String clientAddress) {
        return new StaffAction(staff.municipalityCode(), staff.login(), kind, outcome, null, null, null, null,
                clientAddress);
    }

    public StaffAction target(String value) {
        return new StaffAction(municipalityCode, staffLogin, kind, outcome, value, filters, residentId, resultCount,
                clientAddress);
    }

    public StaffAction search(String filterText, String resident, Integer count) {
        return new StaffAction(municipalityCode, staffLogin, kind, outcome, target, filterText, resident, count,
                clientAddress);
    }

    public enum Outcome {
        OK("成功"), FAILED("失敗"), DENIED("拒否");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public enum Kind {
        LOGIN("ログイン"),
        LOGIN_FAILED("ログイン失敗"),
        LOCKED("アカウントのロック"),
        LOGOUT("ログアウト"),
        SESSION_EXPIRED("無操作による終了"),
        SEARCH("発行記録の検索"),
        VIEW("発行記録の閲覧"),
        EXPORT("CSVの出力"),
        SETTLEMENT("精算の表示"),
        AUTHENTICITY("真正性の確認"),
        STAFF_LOG_SEARCH("操作履歴の検索"),
        INTEGRITY("ログの完全性の確認"),
        STAFF_ADD("職員の追加"),
        STAFF_UNLOCK("ロックの解除"),
        STAFF_RESET_PASSWORD("パスワードの再発行"),
        STAFF_DISABLE("利用の停止"),
        STAFF_ENABLE("利用の再開"),
        STAFF_GRANT_KOSEKI_REVIEW("戸籍審査の権限の付与"),
        STAFF_REVOKE_KOSEKI_REVIEW("戸籍審査の権限の取消"),
        KOSEKI_QUEUE("利用登録申請の一覧"),
        KOSEKI_APPROVE("利用登録申請の承認"),
        KOSEKI_REJECT("利用登録申請の却下"),
        DISPOSAL_RECORD("処分情報の記録"),
        DISPOSAL_CORRECT("処分情報の訂正"),
        PASSWORD_CHANGE("パスワードの変更"),
        TOTP_ENABLE("確認コードの設定"),
        TOTP_DISABLE("確認コードの解除"),
        ALARM_VIEW("障害・アラームの表示"),
        ALARM_ACKNOWLEDGE("障害・アラームの確認"),
        CENTER_NOTICE_RECORD("交付センターの通知の記録"),
        TYPE_STOP("証明書の種類の停止"),
        TYPE_RESUME("証明書の種類の再開"),
        SETTINGS_RELOAD("設定ファイルの再読み込み"),
        STAFF_GRANT_ASP_ADMIN("ASP管理者の権限の付与"),
        STAFF_REVOKE_ASP_ADMIN("ASP管理者の権限の取消"),
        FORBIDDEN("権限のない操作");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
