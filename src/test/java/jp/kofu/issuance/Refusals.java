package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.contract.Json;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract §5 shape of a refusal, and that a refused issuance issued nothing and left its REFUSED log row. */
final class Refusals {
    private Refusals() {}

    @FunctionalInterface
    interface Call {
        CenterClient.Response run() throws Exception;
    }

    /** Status, code, a Japanese message, and nothing internal (exception, class or SQL text) in the answer. */
    static JsonNode assertShape(int status, String code, CenterClient.Response r) throws Exception {
        assertEquals(status, r.status(), r.text());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals(code, body.path("code").asText(), r.text());
        String message = body.path("message").asText();
        assertTrue(message.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HIRAGANA),
                "a Japanese message: " + message);
        String text = r.text();
        for (String leak : List.of("Exception", "java.", "jp.kofu", "org.", "SQL", "SELECT", "INSERT", "at ", "Caused")) {
            assertFalse(text.contains(leak), "nothing internal in the answer: " + text);
        }
        return body;
    }

    /** The refusal's shape, no new issuance row, and exactly one new REFUSED log row with that code. */
    static JsonNode assertRefused(TestNode node, int status, String code, Call call) throws Exception {
        long issued = count(node, "SELECT COUNT(*) FROM issuance");
        String refusedRows = "SELECT COUNT(*) FROM issuance_log WHERE result = 'REFUSED' AND code = '" + code + "'";
        long logged = count(node, refusedRows);
        JsonNode body = assertShape(status, code, call.run());
        assertEquals(issued, count(node, "SELECT COUNT(*) FROM issuance"), "nothing issued");
        assertEquals(logged + 1, count(node, refusedRows), "one REFUSED log row with the code");
        return body;
    }

    static long count(TestNode node, String sql) {
        return node.count(sql);
    }
}
