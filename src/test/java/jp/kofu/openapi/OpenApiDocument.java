package jp.kofu.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code docs/openapi.yaml} as the tests read it: its operations by method and path, the statuses and refusal codes
 * each documents, and validation (networknt, OpenAPI 3.1's JSON Schema 2020-12 dialect) of a body against the schema
 * of an operation's response or request, with {@code $ref}s into {@code components} resolved.
 */
final class OpenApiDocument {
    static final Path FILE = Path.of("docs/openapi.yaml");
    private static final String BASE = "https://kofu.invalid/openapi.yaml";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    /** One operation: its id, method, path template and the template as a pattern of request paths. */
    record Operation(String id, String method, String path, Pattern pattern, JsonNode node) {}

    private final JsonNode root;
    private final List<Operation> operations = new ArrayList<>();
    /** OpenAPI 3.1's dialect of JSON Schema 2020-12 (knows {@code discriminator}, {@code example}, …). */
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31());
    private final Map<JsonNode, Schema> schemas = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger compiled = new java.util.concurrent.atomic.AtomicInteger();

    private OpenApiDocument(JsonNode root) {
        this.root = root;
        root.path("paths").fields().forEachRemaining(p -> {
            for (String method : METHODS) {
                JsonNode op = p.getValue().get(method);
                if (op != null) {
                    String regex = "^" + Pattern.quote(p.getKey()).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q") + "$";
                    operations.add(new Operation(op.path("operationId").asText(null), method.toUpperCase(),
                            p.getKey(), Pattern.compile(regex), op));
                }
            }
        });
    }

    static OpenApiDocument load() {
        try {
            return new OpenApiDocument(new YAMLMapper().readTree(FILE.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode root() {
        return root;
    }

    List<Operation> operations() {
        return operations;
    }

    /** The operation answering {@code method} on {@code path} (query ignored). */
    Optional<Operation> find(String method, String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return operations.stream().filter(o -> o.method().equals(method) && o.pattern().matcher(bare).matches())
                .findFirst();
    }

    /** The node a local {@code $ref} ({@code #/…}) names, if it names one. */
    Optional<JsonNode> resolve(String ref) {
        if (!ref.startsWith("#/")) {
            return Optional.empty();
        }
        JsonNode n = root.at(ref.substring(1));
        return n.isMissingNode() ? Optional.empty() : Optional.of(n);
    }

    /** {@code node}, or what its {@code $ref} names when it is a reference object. */
    JsonNode deref(JsonNode node) {
        JsonNode n = node;
        while (n.has("$ref")) {
            String ref = n.get("$ref").asText();
            n = resolve(ref).orElseThrow(() -> new IllegalStateException("unresolved " + ref));
        }
        return n;
    }

    /** The response object documented for the status, if any. */
    Optional<JsonNode> response(Operation op, int status) {
        JsonNode r = op.node().path("responses").get(Integer.toString(status));
        return r == null ? Optional.empty() : Optional.of(deref(r));
    }

    /** The documented statuses of an operation. */
    List<Integer> statuses(Operation op) {
        List<Integer> out = new ArrayList<>();
        op.node().path("responses").fieldNames().forEachRemaining(s -> out.add(Integer.parseInt(s)));
        return out;
    }

    /** The schema of the JSON answer of a response. */
    JsonNode responseSchema(JsonNode response) {
        return response.path("content").path("application/json").path("schema");
    }

    /**
     * The {@code code} values a refusal schema allows: the {@code enum} of {@code code} in one of its {@code allOf}
     * parts (the per-status narrowing of {@code Refusal}); empty for an answer that is no refusal.
     */
    List<String> codes(JsonNode schema) {
        List<String> out = new ArrayList<>();
        for (JsonNode part : schema.path("allOf")) {
            if (part.has("$ref")) {
                continue;
            }
            part.path("properties").path("code").path("enum").forEach(c -> out.add(c.asText()));
        }
        return out;
    }

    /**
     * Every documented (operation, status, code) as {@code "operationId status CODE"}, or
     * {@code "operationId status"} for an answer that is no refusal.
     */
    TreeSet<String> triples() {
        TreeSet<String> out = new TreeSet<>();
        for (Operation op : operations) {
            for (int status : statuses(op)) {
                List<String> codes = codes(responseSchema(response(op, status).orElseThrow()));
                if (codes.isEmpty()) {
                    out.add(op.id() + " " + status);
                }
                codes.forEach(c -> out.add(op.id() + " " + status + " " + c));
            }
        }
        return out;
    }

    /** The problems of {@code value} against {@code schema} (a schema object of the document); empty when valid. */
    List<String> validate(JsonNode schema, JsonNode value) {
        Schema s = schemas.computeIfAbsent(schema, this::compile);
        List<String> out = new ArrayList<>();
        for (Error e : s.validate(value)) {
            out.add(e.toString());
        }
        return out;
    }

    /**
     * A standalone schema: the document's schema object with {@code components} beside it, so that its
     * {@code #/components/…} references resolve against the same root.
     */
    private Schema compile(JsonNode schema) {
        ObjectNode standalone = schema.deepCopy();
        standalone.set("components", root.get("components"));
        // A location of its own for each: the registry keeps schemas by location.
        return registry.getSchema(SchemaLocation.of(BASE + "?schema=" + compiled.incrementAndGet()), standalone);
    }

    /** Every {@code $ref} value anywhere in the document, with the JSON pointer of where it stands. */
    Map<String, String> references() {
        Map<String, String> out = new java.util.TreeMap<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(JsonNode n, String at, Map<String, String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String here = at + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                    out.put(here, e.getValue().asText());
                } else {
                    collect(e.getValue(), here, out);
                }
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                collect(n.get(i), at + "/" + i, out);
            }
        }
    }

    static ObjectMapper json() {
        return jp.kofu.contract.Json.MAPPER;
    }
}
