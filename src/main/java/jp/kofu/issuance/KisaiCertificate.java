package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.contract.CertificateType;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.PrintOption;
import jp.kofu.pdf.FormLayout;
import jp.kofu.pdf.KisaiContent;
import jp.kofu.pdf.KisaiItem;
import jp.kofu.pdf.PrintOutcome;
import jp.kofu.replica.ResidentRecord;

import java.sql.Connection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * 住民票記載事項証明書 (contract §8): 本人 and the same household, as 住民票; certifies the items of {@code options.items}
 * (氏名, 生年月日, 男女の別, 住所 when none is named), never 個人番号 or 住民票コード — asking for them is
 * {@code UNSUPPORTED_CERTIFICATE}.
 */
@Singleton
final class KisaiCertificate implements CertificateDefinition<Set<KisaiItem>> {
    private final HouseholdSelection selection;
    private final CertificateRendering rendering;

    KisaiCertificate(HouseholdSelection selection, CertificateRendering rendering) {
        this.selection = selection;
        this.rendering = rendering;
    }

    @Override
    public CertificateType type() {
        return CertificateType.JUMINHYO_KISAI;
    }

    @Override
    public Set<KisaiItem> choices(CardRequest request, Municipality municipality) {
        request.refuseOptionsOnlyOnRequest("a 記載事項証明書");
        if (request.items().contains(KisaiItem.DOMICILE)
                && !municipality.offeredOptions().contains(PrintOption.INCLUDE_DOMICILE)) {
            throw CardRequest.unsupported("本籍 is not certified here");
        }
        return request.items().isEmpty() ? KisaiItem.defaults() : EnumSet.copyOf(request.items());
    }

    @Override
    public String logged(Set<KisaiItem> items) {
        return items.stream().map(Enum::name).collect(Collectors.joining(","));
    }

    @Override
    public List<ResidentRecord> persons(Connection c, CardRequest request, Requester requester,
                                        Admission.Admitted admitted) {
        return selection.persons(request, requester, admitted);
    }

    @Override
    public PrintRun prepare(Connection c, Set<KisaiItem> items, Printing p) {
        return () -> rendering.print(p, FormLayout.Kind.KISAI, issue -> new KisaiContent(issue, p.persons(), items));
    }
}
