package jp.kofu.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.contract.Json;
import jp.kofu.pki.DevPki;
import jp.kofu.replica.CheckDigits;

import javax.security.auth.x500.X500Principal;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo municipality's residents, as a snapshot in the feed's own format: a family of four (the mother with a
 * 旧氏, a child under 15), a foreign resident with a 通称, a resident under a support measure (block), and a
 * household with a planned move-out. Every adult gets a demo card bound through the feed.
 */
public final class DemoResidents {
    public static final String FAMILY_HEAD = "R0000001";
    public static final String SPOUSE = "R0000002";
    public static final String TEEN = "R0000003";
    public static final String CHILD = "R0000004";
    public static final String FOREIGN = "R0000010";
    public static final String BLOCKED = "R0000020";
    public static final String MOVING = "R0000030";
    /** Residents who hold a demo card. */
    public static final List<String> CARD_HOLDERS = List.of(FAMILY_HEAD, SPOUSE, TEEN, CHILD, FOREIGN, BLOCKED, MOVING);

    private DemoResidents() {}

    /** The snapshot lines (NDJSON) of the demo municipality, binding cards issued by the dev PKI. */
    public static byte[] snapshot(String municipalityCode, DevPki pki) {
        List<ObjectNode> residents = residents();
        StringBuilder out = new StringBuilder();
        for (ObjectNode r : residents) {
            ObjectNode line = Json.MAPPER.createObjectNode();
            line.put("type", "RESIDENT_UPSERT");
            line.put("municipalityCode", municipalityCode);
            line.set("resident", r);
            out.append(line).append('\n');
        }
        for (String id : CARD_HOLDERS) {
            X509Certificate card = SoftwareCard.load(pki.issueCard(id), pki.password()).certificate();
            ObjectNode line = Json.MAPPER.createObjectNode();
            line.put("type", "CARD_BIND");
            line.put("municipalityCode", municipalityCode);
            line.put("residentId", id);
            line.put("issuer", card.getIssuerX500Principal().getName(X500Principal.RFC2253));
            line.put("serialNumber", card.getSerialNumber().toString(16));
            out.append(line).append('\n');
        }
        ObjectNode block = Json.MAPPER.createObjectNode();
        block.put("type", "ISSUANCE_BLOCK");
        block.put("municipalityCode", municipalityCode);
        block.put("residentId", BLOCKED);
        block.put("active", true);
        block.put("reason", "DV_SUPPORT");
        out.append(block).append('\n');
        // 印鑑登録: the householder, his wife under her former surname, and the foreign resident under his 通称.
        out.append(seal(municipalityCode, FAMILY_HEAD, "I-000001", "川口　太郎", "2005-04-01", 15.0,
                Samples.DemoSeal.round("川口"))).append('\n');
        out.append(seal(municipalityCode, SPOUSE, "I-000002", "髙橋　花子", "2008-06-01", 12.0,
                Samples.DemoSeal.round("髙橋"))).append('\n');
        out.append(seal(municipalityCode, FOREIGN, "I-000010", "山﨑　ジョン", "2015-10-01", 18.0,
                Samples.DemoSeal.square("山﨑"))).append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A SEAL_REGISTER line (contract §6) with a generated 印影. */
    private static ObjectNode seal(String municipalityCode, String residentId, String number, String name,
                                   String registeredOn, double sizeMm, byte[] png) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("type", "SEAL_REGISTER");
        line.put("municipalityCode", municipalityCode);
        line.put("residentId", residentId);
        line.put("registrationNumber", number);
        line.put("registeredName", name);
        line.put("registeredOn", registeredOn);
        line.put("sealSizeMm", sizeMm);
        line.put("sealImage", java.util.Base64.getEncoder().encodeToString(png));
        return line;
    }

    static List<ObjectNode> residents() {
        List<ObjectNode> list = new ArrayList<>();
        String address = "埼玉県川口市青木二丁目1番1号";
        ObjectNode head = person(FAMILY_HEAD, "H0001", 1, "川口", "太郎", "かわぐち", "たろう", "MALE", "1980-04-01",
                "世帯主", "川口　太郎", address);
        head.put("domicile", "埼玉県川口市青木二丁目1番地");
        head.put("domicileHead", "川口　太郎");
        head.put("previousAddress", "東京都北区赤羽一丁目2番3号");
        list.add(head);
        ObjectNode spouse = person(SPOUSE, "H0001", 2, "川口", "花子", "かわぐち", "はなこ", "FEMALE", "1982-07-15",
                "妻", "川口　太郎", address);
        spouse.put("formerSurname", "髙橋");
        spouse.put("formerSurnameKana", "たかはし");
        spouse.put("domicile", "埼玉県川口市青木二丁目1番地");
        spouse.put("domicileHead", "川口　太郎");
        list.add(spouse);
        list.add(person(TEEN, "H0001", 3, "川口", "一郎", "かわぐち", "いちろう", "MALE", "2010-05-05",
                "子", "川口　太郎", address));
        list.add(person(CHILD, "H0001", 4, "川口", "𠮷子", "かわぐち", "よしこ", "FEMALE", "2016-09-30",
                "子", "川口　太郎", address));
        ObjectNode foreign = person(FOREIGN, "H0002", 10, "SMITH", "JOHN", "すみす", "じょん", "MALE", "1990-01-20",
                "世帯主", "SMITH JOHN", "埼玉県川口市本町四丁目1番8号");
        foreign.put("addressSupplement", "川口ハイツ203号室");
        foreign.put("alias", "山﨑　ジョン");
        foreign.put("aliasKana", "やまさき　じょん");
        foreign.put("nationality", "アメリカ合衆国");
        foreign.put("residenceStatus", "永住者");
        foreign.put("residenceCardNumber", "AB12345678CD");
        foreign.put("article30_45Category", "中長期在留者");
        foreign.put("becameResidentReason", "転入");
        list.add(foreign);
        list.add(person(BLOCKED, "H0003", 20, "見本", "一子", "みほん", "かずこ", "FEMALE", "1975-03-03",
                "世帯主", "見本　一子", "埼玉県川口市栄町三丁目5番2号"));
        ObjectNode moving = person(MOVING, "H0004", 30, "転出", "予定", "てんしゅつ", "よてい", "MALE", "1988-11-11",
                "世帯主", "転出　予定", "埼玉県川口市芝新町7番9号");
        moving.put("plannedMoveOutOn", "2099-12-31");
        list.add(moving);
        return list;
    }

    private static ObjectNode person(String id, String household, int seed, String family, String given,
                                     String familyKana, String givenKana, String sex, String born, String relationship,
                                     String householder, String address) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("residentId", id);
        r.put("householdId", household);
        String code = String.format("%010d", 1_234_500_000L + seed);
        r.put("juminhyoCode", code + CheckDigits.checkDigit(code));
        String number = String.format("%011d", 98_765_400_000L + seed * 7L);
        r.put("individualNumber", number + CheckDigits.checkDigit(number));
        r.put("familyName", family);
        r.put("givenName", given);
        r.put("familyNameKana", familyKana);
        r.put("givenNameKana", givenKana);
        r.put("sex", sex);
        r.put("birthDate", born);
        r.put("relationship", relationship);
        r.put("householderName", householder);
        r.put("address", address);
        r.put("becameResidentOn", "2015-04-01");
        r.put("becameResidentReason", "転入");
        r.put("addressSetOn", "2015-03-28");
        r.put("addressNotifiedOn", "2015-04-01");
        return r;
    }
}
