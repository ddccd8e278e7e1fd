package jp.kofu.replica;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes on one database, changes and issuances interleaved from many threads: once a batch has answered 200
 * on either node, no issuance that starts afterwards, on either node, shows anything older, and no PDF shows a mix.
 */
final class TwoNodeConsistencyTest {
    private static final String CITY = "112038";
    private static final Pattern VERSION = Pattern.compile("青木(\\d+)番地");

    @Test
    void noIssuanceSeesDataOlderThanTheLastAnsweredBatch() throws Exception {
        try (TestNode a = TestNode.start(); TestNode b = a.sibling(Map.of(), null)) {
            SoftwareCard card = SoftwareCard.load(a.pki().issueCard("two-node"), a.pki().password());
            String issuer = card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253);
            CenterClient.Response loaded = a.sync().put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=0",
                    (upsert(0, 0) + "{\"type\":\"CARD_BIND\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\"V1\","
                            + "\"issuer\":\"" + issuer + "\",\"serialNumber\":\""
                            + card.certificate().getSerialNumber().toString(16) + "\"}\n")
                            .getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
            assertEquals(200, loaded.status(), loaded.text());

            List<TestNode> nodes = List.of(a, b);
            AtomicLong committed = new AtomicLong(0); // the address version of the last batch that answered 200
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            AtomicInteger checked = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                TestNode node = nodes.get(t % 2);
                pool.submit(() -> {
                    CenterClient center = node.center();
                    while (running.get()) {
                        long before = committed.get();
                        try {
                            Long printed = issueAndReadVersion(center, card);
                            if (printed != null) {
                                checked.incrementAndGet();
                                if (printed < before) {
                                    violations.add("printed version " + printed + " after version " + before);
                                }
                            }
                        } catch (Exception e) {
                            violations.add("issuance failed: " + e);
                        }
                    }
                    return null;
                });
            }
            long seq = 0;
            for (int version = 1; version <= 12; version++) {
                TestNode writer = nodes.get(version % 2);
                CenterClient.Response r = writer.sync().post("/sync/v1/changes",
                        upsert(++seq, version).getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
                assertEquals(200, r.status(), r.text());
                committed.set(version);
                Long seen = issueAndReadVersion(nodes.get((version + 1) % 2).center(), card);
                assertEquals(version, seen, "the other node prints the batch that just answered 200");
                Thread.sleep(150);
            }
            running.set(false);
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
            assertTrue(violations.isEmpty(), String.join("\n", new ArrayList<>(violations)));
            assertTrue(checked.get() > 10, "enough concurrent issuances were checked: " + checked.get());
        }
    }

    private static String upsert(long seq, long version) {
        return "{" + (seq == 0 ? "" : "\"seq\":" + seq + ",") + "\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\""
                + CITY + "\",\"resident\":{\"residentId\":\"V1\",\"householdId\":\"VH\",\"familyName\":\"整合\","
                + "\"givenName\":\"確認\",\"sex\":\"FEMALE\",\"birthDate\":\"1980-01-01\",\"relationship\":\"世帯主\","
                + "\"address\":\"埼玉県川口市青木" + version + "番地\",\"previousAddress\":\"埼玉県川口市青木"
                + version + "番地\"}}\n";
    }

    /** Issues V1's 住民票 and reads the address version printed; checks both printed addresses agree. */
    private static Long issueAndReadVersion(CenterClient center, SoftwareCard card) throws Exception {
        CenterClient.Response r = center.post("/center/v1/issuances", CenterRequests.issuanceBody(
                "C-" + java.util.UUID.randomUUID(), "S1", CenterRequests.sign(card,
                        CenterRequests.payload(CITY, "SELF", OffsetDateTime.now()))), "application/json");
        if (r.status() != 200) {
            throw new IllegalStateException("HTTP " + r.status() + " " + r.text());
        }
        JsonNode answer = Json.MAPPER.readTree(r.body());
        try (PDDocument doc = Loader.loadPDF(Base64.getDecoder().decode(answer.get("pdf").asText()))) {
            Matcher m = VERSION.matcher(new PDFTextStripper().getText(doc));
            List<Long> versions = new ArrayList<>();
            while (m.find()) {
                versions.add(Long.parseLong(m.group(1)));
            }
            if (versions.size() < 2 || !versions.stream().allMatch(versions.get(0)::equals)) {
                throw new IllegalStateException("a PDF mixing versions " + versions);
            }
            return versions.get(0);
        }
    }
}
