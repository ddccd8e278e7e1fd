package jp.kofu.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Json;
import jp.kofu.contract.JsonFields;
import jp.kofu.contract.Refusal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The resident record in JSON (contract §6 table): validated when it arrives, and the form it is stored in. A bad
 * field is named in the refusal; its value never is.
 */
final class ResidentJson {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int NAME = 64;
    private static final int KANA = 128;
    private static final int ADDRESS = 200;
    private static final int ITEM = 100;
    private static final int REMARK = 200;
    private static final int MAX_REMARKS = 20;

    private ResidentJson() {}

    static ResidentRecord read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new Refusal(ErrorCode.MALFORMED_REQUEST, "resident must be an object");
        }
        JsonFields f = new JsonFields(node, "resident");
        String juminhyoCode = f.optionalText("juminhyoCode", 11).orElse(null);
        if (juminhyoCode != null && !CheckDigits.isResidentCode(juminhyoCode)) {
            throw f.malformed("juminhyoCode", "must be 11 digits with a valid check digit");
        }
        String individualNumber = f.optionalText("individualNumber", 12).orElse(null);
        if (individualNumber != null && !CheckDigits.isIndividualNumber(individualNumber)) {
            throw f.malformed("individualNumber", "must be 12 digits with a valid check digit");
        }
        String sex = f.text("sex", 6);
        ResidentRecord.Sex parsedSex;
        try {
            parsedSex = ResidentRecord.Sex.valueOf(sex);
        } catch (IllegalArgumentException e) {
            throw f.malformed("sex", "must be MALE or FEMALE");
        }
        LocalDate birthDate = f.optionalDate("birthDate").orElseThrow(() -> f.malformed("birthDate", "is required"));
        boolean gaijiPending = f.optionalBoolean("gaijiPending").orElse(false);
        return new ResidentRecord(
                id(f, "residentId"),
                id(f, "householdId"),
                juminhyoCode,
                individualNumber,
                printable(f, "familyName", NAME, true),
                printable(f, "givenName", NAME, false),
                printable(f, "familyNameKana", KANA, false),
                printable(f, "givenNameKana", KANA, false),
                printable(f, "formerSurname", NAME, false),
                printable(f, "formerSurnameKana", KANA, false),
                printable(f, "alias", NAME, false),
                printable(f, "aliasKana", KANA, false),
                parsedSex,
                birthDate,
                printable(f, "relationship", 16, false),
                printable(f, "householderName", NAME * 2, false),
                printable(f, "address", ADDRESS, true),
                printable(f, "addressSupplement", ADDRESS, false),
                f.optionalDate("becameResidentOn").orElse(null),
                printable(f, "becameResidentReason", ITEM, false),
                f.optionalDate("addressSetOn").orElse(null),
                f.optionalDate("addressNotifiedOn").orElse(null),
                printable(f, "previousAddress", ADDRESS, false),
                printable(f, "domicile", ADDRESS, false),
                printable(f, "domicileHead", NAME * 2, false),
                printable(f, "nationality", ITEM, false),
                printable(f, "residenceStatus", ITEM, false),
                printable(f, "periodOfStay", ITEM, false),
                f.optionalDate("stayExpiresOn").orElse(null),
                printable(f, "residenceCardNumber", 12, false),
                printable(f, "article30_45Category", ITEM, false),
                f.optionalDate("plannedMoveOutOn").orElse(null),
                gaijiPending,
                remarks(f));
    }

    static String id(JsonFields f, String field) {
        String s = f.text(field, 32);
        if (!ID.matcher(s).matches()) {
            throw f.malformed(field, "must be 1 to 32 letters, digits, '-' or '_'");
        }
        return s;
    }

    private static String printable(JsonFields f, String field, int maxLength, boolean required) {
        String s = required ? f.text(field, maxLength) : f.optionalText(field, maxLength).orElse(null);
        if (s != null && s.codePoints().anyMatch(ResidentJson::isControl)) {
            throw f.malformed(field, "must not contain control characters");
        }
        return s;
    }

    private static boolean isControl(int cp) {
        return Character.getType(cp) == Character.CONTROL || cp == 0x2028 || cp == 0x2029;
    }

    private static List<String> remarks(JsonFields f) {
        JsonNode v = f.node().get("remarks");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray() || v.size() > MAX_REMARKS) {
            throw f.malformed("remarks", "must be a list of at most " + MAX_REMARKS + " lines");
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode line : v) {
            if (!line.isTextual() || line.textValue().codePointCount(0, line.textValue().length()) > REMARK
                    || line.textValue().codePoints().anyMatch(ResidentJson::isControl)) {
                throw f.malformed("remarks", "lines must be text of at most " + REMARK + " characters");
            }
            lines.add(line.textValue());
        }
        return lines;
    }

    static String write(ResidentRecord r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("residentId", r.residentId());
        n.put("householdId", r.householdId());
        put(n, "juminhyoCode", r.juminhyoCode());
        put(n, "individualNumber", r.individualNumber());
        put(n, "familyName", r.familyName());
        put(n, "givenName", r.givenName());
        put(n, "familyNameKana", r.familyNameKana());
        put(n, "givenNameKana", r.givenNameKana());
        put(n, "formerSurname", r.formerSurname());
        put(n, "formerSurnameKana", r.formerSurnameKana());
        put(n, "alias", r.alias());
        put(n, "aliasKana", r.aliasKana());
        n.put("sex", r.sex().name());
        put(n, "birthDate", r.birthDate());
        put(n, "relationship", r.relationship());
        put(n, "householderName", r.householderName());
        put(n, "address", r.address());
        put(n, "addressSupplement", r.addressSupplement());
        put(n, "becameResidentOn", r.becameResidentOn());
        put(n, "becameResidentReason", r.becameResidentReason());
        put(n, "addressSetOn", r.addressSetOn());
        put(n, "addressNotifiedOn", r.addressNotifiedOn());
        put(n, "previousAddress", r.previousAddress());
        put(n, "domicile", r.domicile());
        put(n, "domicileHead", r.domicileHead());
        put(n, "nationality", r.nationality());
        put(n, "residenceStatus", r.residenceStatus());
        put(n, "periodOfStay", r.periodOfStay());
        put(n, "stayExpiresOn", r.stayExpiresOn());
        put(n, "residenceCardNumber", r.residenceCardNumber());
        put(n, "article30_45Category", r.article30_45Category());
        put(n, "plannedMoveOutOn", r.plannedMoveOutOn());
        if (r.gaijiPending()) {
            n.put("gaijiPending", true);
        }
        if (!r.remarks().isEmpty()) {
            var arr = n.putArray("remarks");
            r.remarks().forEach(arr::add);
        }
        return n.toString();
    }

    /** Reads a record this class wrote. */
    static ResidentRecord fromStored(String json) {
        try {
            return read(Json.MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("stored resident record unreadable", e);
        }
    }

    private static void put(ObjectNode n, String field, Object value) {
        if (value != null) {
            n.put(field, value.toString());
        }
    }
}
