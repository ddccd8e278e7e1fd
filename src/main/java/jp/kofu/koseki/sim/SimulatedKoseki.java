package jp.kofu.koseki.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.contract.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The 戸籍 of the simulator (a fixture in {@code koseki-sim/}) and how a 戸籍システム answers about them
 * (contract §9). Answers are {@code (status, body)} pairs; nothing is remembered between calls.
 */
final class SimulatedKoseki {
    /** An answer: HTTP status and JSON body. */
    record Answer(int status, JsonNode body) {}

    private final String municipalityCode;
    private final List<JsonNode> koseki = new ArrayList<>();

    private SimulatedKoseki(JsonNode fixture) {
        municipalityCode = fixture.path("municipalityCode").asText();
        fixture.path("koseki").forEach(koseki::add);
    }

    /** The fixture of 川口市 112038 shipped in the jar. */
    static SimulatedKoseki fixture() {
        try (InputStream in = SimulatedKoseki.class.getResourceAsStream("/koseki-sim/koseki-112038.json")) {
            if (in == null) {
                throw new IllegalStateException("koseki-sim/koseki-112038.json is not in the jar");
            }
            return new SimulatedKoseki(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer certificateData(JsonNode request) {
        String kind = request.path("kind").asText();
        String personKey = request.path("personKey").asText();
        List<String> targets = new ArrayList<>();
        request.path("targets").forEach(t -> targets.add(t.asText()));
        if (!request.path("requestId").isTextual() || !List.of("ZENBU", "KOJIN", "FUHYO").contains(kind)
                || ("ZENBU".equals(kind) && !targets.isEmpty())) {
            return new Answer(400, error("MALFORMED_REQUEST"));
        }
        if (!municipalityCode.equals(request.path("municipalityCode").asText())) {
            return notFound();
        }
        Optional<JsonNode> family = kosekiOf(personKey);
        if (family.isEmpty()) {
            return notFound();
        }
        List<JsonNode> printed = new ArrayList<>();
        if ("ZENBU".equals(kind)) {
            family.get().path("persons").forEach(printed::add);
        } else {
            for (String key : targets.isEmpty() ? List.of(personKey) : targets) {
                Optional<JsonNode> person = person(family.get(), key);
                if (person.isEmpty()) {
                    return notFound(); // only persons of the requester's own 戸籍
                }
                printed.add(person.get());
            }
        }
        if (person(family.get(), personKey).map(p -> p.path("pendingNotification").asBoolean()).orElse(false)
                || printed.stream().anyMatch(p -> p.path("pendingNotification").asBoolean())) {
            return new Answer(409, error("PENDING_NOTIFICATION"));
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("requestId", request.path("requestId").asText());
        answer.put("personKey", personKey);
        answer.put("kind", kind);
        answer.put("honseki", family.get().path("honseki").asText());
        answer.put("hittosha", family.get().path("hittosha").asText());
        answer.set("kosekiEvents", family.get().path("kosekiEvents").deepCopy());
        ArrayNode persons = answer.putArray("persons");
        for (JsonNode p : printed) {
            ObjectNode copy = p.deepCopy();
            copy.remove("pendingNotification");
            if ("FUHYO".equals(kind)) {
                copy.remove("events");
            } else {
                copy.remove("addresses");
            }
            persons.add(copy);
        }
        return new Answer(200, answer);
    }

    /**
     * The person of this 本籍, 筆頭者, 氏名 and 生年月日, compared without spaces (the replica writes a full-width
     * space between 氏 and 名, others a half-width one); a 除籍 person is not found in the 戸籍 they left.
     */
    Answer personLookup(JsonNode request) {
        if (!request.path("requestId").isTextual()) {
            return new Answer(400, error("MALFORMED_REQUEST"));
        }
        String honseki = bare(request.path("honseki").asText());
        String hittosha = bare(request.path("hittosha").asText());
        String name = bare(request.path("name").asText());
        String birthDate = request.path("birthDate").asText();
        for (JsonNode family : koseki) {
            if (!bare(family.path("honseki").asText()).equals(honseki)
                    || !bare(family.path("hittosha").asText()).equals(hittosha)) {
                continue;
            }
            for (JsonNode p : family.path("persons")) {
                if (!p.path("removed").asBoolean() && bare(p.path("name").asText()).equals(name)
                        && p.path("birthDate").asText().equals(birthDate)) {
                    ObjectNode answer = Json.MAPPER.createObjectNode();
                    answer.put("requestId", request.path("requestId").asText());
                    answer.put("personKey", p.path("personKey").asText());
                    return new Answer(200, answer);
                }
            }
        }
        return notFound();
    }

    int size() {
        return koseki.size();
    }

    /** The 戸籍 in which the person is (a 除籍 person also appears in the 戸籍 left: the current one wins). */
    private Optional<JsonNode> kosekiOf(String personKey) {
        JsonNode left = null;
        for (JsonNode family : koseki) {
            Optional<JsonNode> p = person(family, personKey);
            if (p.isPresent() && !p.get().path("removed").asBoolean()) {
                return Optional.of(family);
            }
            if (p.isPresent()) {
                left = family;
            }
        }
        return Optional.ofNullable(left);
    }

    private static Optional<JsonNode> person(JsonNode family, String personKey) {
        for (JsonNode p : family.path("persons")) {
            if (p.path("personKey").asText().equals(personKey)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String bare(String text) {
        return text.replaceAll("[\\s\\u3000]", "");
    }

    private static Answer notFound() {
        return new Answer(404, error("NOT_FOUND"));
    }

    private static JsonNode error(String code) {
        return Json.MAPPER.createObjectNode().put("code", code);
    }
}
