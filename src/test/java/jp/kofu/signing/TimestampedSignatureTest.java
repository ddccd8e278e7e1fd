package jp.kofu.signing;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
import jp.kofu.pki.Pem;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code kofu.tsa.url}, certificates are PAdES-BASELINE-T; without a reachable TSA nothing is issued, and the
 * TSA_DOWN alarm is open until the authority answers again.
 */
final class TimestampedSignatureTest {
    @Test
    void signsBaselineTWithTheTimestampAuthorityAndIssuesNothingWhenItIsDown() throws Exception {
        try (TestTimestampAuthority tsa = new TestTimestampAuthority();
             TestNode node = TestNode.start(Map.of("kofu.tsa.url", tsa.url().toString()), null)) {
            CenterClient.Response r = issue(node, "TSA-1");
            assertEquals(200, r.status(), r.text());
            byte[] pdf = Base64.getDecoder().decode(Json.MAPPER.readTree(r.body()).get("pdf").asText());

            var reports = DssValidation.validate(pdf, Pem.readCertificates(node.pki().signingCa()).get(0),
                    tsa.certificate());
            String id = reports.getSimpleReport().getFirstSignatureId();
            assertEquals(eu.europa.esig.dss.enumerations.SignatureLevel.PAdES_BASELINE_T,
                    reports.getSimpleReport().getSignatureFormat(id));
            var timestamps = reports.getDiagnosticData().getSignatureById(id).getTimestampList();
            assertEquals(1, timestamps.size());
            assertTrue(timestamps.get(0).isSignatureIntact() && timestamps.get(0).isMessageImprintDataIntact(),
                    "the time-stamp covers this signature");

            tsa.goDown();
            long issued = node.count("SELECT COUNT(*) FROM issuance");
            CenterClient.Response down = issue(node, "TSA-2");
            assertEquals(503, down.status(), down.text());
            assertEquals("SERVICE_UNAVAILABLE", Json.MAPPER.readTree(down.body()).get("code").asText());
            assertEquals(issued, node.count("SELECT COUNT(*) FROM issuance"), "nothing issued without a time-stamp");
            assertEquals(1, node.count("SELECT COUNT(*) FROM issuance_log WHERE result = 'FAILED'"),
                    "the failure is in the issuance log");
            assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE kind = 'TSA_DOWN' AND municipality_code IS NULL"
                    + " AND ended_at IS NULL"), "an ASP-wide alarm of the time-stamp authority");
            assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE kind = 'TRANSACTION_FAILED'"
                    + " AND municipality_code = '112038' AND detail LIKE 'transaction=TSA-2 %'"), "and of the transaction");

            tsa.comeBack();
            assertEquals(200, issue(node, "TSA-3").status(), "the authority answers again");
            assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE kind = 'TSA_DOWN' AND ended_at IS NOT NULL"),
                    "its answer ended the alarm");
            assertEquals(0, node.count("SELECT COUNT(*) FROM alarm WHERE kind = 'TSA_DOWN' AND ended_at IS NULL"));
        }
    }

    private static CenterClient.Response issue(TestNode node, String transaction) throws Exception {
        return node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(transaction, "S",
                CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD),
                        CenterRequests.payload("112038", "SELF", OffsetDateTime.now()))), "application/json");
    }
}
