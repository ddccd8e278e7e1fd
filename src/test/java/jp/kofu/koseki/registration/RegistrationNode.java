package jp.kofu.koseki.registration;

import jp.kofu.TestMunicipalities;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.card.CardId;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import jp.kofu.db.Database;
import jp.kofu.koseki.sim.KosekiSimulator;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A node serving 川口市 (112038, which offers 戸籍 certificates and is linked to the 戸籍システム simulator on the
 * node's development PKI) and 千代田区 (131016, no 戸籍 link), for the registration tests of this package and the
 * console's. The simulator's fixture holds K-0101 川口　太郎 (本籍 埼玉県川口市青木二丁目1番地, 筆頭者 川口　太郎,
 * born 1980-04-01).
 */
public final class RegistrationNode implements AutoCloseable {
    public static final String A = "112038";
    public static final String B = "131016";
    public static final String HONSEKI = "埼玉県川口市青木二丁目1番地";
    public static final String HITTOSHA = "川口　太郎";
    public static final String NAME = "川口　太郎";
    public static final String BIRTH = "1980-04-01";
    public static final String PERSON_KEY = "K-0101";

    public final TestNode node;
    private final int simulatorPort;
    private KosekiSimulator simulator;

    private RegistrationNode(Map<String, Object> extra) throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            simulatorPort = free.getLocalPort();
        }
        Path file = TestMunicipalities.file(TestMunicipalities.yaml(
            TestMunicipalities.kawaguchi("""
                serviceHours: { default: "00:00-24:00", KOSEKI_ZENBU: "00:00-24:00", KOSEKI_KOJIN: "00:00-24:00", KOSEKI_FUHYO: "00:00-24:00" }
                fees: { JUMINHYO: 200, KOSEKI_ZENBU: 450, KOSEKI_KOJIN: 450, KOSEKI_FUHYO: 300 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                koseki: { url: "https://127.0.0.1:%d/", timeoutMs: 3000 }
                """),
            TestMunicipalities.chiyoda("""
                serviceHours: "00:00-24:00"
                fees: { JUMINHYO: 370 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                """)).formatted(simulatorPort));
        Map<String, Object> props = new java.util.HashMap<>(extra);
        props.put("kofu.municipalities-file", file.toString());
        node = TestNode.start(props, null);
        Files.delete(file);
        startSimulator();
    }

    public static RegistrationNode start() throws Exception {
        return new RegistrationNode(Map.of());
    }

    public static RegistrationNode start(Map<String, Object> extra) throws Exception {
        return new RegistrationNode(extra);
    }

    /** The 戸籍システム goes away (its calls then fail to connect). */
    public void stopSimulator() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }

    public void startSimulator() throws Exception {
        if (simulator == null) {
            simulator = KosekiSimulator.start(node.pki(), simulatorPort);
        }
    }

    /** A registration payload of 川口市 signed now, with the fixture person's fields; change fields as needed. */
    public static ObjectNode payload() {
        ObjectNode p = CenterRequests.payload(A, "SELF", OffsetDateTime.now());
        p.put("certificateType", "KOSEKI_REGISTRATION");
        p.remove("options");
        p.put("honseki", HONSEKI);
        p.put("hittosha", HITTOSHA);
        p.put("name", NAME);
        p.put("birthDate", BIRTH);
        return p;
    }

    public static byte[] body(String centerTransactionId, String jws) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("centerTransactionId", centerTransactionId);
        body.put("storeCode", "SEJ-0012345");
        body.put("cardRequest", jws);
        return Json.bytes(body);
    }

    public static CenterClient.Response apply(CenterClient caller, byte[] body) throws Exception {
        return caller.post("/center/v1/koseki-registrations", body, "application/json");
    }

    /** Applies with {@code card} and {@code payload} through the center; answers the registration id (202). */
    public String apply(SoftwareCard card, ObjectNode payload) throws Exception {
        CenterClient.Response r = apply(node.center(),
                body("C-" + UUID.randomUUID(), CenterRequests.sign(card, payload)));
        if (r.status() != 202) {
            throw new AssertionError("registration refused: " + r.status() + " " + r.text());
        }
        return Json.MAPPER.readTree(r.body()).get("registrationId").asText();
    }

    public static JsonNode json(CenterClient.Response r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    /** A card of the node's TEST JPKI, made for this name at the first call (any name: nobody is bound to it). */
    public SoftwareCard card(String name) {
        return node.card(name);
    }

    public static CardId idOf(SoftwareCard card) {
        return CardId.of(card.certificate());
    }

    /** The seam as 戸籍 issuance reads it, on a transaction of its own. */
    public Optional<String> approvedPersonKey(String municipality, SoftwareCard card) {
        KosekiRegistrations registrations = node.context().getBean(KosekiRegistrations.class);
        return node.context().getBean(Database.class)
                .read(c -> registrations.approvedPersonKey(c, municipality, idOf(card)));
    }

    public KosekiRegistrations registrations() {
        return node.context().getBean(KosekiRegistrations.class);
    }

    public long count(String sql) {
        return node.count(sql);
    }

    @Override
    public void close() {
        stopSimulator();
        node.close();
    }
}
