package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.card.CardId;
import jp.kofu.contract.CertificateType;
import jp.kofu.koseki.KosekiAnswer;
import jp.kofu.koseki.KosekiConnector;
import jp.kofu.koseki.KosekiResult;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.PrintOption;
import jp.kofu.pdf.FormLayout;
import jp.kofu.pdf.KosekiContent;
import jp.kofu.pdf.PrintOutcome;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The certificates of the 戸籍 path (contract §8, §9): 戸籍全部事項証明書 ({@code KOSEKI_ZENBU}, 本人 only, of 本人's own
 * 戸籍: scope {@code SELF}), 戸籍個人事項証明書 ({@code KOSEKI_KOJIN}) and 戸籍の附票の写し ({@code KOSEKI_FUHYO}), the
 * latter two of 本人 ({@code SELF}) or of persons of the same 戸籍 ({@code SELECTED}, member ids of
 * {@code /center/v1/koseki-members}). Unlike the replica's types ({@link CertificateDefinition}) their data is asked
 * of the municipality's 戸籍システム while the certificate is printed, with no transaction open, and dropped once
 * signed; and the card holder may be a registered non-resident ({@link KosekiHolders}).
 */
@Singleton
final class KosekiCertificates {
    /** The prefix of a 戸籍 person key in the log's {@code printed_ids}, apart from resident ids. */
    static final String PRINTED_PREFIX = "koseki:";

    /**
     * What a 戸籍 request chooses.
     *
     * @param memberIds      the 戸籍 member ids of a {@code SELECTED} request (empty: 本人)
     * @param printsDomicile 附票 only: print 本籍 and 筆頭者 ({@code options.includeDomicile: true})
     */
    record Choices(CertificateType type, KosekiAnswer.Kind kind, List<String> memberIds, boolean printsDomicile) {}

    private final KosekiHolders holders;
    private final KosekiConnector connector;
    private final MemberTokens memberTokens;
    private final CertificateRendering rendering;

    KosekiCertificates(KosekiHolders holders, KosekiConnector connector, MemberTokens memberTokens,
                       CertificateRendering rendering) {
        this.holders = holders;
        this.connector = connector;
        this.memberTokens = memberTokens;
        this.rendering = rendering;
    }

    static Optional<KosekiAnswer.Kind> kind(CertificateType type) {
        return switch (type) {
            case KOSEKI_ZENBU -> Optional.of(KosekiAnswer.Kind.ZENBU);
            case KOSEKI_KOJIN -> Optional.of(KosekiAnswer.Kind.KOJIN);
            case KOSEKI_FUHYO -> Optional.of(KosekiAnswer.Kind.FUHYO);
            default -> Optional.empty();
        };
    }

    /**
     * The request's choices: {@code ZENBU} takes scope {@code SELF} and no member ids; {@code KOJIN}/{@code FUHYO}
     * {@code SELF} or {@code SELECTED}; no 戸籍 certificate has 個人番号 or 住民票コード. Else
     * {@code UNSUPPORTED_CERTIFICATE}. The 附票 prints 本籍・筆頭者 only when {@code includeDomicile} is {@code true}
     * (omitted unless requested since 2022-01-11; a municipality's 住民票 default does not turn it on).
     */
    Choices choices(CertificateType type, CardRequest request) {
        KosekiAnswer.Kind kind = kind(type).orElseThrow();
        request.refuseOptionsOnlyOnRequest("a 戸籍 certificate");
        if (kind == KosekiAnswer.Kind.ZENBU) {
            if (request.scope() != CardRequest.Scope.SELF || !request.memberIds().isEmpty()) {
                throw CardRequest.unsupported("a 戸籍全部事項証明書 is of the holder's own 戸籍 (scope SELF, no memberIds)");
            }
        } else if (request.scope() == CardRequest.Scope.HOUSEHOLD_ALL) {
            throw CardRequest.unsupported("a 戸籍 certificate has no scope HOUSEHOLD_ALL (SELF or SELECTED)");
        }
        List<String> members = request.scope() == CardRequest.Scope.SELECTED ? request.memberIds() : List.of();
        boolean domicile = kind == KosekiAnswer.Kind.FUHYO
                && Boolean.TRUE.equals(request.options().get(PrintOption.INCLUDE_DOMICILE));
        return new Choices(type, kind, members, domicile);
    }

    String logged(Choices choices) {
        return choices.printsDomicile() ? PrintOption.INCLUDE_DOMICILE.jsonName() : "";
    }

    /**
     * The 戸籍 members named by a {@code SELECTED} request: each id sealed as a 戸籍 member id to this card, in this
     * municipality, not expired ({@code NOT_ISSUABLE} otherwise: a household member id is no 戸籍 member id).
     */
    List<MemberTokens.KosekiMember> selected(Choices choices, Admission.Admitted a) {
        List<MemberTokens.KosekiMember> members = new ArrayList<>();
        for (String token : choices.memberIds()) {
            members.add(memberTokens.openKoseki(token, a.municipality().code(), a.facts().card().id(), a.now())
                    .orElseThrow(() -> Eligibility.notIssuable("戸籍 member id unknown, expired or for another card")));
        }
        return members;
    }

