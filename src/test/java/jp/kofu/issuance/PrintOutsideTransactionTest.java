package jp.kofu.issuance;

import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import jp.kofu.demo.DemoResidents;
import jp.kofu.signing.TestTimestampAuthority;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A certificate is rendered and signed with no transaction open (issue: Galera): a sync batch can be applied while it
 * is signed — here from inside the time-stamp request of its signature, which would wait forever for a lock held
 * during signing — and the issuance then reads and prints again, so that what it records is the replica as of its
 * commit.
 */
final class PrintOutsideTransactionTest {
    private static final String CITY = "112038";

    @Test
    void printsAgainWhenABatchIsAppliedWhileTheCertificateIsSigned() throws Exception {
        try (TestTimestampAuthority tsa = new TestTimestampAuthority();
             TestNode node = TestNode.start(Map.of("kofu.tsa.url", tsa.url().toString()), null)) {
            CenterClient.Response r = issueWhileABatchIsApplied(tsa, node, "PRINT-AGAIN-1", seq -> "{\"seq\":" + seq
                    + ",\"type\":\"HEARTBEAT\",\"municipalityCode\":\"" + CITY + "\",\"asOf\":\""
                    + OffsetDateTime.now() + "\"}\n");

            assertEquals(200, r.status(), r.text());
            assertEquals(2, tsa.requests(), "signed a second time, after the batch");
            assertEquals(1, node.count("SELECT COUNT(*) FROM issuance WHERE center_transaction_id = 'PRINT-AGAIN-1'"));
            assertEquals(1, node.count("SELECT COUNT(*) FROM issuance_log WHERE center_transaction_id = 'PRINT-AGAIN-1'"
                    + " AND result = 'ISSUED'"));
            String sha = Json.MAPPER.readTree(r.body()).get("pdfSha256").asText();
            assertEquals(1, node.count("SELECT COUNT(*) FROM issuance WHERE pdf_sha256 = '" + sha + "'"),
                    "the issuance records the PDF it answered (the second one)");
        }
    }

    @Test
    void issuesNothingWhenTheCardHolderIsRemovedWhileTheCertificateIsSigned() throws Exception {
        try (TestTimestampAuthority tsa = new TestTimestampAuthority();
             TestNode node = TestNode.start(Map.of("kofu.tsa.url", tsa.url().toString()), null)) {
            long issued = node.count("SELECT COUNT(*) FROM issuance");
            CenterClient.Response r = issueWhileABatchIsApplied(tsa, node, "REMOVED-WHILE-SIGNED", seq -> "{\"seq\":"
                    + seq + ",\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\""
                    + DemoResidents.FAMILY_HEAD + "\"}\n");

            assertEquals(403, r.status(), r.text());
            assertEquals("CARD_NOT_REGISTERED", Json.MAPPER.readTree(r.body()).get("code").asText(), r.text());
            assertEquals(1, tsa.requests(), "the second round stops at the read");
            assertEquals(issued, node.count("SELECT COUNT(*) FROM issuance"), "nothing issued");
            assertEquals(0, node.count("SELECT COUNT(*) FROM issuance_log WHERE result = 'ISSUED'"
                    + " AND center_transaction_id = 'REMOVED-WHILE-SIGNED'"));
            assertEquals(1, node.count("SELECT COUNT(*) FROM issuance_log WHERE result = 'REFUSED'"
                    + " AND center_transaction_id = 'REMOVED-WHILE-SIGNED'"));
        }
    }

    /**
     * Issues the family head's 住民票 while the feed's next batch ({@code line} of its seq) is applied from inside
     * the first time-stamp request, i.e. while the first print is being signed.
     */
    private static CenterClient.Response issueWhileABatchIsApplied(TestTimestampAuthority tsa, TestNode node,
                                                                   String transaction,
                                                                   java.util.function.LongFunction<String> line)
            throws Exception {
        long seq = node.count("SELECT applied_through FROM municipality_replica WHERE municipality_code = '"
                + CITY + "'");
        AtomicBoolean once = new AtomicBoolean();
        tsa.beforeAnswer(() -> {
            if (once.compareAndSet(false, true)) {
                send(node, line.apply(seq + 1));
            }
        });
        return issue(node, transaction);
    }

    private static void send(TestNode node, String lines) {
        try {
            CenterClient.Response r = node.sync().post("/sync/v1/changes", lines.getBytes(StandardCharsets.UTF_8),
                    "application/x-ndjson");
            assertEquals(200, r.status(), r.text());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CenterClient.Response issue(TestNode node, String transaction) throws Exception {
        return node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(transaction, "S",
                CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD),
                        CenterRequests.payload(CITY, "SELF", OffsetDateTime.now()))), "application/json");
    }
}
