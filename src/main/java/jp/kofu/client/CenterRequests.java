package jp.kofu.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.contract.Json;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

/** Builds requests as the center sends them (contract §2–§3), signed by a software card. */
public final class CenterRequests {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CenterRequests() {}

    /** A card payload for a 住民票 of {@code scope}, signed now, with a fresh nonce; change fields as needed. */
    public static ObjectNode payload(String municipalityCode, String scope, OffsetDateTime signedAt) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("requestId", UUID.randomUUID().toString());
        p.put("municipalityCode", municipalityCode);
        p.put("channel", "CONVENIENCE_STORE");
        p.put("terminalId", "SEJ-0012345-01");
        p.put("signedAt", signedAt.withOffsetSameInstant(ZoneOffset.ofHours(9)).toString());
        p.put("nonce", nonce());
        p.put("certificateType", "JUMINHYO");
        p.put("scope", scope);
        p.putArray("memberIds");
        ObjectNode options = p.putObject("options");
        options.put("includeHouseholder", true);
        options.put("includeRelationship", true);
        options.put("includeDomicile", false);
        options.put("includeIndividualNumber", false);
        options.put("includeResidentCode", false);
        p.put("copies", 1);
        return p;
    }

    public static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The body of {@code POST /center/v1/issuances}. */
    public static byte[] issuanceBody(String centerTransactionId, String storeCode, String cardRequest) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("centerTransactionId", centerTransactionId);
        body.put("storeCode", storeCode);
        body.put("cardRequest", cardRequest);
        return Json.bytes(body);
    }

    public static String sign(SoftwareCard card, ObjectNode payload) {
        return card.sign(Json.bytes(payload));
    }
}
