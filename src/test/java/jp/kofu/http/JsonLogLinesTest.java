package jp.kofu.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import jp.kofu.demo.DemoResidents;
import jp.kofu.replica.CheckDigits;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operations log of a real node, through the JSON encoder of {@code kofu.log.format=json}, while it serves an
 * issuance, refusals, a sync batch and two callers at once: every line is one JSON object; the lines of a
 * card-signed request carry its {@code txn} and its request's {@code req}; no line carries another request's
 * {@code txn}, nor keeps one for the next request on the same pool thread; no 個人番号 or name appears.
 */
final class JsonLogLinesTest {
    private static final String CITY = "112038";
    private static final String RESIDENT = "LOGT0001";
    private static final String FAMILY = "記録";
    private static final String GIVEN = "太一";
    private static final String ADDRESS = "埼玉県川口市記録町九丁目9番9号";
    private static final String NUMBER = checked("55566677788");
    private static final String CODE = checked("4445556667");

    private static TestNode node;
    private static SoftwareCard card;
    private static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
    private static OutputStreamAppender<ILoggingEvent> appender;
    private static Level rootLevel;

    private static String checked(String digits) {
        return digits + CheckDigits.checkDigit(digits);
    }

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        card = SoftwareCard.load(node.pki().issueCard("log-test"), node.pki().password());
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        // The encoder of the production logback.xml with kofu.log.format=json, on the running logback's root.
        Encoder<ILoggingEvent> encoder = LogbackFile.read(Map.of("kofu.log.format", "json")).encoder();
        assertInstanceOf(LogstashEncoder.class, encoder);
        appender = new OutputStreamAppender<>();
        appender.setContext(logback);
        appender.setName("json-capture");
        appender.setEncoder(encoder);
        appender.setOutputStream(CAPTURED);
        appender.start();
        Logger root = logback.getLogger(Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO); // as in production (logback-test.xml keeps test output to warnings)
        root.addAppender(appender);

