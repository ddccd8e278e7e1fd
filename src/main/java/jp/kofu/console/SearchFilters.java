package jp.kofu.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The filters of an issuance-log search, read from the query string and checked. Text is normalised (NFKC), so
 * that 全角 digits typed by a clerk work. A wrong field gives a Japanese message and is left out of the search.
 */
record SearchFilters(LocalDate from, LocalDate to, String store, String terminal, String result, String code,
                     String certificateType, String issuanceNumber, String residentId, int page,
                     List<String> problems) {

    static final int MAX_DAYS = 366;
    static final String TOKEN = "[A-Za-z0-9._:-]{1,64}";
    static final String ISSUANCE_NUMBER = "[0-9]{6}-[0-9]{8}-[0-9]{6}";
    static final String RESIDENT_ID = "[A-Za-z0-9_-]{1,32}";

    static SearchFilters parse(Map<String, String> q, LocalDate today) {
        List<String> problems = new ArrayList<>();
        LocalDate from = date(q.get("from"), "開始日", problems);
        LocalDate to = date(q.get("to"), "終了日", problems);
        if (to == null) {
            to = today;
        }
        if (from == null) {
            from = to.minusDays(6);
        }
        if (from.isAfter(to)) {
            problems.add("開始日が終了日より後になっています。入れ替えて検索しました。");
            LocalDate t = from;
            from = to;
            to = t;
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            problems.add("期間は1年以内にしてください。終了日から1年間で検索しました。");
            from = to.minusDays(MAX_DAYS - 1);
        }
        String store = text(q.get("store"), TOKEN, "店舗コードは英数字と「-」で入力してください。", problems);
        String terminal = text(q.get("terminal"), TOKEN, "端末IDは英数字と「-」で入力してください。", problems);
        String result = oneOf(q.get("result"), Labels.RESULTS, "結果", problems);
        String code = oneOf(q.get("code"), Labels.CODES, "理由", problems);
        String type = oneOf(q.get("certificateType"), Labels.CERTIFICATES, "証明書の種類", problems);
        String number = text(q.get("issuanceNumber"), ISSUANCE_NUMBER,
                "発行番号は「112038-20261123-000001」の形で入力してください。", problems);
        String resident = text(q.get("residentId"), RESIDENT_ID, "宛名番号は英数字で入力してください。", problems);
        int page = 1;
        String p = normalise(q.get("page"));
        if (p != null && p.matches("[0-9]{1,6}")) {
            page = Math.max(1, Integer.parseInt(p));
        }
        return new SearchFilters(from, to, store, terminal, result, code, type, number, resident, page,
                List.copyOf(problems));
    }

    SearchFilters withPage(int newPage) {
        return new SearchFilters(from, to, store, terminal, result, code, certificateType, issuanceNumber, residentId,
                newPage, problems);
    }

    /** The filters for the staff action log: every filter but the resident id, which has a column of its own. */
    String describe() {
        StringBuilder s = new StringBuilder("from=" + from + " to=" + to);
        fields(false).forEach((k, v) -> {
            if (!k.equals("from") && !k.equals("to")) {
                s.append(' ').append(k).append('=').append(v);
            }
        });
        return s.toString();
    }

    /** The query string of these filters (without the page), for links to other pages and the CSV. */
    String query() {
        StringBuilder s = new StringBuilder();
        fields(true).forEach((k, v) -> s.append(s.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return s.toString();
    }

    private Map<String, String> fields(boolean withResident) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("from", from.toString());
        m.put("to", to.toString());
        put(m, "store", store);
        put(m, "terminal", terminal);
        put(m, "result", result);
        put(m, "code", code);
        put(m, "certificateType", certificateType);
        put(m, "issuanceNumber", issuanceNumber);
        if (withResident) {
            put(m, "residentId", residentId);
        }
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        String s = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
        return s.isEmpty() ? null : s;
    }

    static LocalDate date(String raw, String what, List<String> problems) {
        String s = normalise(raw);
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s.replace('/', '-'));
        } catch (DateTimeParseException e) {
            problems.add(what + "は「2026-11-23」の形で入力してください。");
            return null;
        }
    }

    static String text(String raw, String pattern, String message, List<String> problems) {
        String s = normalise(raw);
        if (s == null) {
            return null;
        }
        if (!s.matches(pattern)) {
            problems.add(message);
            return null;
        }
        return s;
    }

    private static String oneOf(String raw, Map<String, String> allowed, String what, List<String> problems) {
        String s = normalise(raw);
        if (s == null) {
            return null;
        }
        if (!allowed.containsKey(s)) {
            problems.add(what + "の指定が正しくありません。");
            return null;
        }
        return s;
    }

    static <T> List<Map.Entry<String, String>> options(Map<String, String> labels, Function<String, String> show) {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        labels.forEach((k, v) -> list.add(Map.entry(k, show.apply(k))));
        return list;
    }
}
