package jp.kofu.demo;

import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.contract.Json;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.pki.DevPki;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar kofu.jar demo-issue --resident R0000001 --out juminhyo.pdf}: acts as the 証明書交付センター with a
 * demo card against a running demo node, writes the signed PDF and reports it printed. {@code --type KOSEKI_ZENBU}
 * (or {@code KOSEKI_KOJIN}, {@code KOSEKI_FUHYO}; {@code --domicile} prints 本籍・筆頭者 on a 附票) asks for a 戸籍
 * certificate of the card holder, from the 戸籍 simulator (docs/koseki.md).
 */
public final class DemoIssue {
    private DemoIssue() {}

    public static int run(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                return usage("unexpected argument " + a);
            }
            String key = a.substring(2);
            if (key.equals("individual-number") || key.equals("resident-code") || key.equals("domicile")) {
                opts.put(key, "true");
            } else if (i + 1 < args.length) {
                opts.put(key, args[++i]);
            } else {
                return usage("missing value for " + a);
            }
        }
        String resident = opts.getOrDefault("resident", DemoResidents.FAMILY_HEAD);
        String type = opts.getOrDefault("type", "JUMINHYO");
        if (jp.kofu.contract.CertificateType.of(type).isEmpty()) {
            return usage("--type is one of " + java.util.Arrays.toString(jp.kofu.contract.CertificateType.values()));
        }
        // 印鑑登録証明書 and 戸籍全部事項証明書 are 本人 only (contract §8); a 戸籍 certificate has no household.
        boolean self = type.equals("INKAN") || type.startsWith("KOSEKI_");
        String scope = opts.getOrDefault("scope", self ? "SELF" : "HOUSEHOLD_ALL");
        Path out = Path.of(opts.getOrDefault("out", type.startsWith("KOSEKI_") ? "koseki.pdf" : "juminhyo.pdf"));
        Path dataDir = Path.of(opts.getOrDefault("data-dir", "./data"));
        URI url = URI.create(opts.getOrDefault("url", "https://localhost:8443/"));
        Path pkiDir = dataDir.resolve("dev-pki");
        if (!Files.isDirectory(pkiDir)) {
            return usage("no development PKI in " + pkiDir + ": start the service first (java -jar target/kofu.jar)");
        }
        DevPki pki = DevPki.open(pkiDir, Clock.systemUTC());
        SoftwareCard card = SoftwareCard.load(pki.issueCard(resident), pki.password());
        CenterClient center = new CenterClient(url, pki.centerClientKeystore(), pki.password(), pki.tlsCa());

        ObjectNode payload = CenterRequests.payload(opts.getOrDefault("municipality",
                MunicipalityRegistry.demoMunicipality().code()), scope, OffsetDateTime.now());
        ObjectNode options = (ObjectNode) payload.get("options");
        options.put("includeIndividualNumber", opts.containsKey("individual-number"));
        options.put("includeResidentCode", opts.containsKey("resident-code"));
        options.put("includeDomicile", opts.containsKey("domicile"));
        payload.put("copies", Integer.parseInt(opts.getOrDefault("copies", "1")));
        payload.put("certificateType", type);
        if (opts.containsKey("items")) {
            var items = options.putArray("items");
            for (String item : opts.get("items").split(",")) {
                items.add(item.strip());
            }
        }
        String transaction = "DEMO-" + System.currentTimeMillis();
        var response = center.post("/center/v1/issuances",
                CenterRequests.issuanceBody(transaction, "DEMO-STORE", CenterRequests.sign(card, payload)),
                "application/json");
        JsonNode answer = Json.MAPPER.readTree(response.body());
        if (response.status() != 200) {
            System.err.println("Refused: HTTP " + response.status() + " " + answer);
            return 1;
        }
        byte[] pdf = Base64.getDecoder().decode(answer.get("pdf").asText());
        Files.write(out, pdf);
        String number = answer.get("issuanceNumber").asText();
        var completion = center.post("/center/v1/issuances/" + number + "/completion",
                "{\"result\":\"PRINTED\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
        System.out.println("Issued " + number + ": " + answer.get("pageCount").asInt() + " page(s), fee "
                + answer.get("fee").asInt() + " yen, written to " + out.toAbsolutePath()
                + " (completion: " + completion.text() + ")");
        return 0;
    }

    private static int usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: java -jar target/kofu.jar demo-issue [--resident R0000001]"
                + " [--type JUMINHYO|JUMINHYO_KISAI|INKAN|KOSEKI_ZENBU|KOSEKI_KOJIN|KOSEKI_FUHYO]"
                + " [--items NAME,BIRTH_DATE,…] [--scope SELF|HOUSEHOLD_ALL]"
                + " [--individual-number] [--resident-code] [--domicile] [--copies N] [--out juminhyo.pdf]"
                + " [--url https://localhost:8443/] [--data-dir ./data]");
        return 2;
    }
}