    /** The certificate's print run: person key, the 戸籍システム's data, rendering and signature, in that order. */
    Print prepare(KosekiHolder holder, Choices choices, List<MemberTokens.KosekiMember> selected, Printing p) {
        return new Print(holder, choices, selected, p);
    }

    /**
     * A 戸籍 certificate being printed, outside any transaction. A refusal is thrown ({@code NOT_ISSUABLE},
     * {@code SERVICE_UNAVAILABLE}); {@link #printedIds} says which 戸籍 persons were asked for once that is known.
     */
    final class Print implements CertificateDefinition.PrintRun {
        private final KosekiHolder holder;
        private final Choices choices;
        private final List<MemberTokens.KosekiMember> selected;
        private final Printing printing;
        private volatile String printedIds;

        private Print(KosekiHolder holder, Choices choices, List<MemberTokens.KosekiMember> selected, Printing p) {
            this.holder = holder;
            this.choices = choices;
            this.selected = List.copyOf(selected);
            this.printing = p;
        }

        /** The person keys asked for ({@code koseki:K-1,koseki:K-2}), once the run got that far; never a name. */
        @Override
        public Optional<String> printedIds() {
            return Optional.ofNullable(printedIds);
        }

        @Override
        public PrintOutcome render() {
            Municipality m = printing.municipality();
            String key = holders.personKey(m, holder);
            Set<String> targets = new LinkedHashSet<>();
            for (MemberTokens.KosekiMember member : selected) {
                // Listed for this holder's 戸籍: a listing of another card holder's 戸籍 never opens here (the card
                // is sealed in too), nor one made before the holder's person key changed.
                if (!member.listedForPersonKey().equals(key)) {
                    throw Eligibility.notIssuable("戸籍 member id listed for another person key");
                }
                targets.add(member.personKey());
            }
            printedIds = (targets.isEmpty() ? List.of(key) : List.copyOf(targets)).stream()
                    .map(k -> PRINTED_PREFIX + k).collect(Collectors.joining(","));
            KosekiResult<KosekiAnswer> result = connector.certificateData(m, choices.kind(), key, List.copyOf(targets));
            if (!(result instanceof KosekiResult.Answered<KosekiAnswer> answered)) {
                throw KosekiHolders.refusal("certificate-data", result);
            }
            KosekiAnswer answer = answered.value();
            if (holder.requester().isEmpty()) {
                requireAge(m, key, answer, printing.issuedOn());
            }
            return rendering.print(printing, form(choices.kind()), issue -> choices.kind() == KosekiAnswer.Kind.FUHYO
                    ? KosekiContent.fuhyo(issue, answer, choices.printsDomicile())
                    : KosekiContent.of(issue, answer));
        }
    }

    /**
     * The persons of the holder's 戸籍 for {@code /center/v1/koseki-members}, with no transaction open: a
     * {@code ZENBU} certificate-data call, of which only each current (not 除籍) person's name and 続柄 are answered,
     * with a member id sealed to the card for 10 minutes.
     */
    List<Map<String, Object>> members(Municipality m, KosekiHolder holder, CardId card, Instant now, LocalDate today) {
        String key = holders.personKey(m, holder);
        KosekiResult<KosekiAnswer> result = connector.certificateData(m, KosekiAnswer.Kind.ZENBU, key, List.of());
        if (!(result instanceof KosekiResult.Answered<KosekiAnswer> answered)) {
            throw KosekiHolders.refusal("certificate-data", result);
        }
        if (holder.requester().isEmpty()) {
            requireAge(m, key, answered.value(), today);
        }
        List<Map<String, Object>> members = new ArrayList<>();
        for (KosekiAnswer.Person person : answered.value().persons()) {
            if (person.removed()) {
                continue;
            }
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("memberId", memberTokens.sealKoseki(m.code(),
                    new MemberTokens.KosekiMember(person.personKey(), key), card, now));
            member.put("displayName", person.name());
            member.put("relationship", person.relationship() == null ? "" : person.relationship());
            members.add(member);
        }
        return members;
    }

    /**
     * The minimum age of §2 for a holder who is no resident (the replica has no birth date of them): from the
     * 戸籍's own 生年月日 of the holder, when the answer prints them.
     */
    private static void requireAge(Municipality m, String key, KosekiAnswer answer, LocalDate today) {
        for (KosekiAnswer.Person person : answer.persons()) {
            if (person.personKey().equals(key)
                    && Period.between(person.birthDate(), today).getYears() < m.minimumAge()) {
                throw Eligibility.notIssuable("requester younger than the minimum age");
            }
        }
    }

    private static FormLayout.Kind form(KosekiAnswer.Kind kind) {
        return switch (kind) {
            case ZENBU -> FormLayout.Kind.KOSEKI_ZENBU;
            case KOJIN -> FormLayout.Kind.KOSEKI_KOJIN;
            case FUHYO -> FormLayout.Kind.KOSEKI_FUHYO;
        };
    }
}