        // A sync batch: a resident of known 個人番号, name and address, bound to a card.
        CenterClient sync = node.sync();
        long through = Json.MAPPER.readTree(sync.get("/sync/v1/status").body()).get(0).get("appliedThrough").asLong();
        String batch = "{\"seq\":" + (through + 1) + ",\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"" + CITY
                + "\",\"resident\":{\"residentId\":\"" + RESIDENT + "\",\"householdId\":\"LOGH0001\","
                + "\"familyName\":\"" + FAMILY + "\",\"givenName\":\"" + GIVEN + "\",\"sex\":\"MALE\","
                + "\"birthDate\":\"1970-01-01\",\"relationship\":\"世帯主\",\"juminhyoCode\":\"" + CODE + "\","
                + "\"individualNumber\":\"" + NUMBER + "\",\"address\":\"" + ADDRESS + "\"}}\n"
                + "{\"seq\":" + (through + 2) + ",\"type\":\"CARD_BIND\",\"municipalityCode\":\"" + CITY
                + "\",\"residentId\":\"" + RESIDENT + "\",\"issuer\":\""
                + card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253) + "\",\"serialNumber\":\""
                + card.certificate().getSerialNumber().toString(16) + "\"}\n";
        CenterClient.Response fed = sync.post("/sync/v1/changes", batch.getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, fed.status(), fed.text());
    }

    @AfterAll
    static void stop() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAppender(appender);
        root.setLevel(rootLevel);
        appender.stop();
        node.close();
    }

    /** Issues a 住民票 of {@code who} with the transaction id {@code txn}; answers the HTTP status. */
    private static int issue(SoftwareCard who, String txn) throws Exception {
        CenterClient.Response r = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(txn,
                "SEJ-0012345", CenterRequests.sign(who, CenterRequests.payload(CITY, "HOUSEHOLD_ALL",
                        OffsetDateTime.now()))), "application/json");
        return r.status();
    }

    /** Every line written so far, each parsed as one JSON object (a line that is not one fails the test). */
    private static List<JsonNode> lines() throws Exception {
        String text;
        synchronized (CAPTURED) {
            text = CAPTURED.toString(StandardCharsets.UTF_8);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node = Json.MAPPER.readTree(line);
            assertTrue(node.isObject(), line);
            assertNotNull(node.get("message"), line);
            assertNotNull(node.get("level"), line);
            lines.add(node);
        }
        return lines;
    }

    private static String text(JsonNode line, String field) {
        JsonNode v = line.get(field);
        return v == null ? null : v.asText();
    }

    @Test
    void anIssuanceARefusalAndASyncBatchAreJsonLinesTaggedWithTheirRequestAndTransaction() throws Exception {
        assertEquals(200, issue(card, "LOG-ISSUE-1"));
        assertEquals(422, issue(node.card(DemoResidents.CHILD), "LOG-REFUSE-1"));
        List<JsonNode> lines = lines();
        assertFalse(lines.isEmpty());

        List<JsonNode> issued = lines.stream().filter(l -> "LOG-ISSUE-1".equals(text(l, "txn"))).toList();
        assertTrue(issued.stream().anyMatch(l -> text(l, "message").startsWith("issued ")), issued.toString());
        assertEquals(1, issued.stream().map(l -> text(l, "req")).distinct().count(), "one request: " + issued);
        assertNotNull(text(issued.get(0), "req"));
        assertTrue(text(issued.get(0), "req").matches("[0-9a-f]{8}"), issued.toString());

        List<JsonNode> refused = lines.stream().filter(l -> "LOG-REFUSE-1".equals(text(l, "txn"))).toList();
        assertTrue(refused.stream().anyMatch(l -> text(l, "message").startsWith("refused transaction LOG-REFUSE-1")),
                lines.toString());

        List<JsonNode> batch = lines.stream().filter(l -> text(l, "message").startsWith("changes batch from"))
                .toList();
        assertEquals(2, batch.size(), batch.toString());
        assertNotNull(text(batch.get(0), "req"), "a sync batch has a request id: " + batch);
        assertEquals(text(batch.get(0), "req"), text(batch.get(1), "req"), "receiving and applied: one request");
        assertTrue(batch.stream().allMatch(l -> l.get("txn") == null), "a sync batch has no transaction id");
        assertNoPersonalData();
    }

    @Test
    void twoCallersAtOnceNeverCarryEachOthersTransactionId() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String txn = "LOG-PAR-" + (i % 2 == 0 ? "A" : "B") + "-" + i;
                SoftwareCard who = i % 2 == 0 ? card : node.card(DemoResidents.CHILD);
                done.add(callers.submit((Callable<Integer>) () -> issue(who, txn)));
            }
            for (Future<Integer> f : done) {
                assertTrue(Set.of(200, 422).contains(f.get()));
            }
        } finally {
            callers.shutdownNow();
        }
        Map<String, Set<String>> txnsOfRequest = new HashMap<>();
        int tagged = 0;
        for (JsonNode l : lines()) {
            String txn = text(l, "txn");
            String message = text(l, "message");
            if (txn != null) {
                assertNotNull(text(l, "req"), "a line with a transaction id has its request id: " + l);
                txnsOfRequest.computeIfAbsent(text(l, "req"), k -> new HashSet<>()).add(txn);
                tagged += txn.startsWith("LOG-PAR-") ? 1 : 0;
            }
            var named = java.util.regex.Pattern.compile("transaction (LOG-PAR-[AB]-[0-9]+)").matcher(message);
            if (named.find()) {
                assertEquals(named.group(1), txn, "a line about one transaction carries its id: " + l);
            }
        }
        assertTrue(tagged >= 12, "every request wrote a tagged line: " + tagged);
        txnsOfRequest.forEach((req, txns) -> assertEquals(1, txns.size(), "request " + req + " carries " + txns));
        assertNoPersonalData();
    }

    @Test
    void theNextRequestOnAPoolThreadDoesNotKeepATransactionId() throws Exception {
        Set<String> threadsWithTxn = new HashSet<>();
        boolean reused = false;
        for (int i = 0; i < 8; i++) {
            String txn = "LOG-SEQ-" + i;
            assertEquals(200, issue(card, txn));
            for (JsonNode l : lines()) {
                if (txn.equals(text(l, "txn"))) {
                    threadsWithTxn.add(text(l, "thread_name"));
                }
            }
            // A request refused before its body names a transaction: its line must not keep the last one's id.
            CenterClient.Response bad = node.center().post("/center/v1/issuances",
                    "not json".getBytes(StandardCharsets.UTF_8), "application/json");
            assertEquals(400, bad.status(), bad.text());
        }
        List<JsonNode> untagged = lines().stream()
                .filter(l -> text(l, "message").startsWith("refused transaction null")).toList();
        assertEquals(8, untagged.size(), untagged.toString());
        for (JsonNode l : untagged) {
            assertNull(l.get("txn"), "no transaction id left over: " + l);
            assertNotNull(text(l, "req"), l.toString());
            reused |= threadsWithTxn.contains(text(l, "thread_name"));
        }
        assertTrue(reused, "a thread that served a transaction served a later request too: " + threadsWithTxn);
        assertNoPersonalData();
    }

    /** Neither the test resident's nor a demo resident's 個人番号, 住民票コード, name, address or id. */
    private static void assertNoPersonalData() throws Exception {
        String all;
        synchronized (CAPTURED) {
            all = CAPTURED.toString(StandardCharsets.UTF_8);
        }
        for (String personal : List.of(NUMBER, CODE, FAMILY + GIVEN, FAMILY + "　" + GIVEN, GIVEN, ADDRESS,
                RESIDENT, "太郎", "花子", "𠮷子", "埼玉県川口市青木", DemoResidents.FAMILY_HEAD, DemoResidents.CHILD)) {
            assertFalse(all.contains(personal), "the log holds " + personal);
        }
        assertFalse(all.matches("(?s).*\\b[0-9]{12}\\b.*"), "no 12-digit number (a 個人番号) in the log");
    }
}
