package jp.kofu.verify;

import jp.kofu.contract.Tokyo;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import jp.kofu.contract.IssuanceNumber;
import jp.kofu.db.Database;
import jp.kofu.http.Answers;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /verify/{発行番号}?d=…}: for an office that receives a certificate, whether it was issued here and
 * whether it was printed or voided. No client certificate is needed and no personal data is answered.
 */
@Controller("/verify")
final class VerifyController {
    private final Database db;
    private final VerificationCodes codes;

    VerifyController(Database db, VerificationCodes codes) {
        this.db = db;
        this.codes = codes;
    }

    @Get("/{issuanceNumber}")
    HttpResponse<byte[]> verify(@PathVariable String issuanceNumber, @Nullable @QueryValue String d) {
        Optional<IssuanceNumber> number = IssuanceNumber.parse(issuanceNumber);
        if (number.isEmpty() || !codes.matches(issuanceNumber, d)) {
            throw new Refusal(ErrorCode.ISSUANCE_NOT_FOUND, "unknown number or wrong code");
        }
        // Each copy has its own number; an issuance is its first number and its count of consecutive copies.
        Optional<Map<String, Object>> found = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT issuance_number, municipality_code, issued_at, status, page_count, copies FROM issuance
                    WHERE issuance_number BETWEEN ? AND ? ORDER BY issuance_number DESC LIMIT 1""")) {
                s.setString(1, number.get().lowestFirst().toString());
                s.setString(2, issuanceNumber);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    IssuanceNumber first = IssuanceNumber.parse(rs.getString(1)).orElseThrow();
                    int copies = rs.getInt(6);
                    int copy = number.get().sequence() - first.sequence() + 1;
                    if (copy > copies) {
                        return Optional.empty();
                    }
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("issuanceNumber", issuanceNumber);
                    answer.put("municipalityCode", rs.getString(2));
                    answer.put("issuedOn", rs.getTimestamp(3).toInstant().atZone(Tokyo.ZONE).toLocalDate()
                            .toString());
                    answer.put("status", rs.getString(4));
                    answer.put("pageCount", rs.getInt(5));
                    answer.put("copies", copies);
                    answer.put("copy", copy);
                    return Optional.of(answer);
                }
            }
        });
        return Answers.ok(found.orElseThrow(() -> new Refusal(ErrorCode.ISSUANCE_NOT_FOUND, "not issued")));
    }
}
