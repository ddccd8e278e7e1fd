package jp.kofu.openapi;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Judges one exchange with the service against {@code docs/openapi.yaml} and remembers what was seen: the status
 * must be documented for the operation, the body must validate against that status's schema, the documented headers
 * must be there with valid values; a request the service accepted (2xx) must validate against the request body's
 * schema, its JWS header and payload against theirs, each NDJSON line against the line schema.
 */
final class Conformance {
    private final OpenApiDocument doc;
    private final Set<String> observed = new TreeSet<>();

    Conformance(OpenApiDocument doc) {
        this.doc = doc;
    }

    /** Every (operation, status[, code]) answered so far, as {@link OpenApiDocument#triples()} writes them. */
    synchronized Set<String> observed() {
        return new TreeSet<>(observed);
    }

    /** An answer of the service: status, headers (names lower-case) and body. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        JsonNode json() {
            try {
                return OpenApiDocument.json().readTree(body);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        String code() {
            return json().path("code").asText(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase());
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }
    }

    void check(String method, String path, byte[] requestBody, String requestType, Answer answer) {
        OpenApiDocument.Operation op = doc.find(method, path)
                .orElseThrow(() -> new AssertionError("no documented operation for " + method + " " + path));
        String where = op.id() + " (" + method + " " + path + ") answered " + answer.status() + " " + answer.text();
        JsonNode response = doc.response(op, answer.status())
                .orElseThrow(() -> new AssertionError("status not documented: " + where));
        String type = answer.header("content-type").orElse("");
        JsonNode media = response.path("content");
        assertTrue(media.fieldNames().hasNext(), "documented without content: " + where);
        String documentedType = media.fieldNames().next();
        assertTrue(type.startsWith(documentedType), "Content-Type " + type + ", documented " + documentedType + ": "
                + where);
        JsonNode schema = doc.responseSchema(response);
        List<String> problems = doc.validate(schema, answer.json());
        assertEquals(List.of(), problems, "answer does not validate: " + where);
        response.path("headers").fields().forEachRemaining(h -> {
            JsonNode header = doc.deref(h.getValue());
            String value = answer.header(h.getKey())
                    .orElseThrow(() -> new AssertionError("header " + h.getKey() + " missing: " + where));
            assertEquals(List.of(), doc.validate(header.path("schema"), OpenApiDocument.json().getNodeFactory()
                    .textNode(value)), "header " + h.getKey() + ": " + where);
        });
        if (answer.status() / 100 == 2 && requestBody != null) {
            checkRequest(op, requestBody, requestType, where);
        }
        List<String> codes = doc.codes(schema);
        String triple = op.id() + " " + answer.status() + (codes.isEmpty() ? "" : " " + answer.code());
        synchronized (this) {
            observed.add(triple);
        }
    }

    /** An accepted request, against what the document says a client sends. */
    private void checkRequest(OpenApiDocument.Operation op, byte[] body, String type, String where) {
        JsonNode requestBody = doc.deref(op.node().path("requestBody"));
        JsonNode media = requestBody.path("content").get(type);
        if (media == null) {
            fail("accepted a request of an undocumented media type " + type + ": " + where);
        }
        JsonNode schema = media.path("schema");
        String text = new String(body, StandardCharsets.UTF_8);
        if (type.equals("application/x-ndjson")) {
            int n = 0;
            for (String line : text.split("\n")) {
                n++;
                if (!line.isBlank()) {
                    assertEquals(List.of(), doc.validate(schema, parse(line)), "request line " + n + ": " + where);
                }
            }
            return;
        }
        JsonNode value = parse(text);
        assertEquals(List.of(), doc.validate(schema, value), "request body: " + where);
        jwsPayloadSchema(schema).ifPresent(payloadSchema -> {
            String[] parts = value.path("cardRequest").asText().split("\\.", -1);
            assertEquals(3, parts.length, "compact JWS: " + where);
            JsonNode header = parse(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            JsonNode headerSchema = doc.resolve("#/components/schemas/JwsHeader").orElseThrow();
            assertEquals(List.of(), doc.validate(headerSchema, header), "JWS header: " + where);
            JsonNode payload = parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            assertEquals(List.of(), doc.validate(payloadSchema, payload), "JWS payload: " + where);
        });
    }

    /** The schema of the decoded JWS payload ({@code x-jws-payload}) somewhere inside a request body's schema. */
    private Optional<JsonNode> jwsPayloadSchema(JsonNode schema) {
        JsonNode found = schema.findValue("x-jws-payload");
        return Optional.ofNullable(found).map(doc::deref);
    }

    private static JsonNode parse(String text) {
        try {
            return OpenApiDocument.json().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
