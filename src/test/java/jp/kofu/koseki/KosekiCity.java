package jp.kofu.koseki;

import jp.kofu.TestMunicipalities;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestFiles;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

import javax.security.auth.x500.X500Principal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Kofu node serving 川口市 112038 with 戸籍 certificates and a {@code koseki} link to a {@link FakeKosekiSystem}
 * (its own test PKI, {@link LinkPki}), and residents made through the sync feed. Resident {@code KS<n>} is
 * 戸籍 試験<n>, 本籍 in 川口市 (or elsewhere when asked), and the fake's person lookup finds them as {@code P-<n>}:
 * every certificate of them prints {@code 氏名 P-<n>} (and {@code P-<n>-spouse} for the spouse of a 全部事項).
 */
final class KosekiCity implements AutoCloseable {
    static final String CODE = "112038";
    private static final Pattern NUMBER = Pattern.compile("試験(\\d+)$");

    final Path dir;
    final LinkPki pki;
    final FakeKosekiSystem fake;
    final TestNode node;
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, SoftwareCard> cards = new java.util.concurrent.ConcurrentHashMap<>();
    private ManyCards manyCards;

    KosekiCity(long timeoutMs, int maxConcurrentCalls) throws Exception {
        dir = Files.createTempDirectory("kofu-koseki-city");
        pki = new LinkPki(dir);
        fake = new FakeKosekiSystem(pki.server, pki.clientCa);
        fake.personKeys = request -> {
            Matcher m = NUMBER.matcher(request.path("name").asText().replaceAll("[\\s\u3000]", ""));
            return m.find() ? "P-" + m.group(1) : null;
        };
        Path file = dir.resolve("municipalities.yml");
        Files.writeString(file, TestMunicipalities.yaml(
            TestMunicipalities.kawaguchi("""
                serviceHours: { default: "00:00-24:00", KOSEKI_ZENBU: "00:00-24:00", KOSEKI_KOJIN: "00:00-24:00", KOSEKI_FUHYO: "00:00-24:00" }
                fees: { JUMINHYO: 200, KOSEKI_ZENBU: 450, KOSEKI_KOJIN: 450, KOSEKI_FUHYO: 300 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                koseki: { url: "%s", clientKeystore: "%s", clientKeystorePassword: "%s", trust: "%s", timeoutMs: %d, maxConcurrentCalls: %d }
                """)).formatted(fake.url(), pki.clientKeystore, new String(LinkPki.PASSWORD), pki.trust, timeoutMs,
                maxConcurrentCalls));
        node = TestNode.start(Map.of("kofu.municipalities-file", file.toString()), null);
    }

    Map<String, Object> nodeSettings() {
        return Map.of("kofu.municipalities-file", dir.resolve("municipalities.yml").toString());
    }

    /** A resident {@code KS<n>} (own household) with their bound card; 本籍 here unless {@code domicileHere} is false. */
    String resident(int n, boolean domicileHere) throws Exception {
        return residents(List.of(n), domicileHere).get(0);
    }

    /**
     * Residents {@code KS<n>} in one feed batch, each in their own household with their own bound card (made by
     * {@link ManyCards} when {@code fastCards}: hundreds of residents in a second).
     */
    List<String> residents(List<Integer> numbers, boolean domicileHere, boolean fastCards) throws Exception {
        if (fastCards) {
            if (manyCards == null) {
                manyCards = new ManyCards(node.pki());
            }
            for (int n : numbers) {
                cards.put(id(n), manyCards.next());
            }
        }
        return residents(numbers, domicileHere);
    }

