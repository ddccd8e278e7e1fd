package jp.kofu.console;

import java.util.Map;

/**
 * The store chain of a log row, for 精算. The contract does not define store codes; Kofu takes the part of the
 * {@code storeCode} (or, when there is none, the {@code terminalId}) before the first '-' and looks it up here
 * (docs/console.md). A kiosk of the city (channel KIOSK) is its own "chain"; an unknown prefix is shown as is.
 */
final class StoreChains {
    static final String KIOSK = "市区町村のキオスク端末";
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("SEJ", "セブン-イレブン"),
            Map.entry("LAW", "ローソン"),
            Map.entry("FM", "ファミリーマート"),
            Map.entry("MS", "ミニストップ"),
            Map.entry("SM", "セイコーマート"),
            Map.entry("YAM", "ヤマザキショップ"),
            Map.entry("CSK", "コミュニティ・ストア"),
            Map.entry("AEON", "イオン"),
            Map.entry("DEMO", "デモ用の店舗"));

    private StoreChains() {}

    static String of(String channel, String storeCode, String terminalId) {
        if ("KIOSK".equals(channel)) {
            return KIOSK;
        }
        String code = storeCode != null ? storeCode : terminalId;
        if (code == null || code.isEmpty()) {
            return "不明";
        }
        int dash = code.indexOf('-');
        String prefix = (dash > 0 ? code.substring(0, dash) : code).toUpperCase(java.util.Locale.ROOT);
        return NAMES.getOrDefault(prefix, "その他（" + prefix + "）");
    }
}
