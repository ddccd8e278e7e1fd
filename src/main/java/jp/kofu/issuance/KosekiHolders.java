package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.card.CardId;
import jp.kofu.contract.CertificateType;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;
import jp.kofu.koseki.KosekiConnector;
import jp.kofu.koseki.KosekiResult;
import jp.kofu.koseki.registration.KosekiRegistrations;
import jp.kofu.municipality.Municipality;
import jp.kofu.replica.ReplicaState;
import jp.kofu.replica.ResidentRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which 戸籍 is the card holder's (contract §9). On the request's read transaction ({@link #find}): a card bound to a
 * current resident (the §2 rules on them: age, blocks of the type, 転出予定 in the household, 外字, 転入当日) whose
 * 本籍 is here is a {@link KosekiHolder.Resident}; a card with an approved 本籍地 利用登録 of this municipality is a
 * {@link KosekiHolder.Registered}; a bound resident without either is {@code NOT_ISSUABLE}, and a card bound to
 * nobody without a registration {@code CARD_NOT_REGISTERED} (§5: no resident of this municipality is bound to it,
 * and it has not been registered either). With no transaction open ({@link #personKey}): the person key, from the
 * registration or the 戸籍システム's person lookup.
 */
@Singleton
final class KosekiHolders {
    /** 都道府県 by the first two digits of the 全国地方公共団体コード (JIS X 0401). */
    private static final List<String> PREFECTURES = List.of("北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県",
            "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県",
            "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
            "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県",
            "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県");
    private static final Pattern SPACES = Pattern.compile("[\\s\u3000]+");
    /** A 郡 between the prefecture and a 町村 (埼玉県入間郡毛呂山町). */
    private static final Pattern COUNTY = Pattern.compile("^[^市区町村郡]{1,6}郡");

    private final Requesters requesters;
    private final Eligibility eligibility;
    private final KosekiRegistrations registrations;
    private final KosekiConnector connector;

    KosekiHolders(Requesters requesters, Eligibility eligibility, KosekiRegistrations registrations,
                  KosekiConnector connector) {
        this.requesters = requesters;
        this.eligibility = eligibility;
        this.registrations = registrations;
        this.connector = connector;
    }

    /** With {@code type} null (the 戸籍 listing) no rule of §2 but residence and age is applied to a resident. */
    KosekiHolder find(Connection c, Municipality m, ReplicaState state, CardId card, CertificateType type,
                      LocalDate today) throws SQLException {
        Optional<Requesters.Binding> binding = requesters.optionalBinding(c, state, card);
        Optional<String> registered = registrations.approvedPersonKey(c, m.code(), card);
        if (binding.isEmpty()) {
            return registered.<KosekiHolder>map(key -> new KosekiHolder.Registered(Optional.empty(), key))
                    .orElseThrow(() -> new Refusal(ErrorCode.CARD_NOT_REGISTERED,
                            "no resident bound to the card and no approved 本籍地 registration"));
        }
        Requester requester = requesters.find(c, m, binding.get(), today);
        // The rules of §2 on the one replica person a 戸籍 certificate is sure to concern: the card holder.
        if (type != null) {
            eligibility.check(c, type, requester, List.of(requester.record()), today);
        }
        ResidentRecord r = requester.record();
        if (isHere(m, r.domicile()) && r.domicileHead() != null && !r.domicileHead().isBlank()
                && r.birthDate() != null) {
            return new KosekiHolder.Resident(requester, r.domicile(), r.domicileHead(), name(r), r.birthDate(),
                    registered);
        }
        return registered.<KosekiHolder>map(key -> new KosekiHolder.Registered(Optional.of(requester), key))
                .orElseThrow(() -> Eligibility.notIssuable("本籍 not in this municipality and no approved registration"));
    }

    /**
     * The holder's person key, with no transaction open: the registration's, or the person lookup's (a lookup that
     * finds nobody falls back on a registration of the card). Not found: {@code NOT_ISSUABLE}; the 戸籍システム
     * unavailable or answering another call: {@code SERVICE_UNAVAILABLE}.
     */
    String personKey(Municipality m, KosekiHolder holder) {
        if (holder instanceof KosekiHolder.Registered r) {
            return r.personKey();
        }
        KosekiHolder.Resident resident = (KosekiHolder.Resident) holder;
        KosekiResult<Optional<String>> found = connector.personLookup(m, resident.honseki(), resident.hittosha(),
                resident.name(), resident.birthDate());
        if (found instanceof KosekiResult.Answered<Optional<String>> a) {
            return a.value().or(resident::registeredKey)
                    .orElseThrow(() -> Eligibility.notIssuable("the 戸籍システム knows no such person"));
        }
        throw refusal("person lookup", found);
    }

    /**
     * The one mapping of a 戸籍システム result that is not an answer (contract §9): 404/409 → {@code NOT_ISSUABLE};
     * unavailable, or an answer to another call (already alarmed by the connector) → {@code SERVICE_UNAVAILABLE}.
     */
    static Refusal refusal(String call, KosekiResult<?> result) {
        if (result instanceof KosekiResult.NotIssuable<?> n) {
            return Eligibility.notIssuable("戸籍システム " + call + ": " + n.reason());
        }
        if (result instanceof KosekiResult.Unavailable<?> u) {
            return new Refusal(ErrorCode.SERVICE_UNAVAILABLE, "戸籍システム " + call + " unavailable: " + u.reason());
        }
        if (result instanceof KosekiResult.Mismatch<?> x) {
            return new Refusal(ErrorCode.SERVICE_UNAVAILABLE, "戸籍システム " + call + " answer refused: " + x.reason()
                    + " (requestId " + x.requestId() + ")");
        }
        throw new IllegalArgumentException("an answer is no refusal");
    }

    /**
     * Whether a 本籍 is in this municipality: it starts, spaces aside, with the prefecture of the municipality's code
     * (its first two digits), an optional 郡, and the municipality's name ({@code 埼玉県川口市青木二丁目1番地} for
     * 112038 川口市). The prefecture is what tells 東京都府中市 from 広島県府中市.
     */
    static boolean isHere(Municipality m, String domicile) {
        if (domicile == null) {
            return false;
        }
        int prefecture = Integer.parseInt(m.code().substring(0, 2));
        if (prefecture < 1 || prefecture > PREFECTURES.size()) {
            return false;
        }
        String d = SPACES.matcher(domicile).replaceAll("");
        String p = PREFECTURES.get(prefecture - 1);
        if (!d.startsWith(p)) {
            return false;
        }
        String rest = d.substring(p.length());
        String city = SPACES.matcher(m.name()).replaceAll("");
        if (rest.startsWith(city)) {
            return true;
        }
        var county = COUNTY.matcher(rest);
        return county.find() && rest.substring(county.end()).startsWith(city);
    }

    private static String name(ResidentRecord r) {
        return r.givenName() == null ? r.familyName() : r.familyName() + "　" + r.givenName();
    }
}