    /** Residents {@code KS<n>} in one feed batch, each in their own household with their own bound card. */
    List<String> residents(List<Integer> numbers, boolean domicileHere) throws Exception {
        StringBuilder batch = new StringBuilder();
        List<String> ids = new java.util.ArrayList<>();
        for (int n : numbers) {
            String id = id(n);
            ids.add(id);
            String name = "試験" + n;
            batch.append(line("\"type\":\"RESIDENT_UPSERT\",\"resident\":{\"residentId\":\"" + id
                    + "\",\"householdId\":\"HK" + n + "\",\"familyName\":\"戸籍\",\"givenName\":\"" + name + "\","
                    + "\"sex\":\"MALE\",\"birthDate\":\"1980-04-01\",\"relationship\":\"世帯主\","
                    + "\"address\":\"埼玉県川口市本町一丁目" + n + "番\",\"becameResidentOn\":\"2000-01-01\","
                    + "\"domicile\":\"" + (domicileHere ? "埼玉県川口市青木二丁目" : "東京都府中市宮町一丁目") + n + "番地\","
                    + "\"domicileHead\":\"戸籍　" + name + "\"}"));
            var cert = card(id).certificate();
            batch.append(line("\"type\":\"CARD_BIND\",\"residentId\":\"" + id + "\",\"issuer\":\""
                    + cert.getIssuerX500Principal().getName(X500Principal.RFC2253) + "\",\"serialNumber\":\""
                    + cert.getSerialNumber().toString(16) + "\""));
        }
        CenterClient.Response r = node.sync().post("/sync/v1/changes", batch.toString().getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
        return ids;
    }

    /** One feed line, e.g. an ISSUANCE_BLOCK. */
    void feed(String fields) throws Exception {
        CenterClient.Response r = node.sync().post("/sync/v1/changes", line(fields).getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    static String id(int n) {
        return "KS" + n;
    }

    SoftwareCard card(String residentId) {
        return cards.computeIfAbsent(residentId, node::card);
    }

    private String line(String fields) {
        return "{\"seq\":" + seq.incrementAndGet() + ",\"municipalityCode\":\"" + CODE + "\"," + fields + "}\n";
    }

    /** A signed 戸籍 request of {@code type}: scope SELECTED when {@code memberIds} are given, else SELF. */
    static byte[] request(SoftwareCard card, String type, List<String> memberIds, boolean includeDomicile,
                          String transactionId) {
        ObjectNode p = CenterRequests.payload(CODE, memberIds.isEmpty() ? "SELF" : "SELECTED", OffsetDateTime.now());
        p.put("certificateType", type);
        var ids = p.putArray("memberIds");
        memberIds.forEach(ids::add);
        ((ObjectNode) p.get("options")).put("includeDomicile", includeDomicile);
        return CenterRequests.issuanceBody(transactionId, "SEJ-0012345", CenterRequests.sign(card, p));
    }

    static CenterClient.Response issue(CenterClient center, SoftwareCard card, String type, List<String> memberIds)
            throws Exception {
        return center.post("/center/v1/issuances", request(card, type, memberIds, false, transactionId()),
                "application/json");
    }

    static String transactionId() {
        return "K-" + System.nanoTime() + "-" + java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000);
    }

    /** The 戸籍 listing of the card: member id by display name. */
    static Map<String, String> listing(CenterClient center, SoftwareCard card) throws Exception {
        CenterClient.Response r = listingResponse(center, card, "KOSEKI_LISTING");
        assertEquals(200, r.status(), r.text());
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode m : Json.MAPPER.readTree(r.body()).get("members")) {
            ids.put(m.get("displayName").asText(), m.get("memberId").asText());
        }
        return ids;
    }

    static CenterClient.Response listingResponse(CenterClient center, SoftwareCard card, String certificateType)
            throws Exception {
        ObjectNode p = CenterRequests.payload(CODE, "SELF", OffsetDateTime.now());
        p.put("certificateType", certificateType);
        p.remove("scope");
        p.remove("options");
        p.remove("copies");
        String path = certificateType.equals("KOSEKI_LISTING") ? "/center/v1/koseki-members" : "/center/v1/household-members";
        return center.post(path, CenterRequests.issuanceBody(transactionId(), "SEJ-0012345", CenterRequests.sign(card, p)),
                "application/json");
    }

    static byte[] pdf(CenterClient.Response r) throws Exception {
        return Base64.getDecoder().decode(Json.MAPPER.readTree(r.body()).get("pdf").asText());
    }

    static String text(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    /** Every person key {@code P-<digits>} (with its {@code -spouse}) printed in a PDF's text. */
    static java.util.Set<String> printedKeys(String text) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("P-\\d+(-spouse)?").matcher(text.replaceAll("\\s", ""));
        while (m.find()) {
            keys.add(m.group());
        }
        return keys;
    }

    @Override
    public void close() {
        node.close();
        fake.close();
        TestFiles.deleteRecursively(dir);
    }
}
