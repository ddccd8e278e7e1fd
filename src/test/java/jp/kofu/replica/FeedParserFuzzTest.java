package jp.kofu.replica;

import jp.kofu.Mutations;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** 10,000 damaged feed lines of every type: parsed, or refused as MALFORMED_REQUEST; never anything else. */
class FeedParserFuzzTest {
    private static final String ONE_PIXEL_PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
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
        "{\"seq\":1005,\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"112038\",\"residentId\":\"R0000123\","
                + "\"active\":true,\"reason\":\"DV_SUPPORT\",\"certificateTypes\":[\"INKAN\",\"JUMINHYO\"],"
                + "\"householdWide\":true}",
        "{\"seq\":1006,\"type\":\"SEAL_REGISTER\",\"municipalityCode\":\"112038\",\"residentId\":\"R0000123\","
                + "\"registrationNumber\":\"I-000123\",\"registeredName\":\"川口 太郎\",\"registeredOn\":\"2020-04-01\","
                + "\"sealSizeMm\":15.0,\"sealImage\":\"" + ONE_PIXEL_PNG + "\"}",
        "{\"seq\":1007,\"type\":\"SEAL_ABOLISH\",\"municipalityCode\":\"112038\",\"residentId\":\"R0000123\"}",
        "{\"seq\":1008,\"type\":\"HEARTBEAT\",\"municipalityCode\":\"112038\",\"asOf\":\"2026-11-22T10:15:00+09:00\"}",
    };

    @org.junit.jupiter.api.Test
    void everyUndamagedLineButTheFirstParses() {
        // So that the mutations start from valid events (the first line's 住民票コード check digit is deliberately off).
        for (int i = 1; i < LINES.length; i++) {
            FeedParser.changes().parse(LINES[i].getBytes(StandardCharsets.UTF_8));
        }
    }

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
