package jp.kofu.replica;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.bench.SyntheticResidents;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayOutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A 再セットアップ: issuance answers from the old replica during the load, then from the new one, never a mix. */
final class SnapshotSwapTest {
    private static final String OLD = "埼玉県川口市青木二丁目1番1号";
    private static final String NEW = "埼玉県川口市本町九丁目9番9号";

    @Test
    void issuanceServesTheOldReplicaUntilTheSwapAndTheNewOneAfter() throws Exception {
        try (TestNode node = TestNode.start()) {
            SoftwareCard card = node.card(DemoResidents.FAMILY_HEAD);
            String issuer = card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253);
            String head = "{\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"112038\",\"resident\":{"
                    + "\"residentId\":\"R0000001\",\"householdId\":\"H0001\",\"familyName\":\"川口\",\"givenName\":\"太郎\","
                    + "\"sex\":\"MALE\",\"birthDate\":\"1980-04-01\",\"relationship\":\"世帯主\",\"address\":\"" + NEW + "\"}}\n"
                    + "{\"type\":\"CARD_BIND\",\"municipalityCode\":\"112038\",\"residentId\":\"R0000001\",\"issuer\":\""
                    + issuer + "\",\"serialNumber\":\"" + card.certificate().getSerialNumber().toString(16) + "\"}\n";
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            new SequenceInputStream(SyntheticResidents.snapshot("112038", 60_000),
                    new java.io.ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8))).transferTo(body);

            CompletableFuture<CenterClient.Response> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return node.sync().put("/sync/v1/snapshot?municipalityCode=112038&asOfSeq=900", body.toByteArray(),
                            "application/x-ndjson");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<String> seen = new ArrayList<>();
            CenterClient center = node.center();
            while (!load.isDone()) {
                seen.add(printedAddress(center, card));
            }
            assertEquals(200, load.get().status(), load.get().text());
            seen.add(printedAddress(center, card));
            assertTrue(seen.size() > 3, "issued during the load: " + seen.size());
            assertEquals(OLD, seen.get(0), "the old replica answers while the snapshot loads");
            assertEquals(NEW, seen.get(seen.size() - 1), "the new replica answers after the swap");
            int firstNew = seen.indexOf(NEW);
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i < firstNew ? OLD : NEW, seen.get(i), "never back, never a mix: " + seen);
            }
        }
    }

    private static String printedAddress(CenterClient center, SoftwareCard card) throws Exception {
        CenterClient.Response r = center.post("/center/v1/issuances", CenterRequests.issuanceBody(
                "W-" + System.nanoTime(), "S1", CenterRequests.sign(card,
                        CenterRequests.payload("112038", "SELF", OffsetDateTime.now()))), "application/json");
        assertEquals(200, r.status(), r.text());
        JsonNode answer = Json.MAPPER.readTree(r.body());
        try (PDDocument doc = Loader.loadPDF(Base64.getDecoder().decode(answer.get("pdf").asText()))) {
            String text = new PDFTextStripper().getText(doc);
            boolean old = text.contains(OLD);
            boolean fresh = text.contains(NEW);
            assertTrue(old ^ fresh, "exactly one of the two addresses");
            return old ? OLD : NEW;
        }
    }
}
