package jp.kofu.replica;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.card.CardId;
import jp.kofu.contract.CertificateType;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Json;
import jp.kofu.contract.JsonFields;
import jp.kofu.contract.Refusal;
import jp.kofu.municipality.MunicipalityCode;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses and validates one NDJSON line of the sync feed or a snapshot. */
final class FeedParser {
    private static final Pattern BLOCK_REASON = Pattern.compile("[A-Z0-9_]{1,32}");

    private final boolean snapshot;

    private FeedParser(boolean snapshot) {
        this.snapshot = snapshot;
    }

    static FeedParser changes() {
        return new FeedParser(false);
    }

    static FeedParser snapshot() {
        return new FeedParser(true);
    }

    FeedEvent parse(byte[] line) {
        JsonNode node = Json.parseObject(line, "line");
        JsonFields f = new JsonFields(node, "event");
        String type = f.text("type", 32);
        long seq = snapshot && node.get("seq") == null ? 0 : f.longValue("seq", 1);
        String municipality = f.text("municipalityCode", 6);
        if (!MunicipalityCode.isValid(municipality)) {
            throw f.malformed("municipalityCode", "must be a 6-digit code with a valid check digit");
        }
        FeedEvent event = switch (type) {
            case "RESIDENT_UPSERT" -> new FeedEvent.ResidentUpsert(seq, municipality, ResidentJson.read(node.get("resident")));
            case "RESIDENT_REMOVE" -> new FeedEvent.ResidentRemove(seq, municipality, ResidentJson.id(f, "residentId"));
            case "CARD_BIND" -> new FeedEvent.CardBind(seq, municipality, ResidentJson.id(f, "residentId"), card(f));
            case "CARD_REVOKE" -> new FeedEvent.CardRevoke(seq, municipality, card(f));
            case "ISSUANCE_BLOCK" -> block(f, seq, municipality);
            case "SEAL_REGISTER" -> SealJson.register(f, seq, municipality);
            case "SEAL_ABOLISH" -> new FeedEvent.SealAbolish(seq, municipality, ResidentJson.id(f, "residentId"));
            case "HEARTBEAT" -> new FeedEvent.Heartbeat(seq, municipality, f.dateTime("asOf"));
            default -> throw f.malformed("type", "is not an event type of the feed");
        };
        if (snapshot && (event instanceof FeedEvent.ResidentRemove || event instanceof FeedEvent.CardRevoke
                || event instanceof FeedEvent.SealAbolish || event instanceof FeedEvent.Heartbeat)) {
            throw f.malformed("type", "is not allowed in a snapshot");
        }
        return event;
    }

    private static FeedEvent block(JsonFields f, long seq, String municipality) {
        String residentId = ResidentJson.id(f, "residentId");
        boolean active = f.optionalBoolean("active").orElseThrow(() -> f.malformed("active", "is required"));
        String reason = f.optionalText("reason", 32).orElse("UNSPECIFIED");
        if (!BLOCK_REASON.matcher(reason).matches()) {
            throw f.malformed("reason", "must be an upper-case code");
        }
        Set<CertificateType> types = EnumSet.noneOf(CertificateType.class);
        JsonNode named = f.node().get("certificateTypes");
        if (named != null && !named.isNull()) {
            if (!named.isArray() || named.isEmpty() || named.size() > CertificateType.values().length) {
                throw f.malformed("certificateTypes", "must be a non-empty list of certificate types (absent: every type)");
            }
            for (JsonNode t : named) {
                types.add(CertificateType.of(t.isTextual() ? t.textValue() : "")
                        .orElseThrow(() -> f.malformed("certificateTypes", "names a type that is not of contract §8")));
            }
        }
        boolean householdWide = f.optionalBoolean("householdWide").orElse(false);
        return new FeedEvent.IssuanceBlock(seq, municipality, residentId, active, reason, types, householdWide);
    }

    private static CardId card(JsonFields f) {
        String issuer = f.text("issuer", 1024);
        String serial = f.text("serialNumber", 64);
        try {
            return CardId.parse(issuer, serial);
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorCode.MALFORMED_REQUEST, "event.issuer or serialNumber is not a DN and a hex serial");
        }
    }
}
