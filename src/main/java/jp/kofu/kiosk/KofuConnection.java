package jp.kofu.kiosk;

import jp.kofu.contract.Tokyo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.kiosk.reader.CardConnection;
import jp.kofu.kiosk.reader.CardJws;
import jp.kofu.client.CenterClient;
import jp.kofu.contract.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The kiosk's calls to the Kofu node over mutual TLS (contract §3–§4), each request signed by the card in the
 * reader with {@code channel: KIOSK} and this kiosk's terminal id.
 */
final class KofuConnection {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ZoneId TOKYO = Tokyo.ZONE;

    private final Transport client;
    private final KioskSettings settings;
    private final Clock clock;

    /**
     * How a request reaches the node: mutual TLS with the kiosk's own certificate ({@link CenterClient}); a test may
     * put a fake in front of some paths.
     */
    interface Transport {
        CenterClient.Response post(String path, byte[] body) throws IOException, InterruptedException;

        CenterClient.Response get(String path) throws IOException, InterruptedException;

        static Transport of(CenterClient client) {
            return new Transport() {
                @Override
                public CenterClient.Response post(String path, byte[] body) throws IOException, InterruptedException {
                    return client.post(path, body, "application/json");
                }

                @Override
                public CenterClient.Response get(String path) throws IOException, InterruptedException {
                    return client.get(path);
                }
            };
        }
    }

    KofuConnection(KioskSettings settings, Clock clock) {
        this(settings, clock, Transport.of(new CenterClient(settings.server(), settings.clientKeystore(),
                settings.keystorePassword(), settings.serverCa())));
    }

    KofuConnection(KioskSettings settings, Clock clock, Transport transport) {
        this.client = transport;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Kofu's answer: success, or a refusal with its stable code (contract §5), which the screen shows in the
     * resident's language, and Kofu's Japanese message, shown as it is to a resident who reads 日本語.
     */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status == 200;
        }

        /** 200, or 202 of an application taken for review (§9 koseki-registrations). */
        boolean accepted() {
            return status == 200 || status == 202;
        }

        String message() {
            return body.path("message").asText("");
        }

        String code() {
            return body.path("code").asText("SERVICE_UNAVAILABLE");
        }
    }

    record Member(String memberId, String displayName, String relationship) {}

    /** The household listing (§4), signed by the card. */
    Answer listHousehold(CardConnection card) {
        ObjectNode p = payload("HOUSEHOLD_LISTING");
        return send("/center/v1/household-members", card, p);
    }

    /** The persons of the card holder's 戸籍 (§9 koseki-members), answered like the household listing. */
    Answer listKoseki(CardConnection card) {
        return send("/center/v1/koseki-members", card, payload("KOSEKI_LISTING"));
    }

    /** A 本籍地 利用登録申請 (§9), signed by the card: 202 with the {@code registrationId}. */
    Answer register(CardConnection card, KosekiApplication application) {
        ObjectNode p = payload("KOSEKI_REGISTRATION");
        p.put("honseki", application.honseki());
        p.put("hittosha", application.hittosha());
        p.put("name", application.name());
        p.put("birthDate", application.birthDate().toString());
        return send("/center/v1/koseki-registrations", card, p);
    }

    /** The status of a registration this kiosk sent (§9: only the same caller may ask): PENDING, APPROVED, REJECTED. */
    Answer registrationStatus(String registrationId) {
        try {
            CenterClient.Response r = client.get("/center/v1/koseki-registrations/"
                    + java.net.URLEncoder.encode(registrationId, StandardCharsets.UTF_8));
            return answer(r);
        } catch (IOException e) {
            return new Answer(503, Json.MAPPER.createObjectNode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(503, Json.MAPPER.createObjectNode());
        }
    }

    static List<Member> members(Answer answer) {
        List<Member> members = new java.util.ArrayList<>();
        for (JsonNode m : answer.body().path("members")) {
            members.add(new Member(m.path("memberId").asText(), m.path("displayName").asText(),
                    m.path("relationship").asText()));
        }
        return members;
    }

    /** An issuance (§3) of a certificate of {@code type} (§8), signed by the card; {@code options} may be null. */
    Answer issue(CardConnection card, String type, String scope, List<String> memberIds, ObjectNode options,
                 int copies) {
        ObjectNode p = payload(type);
        p.put("scope", scope);
        var ids = p.putArray("memberIds");
        memberIds.forEach(ids::add);
        if (options != null) {
            p.set("options", options);
        }
        p.put("copies", copies);
        return send("/center/v1/issuances", card, p);
    }

    /** The options of a 住民票の写し (§2). */
    static ObjectNode juminhyoOptions(Map<String, Boolean> options) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        options.forEach(o::put);
        return o;
    }

    /** The items a 住民票記載事項証明書 certifies (§8 {@code options.items}). */
    static ObjectNode kisaiItems(List<String> items) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        var list = o.putArray("items");
        items.forEach(list::add);
        return o;
    }

    /** Completion (§3): {@code PRINTED}, or {@code FAILED} with a reason. */
    Answer complete(String issuanceNumber, String reason) {
        String body = reason == null ? "{\"result\":\"PRINTED\"}"
                : "{\"result\":\"FAILED\",\"reason\":\"" + reason + "\"}";
        return post("/center/v1/issuances/" + issuanceNumber + "/completion", body.getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode payload(String certificateType) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("requestId", UUID.randomUUID().toString());
        p.put("municipalityCode", settings.municipalityCode());
        p.put("channel", "KIOSK");
        p.put("terminalId", settings.terminalId());
        p.put("signedAt", OffsetDateTime.ofInstant(clock.instant(), TOKYO).withNano(0).toString());
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        p.put("nonce", Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
        p.put("certificateType", certificateType);
        return p;
    }

    private Answer send(String path, CardConnection card, ObjectNode payload) {
        String jws = CardJws.sign(card, Json.bytes(payload));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("centerTransactionId", "K-" + UUID.randomUUID());
        body.put("cardRequest", jws);
        return post(path, Json.bytes(body));
    }

    private Answer post(String path, byte[] body) {
        try {
            return answer(client.post(path, body));
        } catch (IOException e) {
            return new Answer(503, Json.MAPPER.createObjectNode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(503, Json.MAPPER.createObjectNode());
        }
    }

    private static Answer answer(CenterClient.Response r) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            json = Json.MAPPER.createObjectNode();
        }
        return new Answer(r.status(), json == null || !json.isObject() ? Json.MAPPER.createObjectNode() : json);
    }
}
