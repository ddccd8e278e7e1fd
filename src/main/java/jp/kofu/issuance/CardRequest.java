package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Json;
import jp.kofu.contract.JsonFields;
import jp.kofu.contract.Refusal;
import jp.kofu.municipality.MunicipalityCode;
import jp.kofu.municipality.PrintOption;
import jp.kofu.pdf.KisaiItem;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The payload the card signed (contract §2), validated field by field. {@code options} holds only the options the
 * request names; the municipality's defaults fill the rest.
 */
record CardRequest(
        String requestId,
        String municipalityCode,
        Channel channel,
        String terminalId,
        OffsetDateTime signedAt,
        String nonce,
        String certificateType,
        Scope scope,
        List<String> memberIds,
        Map<PrintOption, Boolean> options,
        List<KisaiItem> items,
        int copies) {

    static final String JUMINHYO = "JUMINHYO";
    static final String HOUSEHOLD_LISTING = "HOUSEHOLD_LISTING";
    static final String KOSEKI_LISTING = "KOSEKI_LISTING";
    /** 本籍地 利用登録申請 (§9): prints nothing, so, like the listings, it names no scope and no copies. */
    static final String KOSEKI_REGISTRATION = "KOSEKI_REGISTRATION";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22,128}");

    enum Channel { CONVENIENCE_STORE, KIOSK }

    enum Scope { SELF, HOUSEHOLD_ALL, SELECTED }

    static CardRequest parse(byte[] payload) {
        JsonNode node = Json.parseObject(payload, "cardRequest payload");
        JsonFields f = new JsonFields(node, "cardRequest");
        String requestId = f.matching("requestId", TOKEN);
        String municipality = f.text("municipalityCode", 6);
        if (!MunicipalityCode.isValid(municipality)) {
            throw f.malformed("municipalityCode", "must be a 6-digit code with a valid check digit");
        }
        Channel channel = enumValue(f, "channel", Channel.class);
        String terminalId = f.matching("terminalId", TOKEN);
        OffsetDateTime signedAt = f.dateTime("signedAt");
        String nonce = f.matching("nonce", NONCE);
        byte[] nonceBytes;
        try {
            nonceBytes = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            throw f.malformed("nonce", "must be base64url");
        }
        if (nonceBytes.length < 16) {
            throw f.malformed("nonce", "must carry at least 16 random bytes");
        }
        String certificateType = f.matching("certificateType", Pattern.compile("[A-Z_]{1,32}"));
        boolean listing = HOUSEHOLD_LISTING.equals(certificateType) || KOSEKI_LISTING.equals(certificateType)
                || KOSEKI_REGISTRATION.equals(certificateType);
        Scope scope = listing ? Scope.SELF : enumValue(f, "scope", Scope.class);
        List<String> memberIds = memberIds(f, scope);
        Map<PrintOption, Boolean> options = new EnumMap<>(PrintOption.class);
        List<KisaiItem> items = new ArrayList<>();
        JsonNode o = node.get("options");
        if (o != null && !o.isNull()) {
            if (!o.isObject()) {
                throw f.malformed("options", "must be an object");
            }
            JsonFields of = new JsonFields(o, "cardRequest.options");
            for (PrintOption option : PrintOption.values()) {
                of.optionalBoolean(option.jsonName()).ifPresent(v -> options.put(option, v));
            }
            items = items(of);
        }
        int copies = listing ? 1 : f.integer("copies", 1, 10);
        return new CardRequest(requestId, municipality, channel, terminalId, signedAt, nonce, certificateType, scope,
                memberIds, options, List.copyOf(items), copies);
    }

    /** {@code options.items} (§8, 住民票記載事項証明書): the items certified, each named once; absent → none named. */
    private static List<KisaiItem> items(JsonFields of) {
        JsonNode v = of.node().get("items");
        List<KisaiItem> items = new ArrayList<>();
        if (v == null || v.isNull()) {
            return items;
        }
        if (!v.isArray() || v.size() > KisaiItem.values().length) {
            throw of.malformed("items", "must be a list of the items of a 住民票記載事項証明書");
        }
        for (JsonNode item : v) {
            KisaiItem named = item.isTextual() ? KisaiItem.of(item.textValue()).orElse(null) : null;
            if (named == null || items.contains(named)) {
                throw of.malformed("items", "names an item that is not one of §8, or names one twice");
            }
            items.add(named);
        }
        return items;
    }

    private static List<String> memberIds(JsonFields f, Scope scope) {
        JsonNode v = f.node().get("memberIds");
        List<String> ids = new ArrayList<>();
        if (v != null && !v.isNull()) {
            if (!v.isArray() || v.size() > 50) {
                throw f.malformed("memberIds", "must be a list of at most 50 ids");
            }
            for (JsonNode id : v) {
                if (!id.isTextual() || id.textValue().isEmpty() || id.textValue().length() > 512) {
                    throw f.malformed("memberIds", "must hold member ids from the household listing");
                }
                ids.add(id.textValue());
            }
        }
        if (scope == Scope.SELECTED && ids.isEmpty()) {
            throw f.malformed("memberIds", "must name at least one member for SELECTED");
        }
        return List.copyOf(ids);
    }

    private static <E extends Enum<E>> E enumValue(JsonFields f, String field, Class<E> type) {
        String s = f.text(field, 32);
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw f.malformed(field, "is not one of the allowed values");
        }
    }

    /**
     * Refuses ({@code UNSUPPORTED_CERTIFICATE}) a request that asks for 個人番号 or 住民票コード on a certificate that
     * never prints them, named by {@code certificate} in the refusal's internal reason.
     */
    void refuseOptionsOnlyOnRequest(String certificate) {
        for (PrintOption o : PrintOption.values()) {
            if (o.isOnlyOnRequest() && Boolean.TRUE.equals(options.get(o))) {
                throw unsupported(certificate + " never prints " + o.jsonName());
            }
        }
    }

    static Refusal unsupported(String detail) {
        return new Refusal(ErrorCode.UNSUPPORTED_CERTIFICATE, detail);
    }
}
