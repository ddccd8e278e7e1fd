package jp.kofu.koseki.registration;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.contract.JsonFields;

import java.time.LocalDate;

/**
 * The fields a registration's payload adds to contract §2's (§9): {@code honseki}, {@code hittosha}, {@code name}
 * and {@code birthDate}, validated: text of a bounded length, without control, format or separator characters
 * (a bidi override would make the review queue show something else than what is stored), not blank; a real date
 * neither in the future nor before 1873 (the calendar of 和暦 dates as printed, 明治6年). A refusal names the field, never its value.
 */
record AppliedFields(String honseki, String hittosha, String name, LocalDate birthDate) {
    static final int MAX_HONSEKI = 128;
    static final int MAX_NAME = 64;
    private static final LocalDate FIRST_KOSEKI = LocalDate.of(1873, 1, 1);

    @Override
    public String toString() {
        return "AppliedFields[…]"; // personal data: never in a log line
    }

    static AppliedFields parse(JsonNode payload, LocalDate today) {
        JsonFields f = new JsonFields(payload, "cardRequest");
        String honseki = text(f, "honseki", MAX_HONSEKI);
        String hittosha = text(f, "hittosha", MAX_NAME);
        String name = text(f, "name", MAX_NAME);
        LocalDate birthDate = f.optionalDate("birthDate").orElseThrow(() -> f.malformed("birthDate", "is required"));
        if (birthDate.isAfter(today) || birthDate.isBefore(FIRST_KOSEKI)) {
            throw f.malformed("birthDate", "is not a possible date of birth");
        }
        return new AppliedFields(honseki, hittosha, name, birthDate);
    }

    private static String text(JsonFields f, String field, int max) {
        String s = f.text(field, max).strip();
        if (s.isEmpty()) {
            throw f.malformed(field, "is blank");
        }
        if (!printable(s)) {
            throw f.malformed(field, "holds a control, format or separator character");
        }
        return s;
    }

    /** No C0/C1 controls, no format characters (bidi overrides, zero-width), no lone surrogates, no line breaks. */
    static boolean printable(String s) {
        return s.codePoints().allMatch(cp -> switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        });
    }
}
