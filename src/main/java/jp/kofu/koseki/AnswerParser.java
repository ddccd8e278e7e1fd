package jp.kofu.koseki;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.contract.Json;
import jp.kofu.replica.ResidentRecord;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a 戸籍システム's {@code 200} bodies (contract §9) into {@link KosekiAnswer} strictly: every field the
 * certificate needs must be there in its form, or the whole answer is {@link Malformed}. Unknown fields are
 * ignored (contract preamble). Nothing of the body is ever put into an exception: a {@link Malformed} names the
 * field only.
 */
final class AnswerParser {
    private AnswerParser() {}

    /** A body that is not an answer of the contract's form; the message names the field, never a value. */
    static final class Malformed extends RuntimeException {
        Malformed(String field) {
            super("malformed 戸籍 answer at " + field, null, false, false);
        }
    }

    static KosekiAnswer certificateData(byte[] body) {
        JsonNode root = object(body);
        KosekiAnswer.Kind kind;
        try {
            kind = KosekiAnswer.Kind.valueOf(text(root, "kind", "kind"));
        } catch (IllegalArgumentException e) {
            throw new Malformed("kind");
        }
        List<KosekiAnswer.KosekiEvent> events = new ArrayList<>();
        JsonNode kosekiEvents = array(root, "kosekiEvents", "kosekiEvents");
        for (int i = 0; i < kosekiEvents.size(); i++) {
            JsonNode e = element(kosekiEvents, i, "kosekiEvents");
            String at = "kosekiEvents[" + i + "]";
            events.add(new KosekiAnswer.KosekiEvent(text(e, "label", at), date(e, "date", at)));
        }
        JsonNode persons = array(root, "persons", "persons");
        if (persons.isEmpty()) {
            throw new Malformed("persons");
        }
        List<KosekiAnswer.Person> list = new ArrayList<>();
        for (int i = 0; i < persons.size(); i++) {
            list.add(person(element(persons, i, "persons"), "persons[" + i + "]", kind));
        }
        return new KosekiAnswer(text(root, "requestId", "requestId"), text(root, "personKey", "personKey"), kind,
                text(root, "honseki", "honseki"), text(root, "hittosha", "hittosha"), events, list);
    }

    /** A {@code person-lookup} answer: {requestId, personKey}. */
    record Lookup(String requestId, String personKey) {}

    static Lookup personLookup(byte[] body) {
        JsonNode root = object(body);
        return new Lookup(text(root, "requestId", "requestId"), text(root, "personKey", "personKey"));
    }

    /** The {@code code} of an error body, or empty text when the body is not {"code": "…"}. */
    static String errorCode(byte[] body) {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            return root != null && root.path("code").isTextual() ? root.get("code").asText() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static KosekiAnswer.Person person(JsonNode p, String at, KosekiAnswer.Kind kind) {
        ResidentRecord.Sex sex;
        try {
            sex = ResidentRecord.Sex.valueOf(text(p, "sex", at));
        } catch (IllegalArgumentException e) {
            throw new Malformed(at + ".sex");
        }
        if (!p.path("removed").isBoolean()) {
            throw new Malformed(at + ".removed");
        }
        List<KosekiAnswer.Event> events = new ArrayList<>();
        if (p.has("events") || kind != KosekiAnswer.Kind.FUHYO) {
            JsonNode list = array(p, "events", at + ".events");
            for (int i = 0; i < list.size(); i++) {
                JsonNode e = element(list, i, at + ".events");
                String eat = at + ".events[" + i + "]";
                JsonNode items = array(e, "items", eat + ".items");
                List<KosekiAnswer.Item> pairs = new ArrayList<>();
                for (int j = 0; j < items.size(); j++) {
                    JsonNode pair = items.get(j);
                    if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                        throw new Malformed(eat + ".items[" + j + "]");
                    }
                    pairs.add(new KosekiAnswer.Item(pair.get(0).asText(), pair.get(1).asText()));
                }
                events.add(new KosekiAnswer.Event(text(e, "label", eat), pairs));
            }
        }
        List<KosekiAnswer.Address> addresses = new ArrayList<>();
        if (p.has("addresses") || kind == KosekiAnswer.Kind.FUHYO) {
            JsonNode list = array(p, "addresses", at + ".addresses");
            if (kind == KosekiAnswer.Kind.FUHYO && list.isEmpty()) {
                throw new Malformed(at + ".addresses");
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode a = element(list, i, at + ".addresses");
                String aat = at + ".addresses[" + i + "]";
                addresses.add(new KosekiAnswer.Address(text(a, "address", aat), date(a, "setOn", aat)));
            }
        }
        return new KosekiAnswer.Person(text(p, "personKey", at), text(p, "name", at), date(p, "birthDate", at), sex,
                optionalText(p, "father", at), optionalText(p, "mother", at), optionalText(p, "relationship", at),
                p.get("removed").asBoolean(), events, addresses);
    }

    private static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException | RuntimeException e) {
            throw new Malformed("(body: not JSON)");
        }
        if (root == null || !root.isObject()) {
            throw new Malformed("(body: not a JSON object)");
        }
        return root;
    }

    private static JsonNode element(JsonNode array, int i, String at) {
        JsonNode e = array.get(i);
        if (!e.isObject()) {
            throw new Malformed(at + "[" + i + "]");
        }
        return e;
    }

    private static JsonNode array(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new Malformed(at);
        }
        return v;
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new Malformed(at.endsWith(field) ? at : at + "." + field);
        }
        return v.asText();
    }

    /** Absent or null → null (e.g. no 父 recorded); present → non-blank text. */
    private static String optionalText(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return text(node, field, at);
    }

    private static LocalDate date(JsonNode node, String field, String at) {
        String value = text(node, field, at);
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new Malformed(at + "." + field);
        }
    }
}
