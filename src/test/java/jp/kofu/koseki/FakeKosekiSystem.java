package jp.kofu.koseki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import jp.kofu.pki.Credential;
import jp.kofu.pki.CertificateAuthority;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A fake 戸籍システム for the connector's tests, written apart from the simulator: HTTPS on a loopback port,
 * requiring a client certificate from the given CA, answering each call as {@link #behave} says — well, slowly,
 * with another request's body, with a wrong person key, without the requester, with 404/409/500, or not at all.
 * The person data it makes is derived from the person key (e.g. name {@code 氏名 P-1}) so that a test can tell whose
 * answer it got.
 */
final class FakeKosekiSystem implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How to answer one call. */
    enum Mode {
        WELL, SWAP, WRONG_REQUEST_ID, WRONG_PERSON_KEY, WITHOUT_REQUESTER, WRONG_KIND, EXTRA_PERSON, MISSING_FIELD,
        NOT_JSON, NOT_FOUND, PENDING, SERVER_ERROR, NOT_FOUND_WITHOUT_CODE, SILENT, SLOW_BODY, HUGE
    }

    /** What to do with a call: the mode and a delay before answering. */
    record Behaviour(Mode mode, long delayMillis) {}

    private final HttpsServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    /** requestIds of the calls answered with another request's body. */
    final Set<String> swapped = ConcurrentHashMap.newKeySet();
    final Set<String> clientSubjects = ConcurrentHashMap.newKeySet();
    private final AtomicReference<JsonNode> lastRequest = new AtomicReference<>();
    private final Map<String, JsonNode> recent = new ConcurrentHashMap<>();
    volatile Function<JsonNode, Behaviour> behave = request -> new Behaviour(Mode.WELL, 0);
    /** The person key a well-answered lookup finds (null: 404 NOT_FOUND); unset: one made from the name. */
    volatile Function<JsonNode, String> personKeys;

    FakeKosekiSystem(Credential serverCredential, CertificateAuthority trustedClients) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverCredential.privateKey(), new char[0],
                serverCredential.chain().toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("clients", trustedClients.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/koseki/v1/certificate-data", this::certificateData);
        server.createContext("/koseki/v1/person-lookup", this::personLookup);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    void behaveAlways(Mode mode) {
        behave = request -> new Behaviour(mode, 0);
    }

    private void certificateData(HttpExchange exchange) throws IOException {
        JsonNode request = begin(exchange);
        try {
            Behaviour b = behave.apply(request);
            pause(b.delayMillis());
            String requestId = request.path("requestId").asText();
            switch (b.mode()) {
                case SILENT -> pause(60_000);
                case NOT_FOUND -> send(exchange, 404, "{\"code\":\"NOT_FOUND\"}");
                case NOT_FOUND_WITHOUT_CODE -> send(exchange, 404, "<html>no such page</html>");
                case PENDING -> send(exchange, 409, "{\"code\":\"PENDING_NOTIFICATION\"}");
                case SERVER_ERROR -> send(exchange, 500, "{\"code\":\"INTERNAL\"}");
                case NOT_JSON -> send(exchange, 200, "{\"requestId\":\"" + requestId + "\", persons: [");
                case HUGE -> send(exchange, 200, answer(request).put("padding", "x".repeat(3 << 20)).toString());
                case SLOW_BODY -> {
                    // headers at once, then the body trickles: the deadline covers the whole answer
                    byte[] bytes = answer(request).toString().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, bytes.length);
                    OutputStream out = exchange.getResponseBody();
                    for (byte x : bytes) {
                        out.write(x);
                        out.flush();
                        pause(20);
                        if (Thread.currentThread().isInterrupted()) {
                            break;
                        }
                    }
                }
                case SWAP -> {
                    JsonNode other = otherThan(requestId);
                    swapped.add(requestId);
                    send(exchange, 200, answer(other).toString());
                }
                default -> {
                    ObjectNode answer = answer(request);
                    switch (b.mode()) {
                        case WRONG_REQUEST_ID -> answer.put("requestId", java.util.UUID.randomUUID().toString());
                        case WRONG_PERSON_KEY -> answer.put("personKey", "P-SOMEONE-ELSE");
                        case WITHOUT_REQUESTER -> {
                            ArrayNode persons = (ArrayNode) answer.get("persons");
                            for (int i = persons.size() - 1; i >= 0; i--) {
                                if (persons.get(i).path("personKey").asText().equals(request.path("personKey").asText())) {
                                    persons.remove(i);
                                }
                            }
                            if (persons.isEmpty()) {
                                persons.add(person("P-OTHER", request.path("kind").asText()));
                            }
                        }
                        case WRONG_KIND -> answer.put("kind", "ZENBU".equals(answer.path("kind").asText()) ? "KOJIN" : "ZENBU");
                        case EXTRA_PERSON -> ((ArrayNode) answer.get("persons")).add(person("P-EXTRA", request.path("kind").asText()));
                        case MISSING_FIELD -> ((ObjectNode) answer.get("persons").get(0)).remove("birthDate");
                        default -> { }
                    }
                    send(exchange, 200, answer.toString());
                }
            }
        } finally {
            end(exchange);
        }
    }

    private void personLookup(HttpExchange exchange) throws IOException {
        JsonNode request = begin(exchange);
        try {
            Behaviour b = behave.apply(request);
            pause(b.delayMillis());
            String requestId = request.path("requestId").asText();
            switch (b.mode()) {
                case SILENT -> pause(60_000);
                case NOT_FOUND -> send(exchange, 404, "{\"code\":\"NOT_FOUND\"}");
                case PENDING -> send(exchange, 409, "{\"code\":\"PENDING_NOTIFICATION\"}");
                case SERVER_ERROR -> send(exchange, 500, "{}");
                case WRONG_REQUEST_ID, SWAP -> send(exchange, 200,
                        "{\"requestId\":\"" + java.util.UUID.randomUUID() + "\",\"personKey\":\"P-SOMEONE-ELSE\"}");
                default -> {
                    String key = personKeys == null ? "P-" + Math.abs(request.path("name").asText().hashCode())
                            : personKeys.apply(request);
                    if (key == null) {
                        send(exchange, 404, "{\"code\":\"NOT_FOUND\"}");
                    } else {
                        send(exchange, 200, "{\"requestId\":\"" + requestId + "\",\"personKey\":\"" + key + "\"}");
                    }
                }
            }
        } finally {
            end(exchange);
        }
    }

    private JsonNode begin(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        SSLSession session = ((com.sun.net.httpserver.HttpsExchange) exchange).getSSLSession();
        clientSubjects.add(((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName());
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (request.has("kind")) { // a certificate-data question: what a swap answers with
            recent.put(request.path("requestId").asText(), request);
        }
        lastRequest.set(request);
        return request;
    }

    private void end(HttpExchange exchange) {
        inFlight.decrementAndGet();
        exchange.close();
    }

    /** Another request seen (the Kawasaki overwrite), or a made-up one when there is no other yet. */
    private JsonNode otherThan(String requestId) {
        for (var e : recent.entrySet()) {
            if (!e.getKey().equals(requestId)) {
                return e.getValue();
            }
        }
        ObjectNode made = JSON.createObjectNode();
        made.put("requestId", java.util.UUID.randomUUID().toString());
        made.put("kind", "ZENBU");
        made.put("personKey", "P-ANOTHER");
        made.putArray("targets");
        return made;
    }

    /** The answer the contract's form gives for a request: persons derived from their keys. */
    static ObjectNode answer(JsonNode request) {
        String kind = request.path("kind").asText();
        String requester = request.path("personKey").asText();
        ObjectNode a = JSON.createObjectNode();
        a.put("requestId", request.path("requestId").asText());
        a.put("personKey", requester);
        a.put("kind", kind);
        a.put("honseki", "埼玉県川口市青木二丁目1番");
        a.put("hittosha", "筆頭 " + requester);
        a.putArray("kosekiEvents").addObject().put("label", "戸籍編製").put("date", "2015-04-01");
        ArrayNode persons = a.putArray("persons");
        List<String> keys = new java.util.ArrayList<>();
        request.path("targets").forEach(t -> keys.add(t.asText()));
        if ("ZENBU".equals(kind)) {
            keys.clear();
            keys.add(requester);
            keys.add(requester + "-spouse");
        } else if (keys.isEmpty()) {
            keys.add(requester);
        }
        keys.forEach(k -> persons.add(person(k, kind)));
        return a;
    }

    static ObjectNode person(String key, String kind) {
        ObjectNode p = JSON.createObjectNode();
        p.put("personKey", key);
        p.put("name", "氏名 " + key);
        p.put("birthDate", "1980-04-01");
        p.put("sex", "MALE");
        p.put("father", "父 " + key);
        p.put("mother", "母 " + key);
        p.put("relationship", "長男");
        p.put("removed", false);
        ArrayNode item = p.putArray("events").addObject().put("label", "出生").putArray("items").addArray();
        item.add("出生日").add("1980-04-01");
        if ("FUHYO".equals(kind)) {
            p.putArray("addresses").addObject().put("address", "埼玉県川口市青木二丁目1番1号").put("setOn", "2015-04-01");
        }
        return p;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
