package jp.kofu.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads typed fields of a JSON object; a missing required field or a wrong type is MALFORMED_REQUEST. */
public final class JsonFields {
    private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private final JsonNode node;
    private final String where;

    public JsonFields(JsonNode node, String where) {
        this.node = node;
        this.where = where;
    }

    public String text(String field, int maxLength) {
        return optionalText(field, maxLength).orElseThrow(() -> malformed(field, "is required"));
    }

    public Optional<String> optionalText(String field, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw malformed(field, "must be a string");
        }
        String s = v.textValue();
        if (s.isEmpty() || s.codePointCount(0, s.length()) > maxLength) {
            throw malformed(field, "must have 1 to " + maxLength + " characters");
        }
        return Optional.of(s);
    }

    public String matching(String field, Pattern pattern) {
        String s = text(field, 256);
        if (!pattern.matcher(s).matches()) {
            throw malformed(field, "has the wrong format");
        }
        return s;
    }

    public int integer(String field, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw malformed(field, "is required");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw malformed(field, "must be a whole number from " + min + " to " + max);
        }
        return v.intValue();
    }

    public long longValue(String field, long min) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw malformed(field, "is required");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min) {
            throw malformed(field, "must be a whole number of at least " + min);
        }
        return v.longValue();
    }

    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw malformed(field, "must be true or false");
        }
        return Optional.of(v.booleanValue());
    }

    public Optional<LocalDate> optionalDate(String field) {
        return optionalText(field, 10).map(s -> {
            if (!ISO_DATE.matcher(s).matches()) {
                throw malformed(field, "must be a date YYYY-MM-DD");
            }
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                throw malformed(field, "must be a date YYYY-MM-DD");
            }
        });
    }

    public OffsetDateTime dateTime(String field) {
        String s = text(field, 40);
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            throw malformed(field, "must be an ISO-8601 time with offset");
        }
    }

    public JsonNode node() {
        return node;
    }

    public Refusal malformed(String field, String problem) {
        return new Refusal(ErrorCode.MALFORMED_REQUEST, where + "." + field + " " + problem);
    }
}
