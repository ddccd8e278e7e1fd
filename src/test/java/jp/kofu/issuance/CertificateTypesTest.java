package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 住民票記載事項証明書 and 印鑑登録証明書 through the real endpoint (contract §8), against the demo residents: who may be
 * printed, what each certifies, and the refusals of each type; the log row names the type and what was chosen.
 */
final class CertificateTypesTest {
    private static TestNode node;
    private static final AtomicLong SEQ = new AtomicLong(0);

    @BeforeAll
    static void start() {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ObjectNode payload(String type, String scope) {
        ObjectNode p = CenterRequests.payload("112038", scope, OffsetDateTime.now());
        p.put("certificateType", type);
        return p;
    }

    private static CenterClient.Response issue(String resident, ObjectNode payload) throws Exception {
        return node.center().post("/center/v1/issuances", CenterRequests.issuanceBody("T-" + System.nanoTime(),
                "SEJ-0012345", CenterRequests.sign(node.card(resident), payload)), "application/json");
    }

    private static String text(CenterClient.Response r) throws Exception {
        assertEquals(200, r.status(), r.text());
        JsonNode answer = Json.MAPPER.readTree(r.body());
        try (PDDocument doc = Loader.loadPDF(Base64.getDecoder().decode(answer.get("pdf").asText()))) {
            return new PDFTextStripper().getText(doc);
        }
    }

    private static void feed(String line) throws Exception {
        // The demo snapshot was loaded at seq 0: the test's own changes follow from 1.
        String event = "{\"seq\":" + SEQ.incrementAndGet() + "," + line + "}\n";
        CenterClient.Response r = node.sync().post("/sync/v1/changes", event.getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    @Test
    void issuesTheSealCertificateOfTheCardHolder() throws Exception {
        String text = text(issue(DemoResidents.SPOUSE, payload("INKAN", "SELF")));
        assertTrue(text.contains("印鑑登録証明書"), text);
        assertTrue(text.contains("髙橋"), "the registered name, under her former surname: " + text);
        assertTrue(text.contains("I-000002"), "the registration number");
        assertTrue(text.contains("登録されている印影と相違ない"), "the 認証文");
        assertFalse(text.contains("川口　一郎") || text.contains("川口 一郎"), "本人 only: nobody of the household");
        assertEquals(1, node.count("SELECT COUNT(*) FROM issuance_log WHERE certificate_type = 'INKAN'"
                + " AND result = 'ISSUED' AND requester_id = '" + DemoResidents.SPOUSE + "'"));
    }

    @Test
    void refusesTheSealCertificateOfAHouseholdOrWithoutARegistration() throws Exception {
        Refusals.assertRefused(node, 422, "UNSUPPORTED_CERTIFICATE",
                () -> issue(DemoResidents.FAMILY_HEAD, payload("INKAN", "HOUSEHOLD_ALL")));
        Refusals.assertRefused(node, 422, "NOT_ISSUABLE",
                () -> issue(DemoResidents.TEEN, payload("INKAN", "SELF")));
        ObjectNode number = payload("INKAN", "SELF");
        ((ObjectNode) number.get("options")).put("includeIndividualNumber", true);
        Refusals.assertRefused(node, 422, "UNSUPPORTED_CERTIFICATE", () -> issue(DemoResidents.FAMILY_HEAD, number));
    }

    @Test
    void aBlockNamingTheSealCertificateRefusesItAloneAndAnAbolitionEndsIt() throws Exception {
        feed("\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"112038\",\"residentId\":\"" + DemoResidents.FOREIGN
                + "\",\"active\":true,\"reason\":\"LOST_CARD\",\"certificateTypes\":[\"INKAN\"]");
        Refusals.assertRefused(node, 422, "NOT_ISSUABLE", () -> issue(DemoResidents.FOREIGN, payload("INKAN", "SELF")));
        assertEquals(200, issue(DemoResidents.FOREIGN, payload("JUMINHYO", "SELF")).status(),
                "the block names INKAN only");
        feed("\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"112038\",\"residentId\":\"" + DemoResidents.FOREIGN
                + "\",\"active\":false");
        assertEquals(200, issue(DemoResidents.FOREIGN, payload("INKAN", "SELF")).status());
        feed("\"type\":\"SEAL_ABOLISH\",\"municipalityCode\":\"112038\",\"residentId\":\"" + DemoResidents.FOREIGN + "\"");
        Refusals.assertRefused(node, 422, "NOT_ISSUABLE", () -> issue(DemoResidents.FOREIGN, payload("INKAN", "SELF")));
    }

    @Test
    void certifiesTheChosenItemsOfTheHousehold() throws Exception {
        ObjectNode p = payload("JUMINHYO_KISAI", "HOUSEHOLD_ALL");
        ((ObjectNode) p.get("options")).putArray("items").add("NAME").add("ADDRESS");
        CenterClient.Response r = issue(DemoResidents.FAMILY_HEAD, p);
        String text = text(r);
        assertTrue(text.contains("記載事項証明書"), text);
        assertTrue(text.contains("埼玉県川口市青木二丁目1番1号"), "the address was chosen");
        assertFalse(text.contains("1980"), "the birth date was not chosen: " + text);
        assertTrue(text.contains("一郎"), "the household");
        assertEquals(1, node.count("SELECT COUNT(*) FROM issuance_log WHERE certificate_type = 'JUMINHYO_KISAI'"
                + " AND options = 'NAME,ADDRESS'"), "the log names the items");
    }

    @Test
    void neverCertifiesTheIndividualNumberAndRefusesAnItemOfNoList() throws Exception {
        ObjectNode number = payload("JUMINHYO_KISAI", "SELF");
        ((ObjectNode) number.get("options")).put("includeIndividualNumber", true);
        Refusals.assertRefused(node, 422, "UNSUPPORTED_CERTIFICATE", () -> issue(DemoResidents.FAMILY_HEAD, number));
        ObjectNode unknown = payload("JUMINHYO_KISAI", "SELF");
        ((ObjectNode) unknown.get("options")).putArray("items").add("INDIVIDUAL_NUMBER");
        Refusals.assertRefused(node, 400, "MALFORMED_REQUEST", () -> issue(DemoResidents.FAMILY_HEAD, unknown));
        String text = text(issue(DemoResidents.FAMILY_HEAD, payload("JUMINHYO_KISAI", "SELF")));
        assertTrue(text.contains("1980") || text.contains("昭和55") || text.contains("５５"),
                "without items, the defaults: 氏名, 生年月日, 男女の別, 住所: " + text);
    }
}
