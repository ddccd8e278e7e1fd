package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.contract.CertificateType;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.PrintOption;
import jp.kofu.pdf.FormLayout;
import jp.kofu.pdf.JuminhyoContent;
import jp.kofu.pdf.PrintItems;
import jp.kofu.pdf.PrintOutcome;
import jp.kofu.replica.ResidentRecord;

import java.sql.Connection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * 住民票の写し (contract §2, §8): 本人 and the same household, the options of §2 with the municipality's defaults
 * (個人番号 and 住民票コード only when asked for), on the municipality's form.
 */
@Singleton
final class JuminhyoCertificate implements CertificateDefinition<Set<PrintOption>> {
    private final HouseholdSelection selection;
    private final CertificateRendering rendering;

    JuminhyoCertificate(HouseholdSelection selection, CertificateRendering rendering) {
        this.selection = selection;
        this.rendering = rendering;
    }

    @Override
    public CertificateType type() {
        return CertificateType.JUMINHYO;
    }

    /** Each option as the request says, else the municipality's default (never 個人番号 or 住民票コード); all offered. */
    @Override
    public Set<PrintOption> choices(CardRequest request, Municipality m) {
        Set<PrintOption> on = EnumSet.noneOf(PrintOption.class);
        for (PrintOption o : PrintOption.values()) {
            boolean wanted = request.options().getOrDefault(o, !o.isOnlyOnRequest() && m.defaultOptions().contains(o));
            if (wanted) {
                if (!m.offeredOptions().contains(o)) {
                    throw CardRequest.unsupported("option " + o.jsonName() + " not offered here");
                }
                on.add(o);
            }
        }
        return on;
    }

    @Override
    public String logged(Set<PrintOption> choices) {
        return choices.stream().map(PrintOption::jsonName).collect(Collectors.joining(","));
    }

    @Override
    public List<ResidentRecord> persons(Connection c, CardRequest request, Requester requester,
                                        Admission.Admitted admitted) {
        return selection.persons(request, requester, admitted);
    }

    @Override
    public PrintRun prepare(Connection c, Set<PrintOption> options, Printing p) {
        JuminhyoContent.Scope scope = switch (p.request().scope()) {
            case SELF -> JuminhyoContent.Scope.SELF;
            case HOUSEHOLD_ALL -> JuminhyoContent.Scope.HOUSEHOLD_ALL;
            case SELECTED -> JuminhyoContent.Scope.HOUSEHOLD_PART;
        };
        return () -> rendering.print(p, FormLayout.Kind.JUMINHYO,
                issue -> new JuminhyoContent(issue, scope, p.persons(), items(options)));
    }

    private static PrintItems items(Set<PrintOption> on) {
        return new PrintItems(
                on.contains(PrintOption.INCLUDE_HOUSEHOLDER) || on.contains(PrintOption.INCLUDE_RELATIONSHIP),
                on.contains(PrintOption.INCLUDE_DOMICILE),
                on.contains(PrintOption.INCLUDE_INDIVIDUAL_NUMBER),
                on.contains(PrintOption.INCLUDE_RESIDENT_CODE));
    }
}
