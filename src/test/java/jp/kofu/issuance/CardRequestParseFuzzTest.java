package jp.kofu.issuance;

import jp.kofu.Mutations;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** 10,000 damaged payloads: parsed, or refused as MALFORMED_REQUEST / UNSUPPORTED_CERTIFICATE; nothing else. */
class CardRequestParseFuzzTest {
    private static final String PAYLOAD = "{\"requestId\":\"7a0e2c1e-5a7f-4d7e-9d6b-2b1f0b6a9a41\","
            + "\"municipalityCode\":\"112038\",\"channel\":\"CONVENIENCE_STORE\",\"terminalId\":\"SEJ-0012345-01\","
            + "\"signedAt\":\"2026-11-22T10:15:30+09:00\",\"nonce\":\"q3b1vW3l0mQ9d1bXb2o8Hw\","
            + "\"certificateType\":\"JUMINHYO\",\"scope\":\"HOUSEHOLD_ALL\",\"memberIds\":[],\"options\":{"
            + "\"includeHouseholder\":true,\"includeRelationship\":true,\"includeDomicile\":false,"
            + "\"includeIndividualNumber\":false,\"includeResidentCode\":false},\"copies\":1}";

    @Provide
    Arbitrary<String> damaged() {
        return Mutations.of(PAYLOAD);
    }

    @Property(tries = 10_000)
    void parsesOrRefusesCleanly(@ForAll("damaged") String payload) {
        try {
            CardRequest request = CardRequest.parse(payload.getBytes(StandardCharsets.UTF_8));
            assertTrue(request.copies() >= 1 && request.copies() <= 10);
        } catch (Refusal r) {
            assertTrue(r.code() == ErrorCode.MALFORMED_REQUEST || r.code() == ErrorCode.UNSUPPORTED_CERTIFICATE,
                    r.code().name());
        }
    }
}
