package jp.kofu.replica;

import jp.kofu.Mutations;
import jp.kofu.http.ErrorCode;
import jp.kofu.http.Refusal;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** 10,000 damaged feed lines of every type: parsed, or refused as MALFORMED_REQUEST; never anything else. */
class FeedParserFuzzTest {
    private static final String[] LINES = {
        "{\"seq\":1001,\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"112038\",\"resident\":{\"residentId\":\"R1\","
                + "\"householdId\":\"H1\",\"juminhyoCode\":\"12345000014\",\"familyName\":\"川口\",\"givenName\":\"太郎\","
                + "\"sex\":\"MALE\",\"birthDate\":\"1980-04-01\",\"address\":\"埼玉県川口市青木二丁目1番1号\","
                + "\"remarks\":[\"備考\"],\"gaijiPending\":false}}",
        "{\"seq\":1002,\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\"112038\",\"residentId\":\"R0000123\"}",
        "{\"seq\":1003,\"type\":\"CARD_BIND\",\"municipalityCode\":\"112038\",\"residentId\":\"R0000123\","
                + "\"issuer\":\"CN=Test CA,O=JPKI,C=JP\",\"serialNumber\":\"1a2b3c\"}",
        "{\"seq\":1004,\"type\":\"CARD_REVOKE\",\"municipalityCode\":\"112038\",\"issuer\":\"CN=Test CA,O=JPKI,C=JP\","
                + "\"serialNumber\":\"1a2b3c\"}",
        "{\"seq\":1005,\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"112038\",\"residentId\":\"R0000123\","
                + "\"active\":true,\"reason\":\"DV_SUPPORT\"}",
    };

    @Provide
    Arbitrary<String> damaged() {
        return Arbitraries.of(LINES).flatMap(Mutations::of);
    }

    @Property(tries = 10_000)
    void parsesOrRefusesCleanly(@ForAll("damaged") String line) {
        for (FeedParser parser : new FeedParser[] {FeedParser.changes(), FeedParser.snapshot()}) {
            try {
                parser.parse(line.getBytes(StandardCharsets.UTF_8));
            } catch (Refusal r) {
                assertEquals(ErrorCode.MALFORMED_REQUEST, r.code());
            }
        }
    }
}
