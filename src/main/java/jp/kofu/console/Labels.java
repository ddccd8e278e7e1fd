package jp.kofu.console;

import jp.kofu.contract.CertificateType;
import jp.kofu.contract.ErrorCode;

import java.util.LinkedHashMap;
import java.util.Map;

/** Japanese words for the codes of the issuance log, as a clerk reads them. */
final class Labels {
    static final Map<String, String> RESULTS = ordered(
            "ISSUED", "発行",
            "PRINTED", "印刷完了",
            "VOIDED", "取消（印刷されず）",
            "REFUSED", "お断り",
            "FAILED", "障害",
            "LISTED", "世帯員の一覧",
            "REPEATED", "再送への応答");
    static final Map<String, String> CERTIFICATES = certificates();
    static final Map<String, String> ENDPOINTS = ordered(
            "ISSUANCE", "証明書の発行",
            "HOUSEHOLD_LISTING", "世帯員の一覧",
            "KOSEKI_LISTING", "戸籍に記録されている者の一覧",
            "COMPLETION", "印刷結果の報告",
            "KOSEKI_REGISTRATION", "本籍地 利用登録申請",
            "KOSEKI_REGISTRATION_STATUS", "本籍地 利用登録申請の状況の照会");
    static final Map<String, String> CHANNELS = ordered(
            "CONVENIENCE_STORE", "コンビニエンスストア",
            "KIOSK", "キオスク端末");
    static final Map<String, String> SCOPES = ordered(
            "SELF", "本人のみ",
            "HOUSEHOLD_ALL", "世帯全員",
            "SELECTED", "世帯の一部");
    static final Map<String, String> STATUSES = ordered(
            "ISSUED", "発行済み・印刷の報告待ち",
            "PRINTED", "印刷済み（交付済み）",
            "VOIDED", "取消（交付されていません）");
    /** What each refusal code means, for staff (the terminal shows the resident a gentler message). */
    static final Map<String, String> CODES = codes();

    private Labels() {}

    /** Every certificate type of contract §8 by its printed name, then the listings that choose members. */
    private static Map<String, String> certificates() {
        Map<String, String> m = new LinkedHashMap<>();
        for (CertificateType t : CertificateType.values()) {
            m.put(t.name(), t.title());
        }
        m.put("HOUSEHOLD_LISTING", "世帯員の一覧（証明書の選択用）");
        m.put("KOSEKI_LISTING", "戸籍に記録されている者の一覧（証明書の選択用）");
        m.put("KOSEKI_REGISTRATION", "本籍地 利用登録申請");
        return java.util.Collections.unmodifiableMap(m);
    }

    static String result(String code) {
        return code == null ? "" : RESULTS.getOrDefault(code, code);
    }

    static String certificate(String code) {
        return code == null ? "" : CERTIFICATES.getOrDefault(code, code);
    }

    static String code(String code) {
        return code == null ? "" : CODES.getOrDefault(code, code);
    }

    private static Map<String, String> codes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("MALFORMED_REQUEST", "要求の形式の誤り");
        m.put("CALLER_UNAUTHENTICATED", "接続元の証明書なし・不正");
        m.put("SIGNATURE_INVALID", "カードの署名を確認できない");
        m.put("CARD_UNTRUSTED", "信頼できないカード証明書");
        m.put("CARD_EXPIRED", "カード証明書の有効期間外");
        m.put("CARD_REVOKED", "カード証明書の失効・一時停止");
        m.put("CARD_NOT_REGISTERED", "カードが住民に結び付いていない");
        m.put("REQUEST_EXPIRED", "操作の有効時間切れ");
        m.put("REPLAYED", "同じ要求の再利用");
        m.put("UNKNOWN_MUNICIPALITY", "取り扱っていない市区町村");
        m.put("ISSUANCE_NOT_FOUND", "該当する発行なし");
        m.put("TRANSACTION_CONFLICT", "取引番号の重複");
        m.put("NOT_ISSUABLE", "発行できない住民・世帯");
        m.put("OUTSIDE_SERVICE_HOURS", "サービス時間外");
        m.put("UNSUPPORTED_CERTIFICATE", "取り扱っていない証明書・記載事項");
        m.put("RATE_LIMITED", "要求が多すぎる（一時制限）");
        m.put("SERVICE_UNAVAILABLE", "システム側の障害");
        m.put("REGISTRATION_NOT_FOUND", "該当する利用登録申請なし（または別の接続元の申請）");
        for (ErrorCode c : ErrorCode.values()) {
            m.putIfAbsent(c.name(), c.name());
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
