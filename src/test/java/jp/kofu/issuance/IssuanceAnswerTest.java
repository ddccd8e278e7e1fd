package jp.kofu.issuance;

import jp.kofu.contract.Json;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The answer of an issuance is the JSON of the whole answer, and its kept form gives back the same bytes. */
class IssuanceAnswerTest {
    @Test
    void isTheWholeAnswerAsJacksonWritesItAndKeepsThePdfOnce() {
        Random random = new Random(17);
        // a caller's id with characters JSON escapes, as the center may send any text of up to 64 characters
        for (String id : List.of("E-1", "tx \"quoted\" \\ /,\"pdf\":\"", "取引-１２３")) {
            for (int size : new int[] {0, 1, 2, 3, 55_001}) {
                byte[] pdf = new byte[size];
                random.nextBytes(pdf);
                List<String> numbers = List.of("112038-20261202-000001", "112038-20261202-000002");
                IssuanceAnswer made = IssuanceAnswer.of(id, "JUMINHYO", 2, pdf, 3, "ab".repeat(32), 400, numbers);

                Map<String, Object> whole = new LinkedHashMap<>();
                whole.put("centerTransactionId", id);
                whole.put("issuanceNumber", numbers.get(0));
                whole.put("issuanceNumbers", numbers);
                whole.put("certificateType", "JUMINHYO");
                whole.put("copies", 2);
                whole.put("pageCount", 3);
                whole.put("fee", 400);
                whole.put("pdf", Base64.getEncoder().encodeToString(pdf));
                whole.put("pdfSha256", "ab".repeat(32));
                byte[] expected = Json.bytes(whole);

                assertArrayEquals(expected, made.answer().body(), "id " + id + ", " + size + " bytes");
                assertEquals(200, made.answer().status());
                CenterTransactions.Kept kept = made.kept("R0000001,R0000002");
                assertArrayEquals(pdf, kept.pdf(), "the PDF is kept as its bytes");
                assertEquals(expected.length - Base64.getEncoder().encode(pdf).length, kept.body().length,
                        "the kept JSON holds no base64 text");
                assertArrayEquals(expected, IssuanceAnswer.body(kept.body(), kept.pdfAt(), kept.pdf()),
                        "replayed byte for byte");
            }
        }
    }
}
