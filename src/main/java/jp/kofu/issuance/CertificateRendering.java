package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.municipality.Municipality;
import jp.kofu.pdf.CertificateContent;
import jp.kofu.pdf.CertificateForms;
import jp.kofu.pdf.CertificatePrinter;
import jp.kofu.pdf.FormLayout;
import jp.kofu.pdf.Issue;
import jp.kofu.pdf.PrintOutcome;
import jp.kofu.signing.MunicipalSigners;
import jp.kofu.verify.VerificationCodes;

import java.util.List;
import java.util.function.Function;

/**
 * What every type does to print: the common part of the certificate (the municipality and its mayor, each copy's
 * 発行番号 with its own verification address, the day, the municipality's form of the kind, its 公印 colour), the
 * type's content on it, and the PAdES signature with the municipality's key.
 */
@Singleton
final class CertificateRendering {
    private final CertificatePrinter printer;
    private final CertificateForms forms;
    private final MunicipalSigners signers;
    private final VerificationCodes verificationCodes;

    CertificateRendering(CertificatePrinter printer, CertificateForms forms, MunicipalSigners signers,
                         VerificationCodes verificationCodes) {
        this.printer = printer;
        this.forms = forms;
        this.signers = signers;
        this.verificationCodes = verificationCodes;
    }

    PrintOutcome print(Printing p, FormLayout.Kind kind, Function<Issue, CertificateContent> content) {
        Municipality m = p.municipality();
        List<Issue.Copy> copies = p.issuanceNumbers().stream()
                .map(n -> new Issue.Copy(n, verificationCodes.url(n))).toList();
        Issue issue = new Issue(m.name(), m.mayorTitle(), m.mayorName(), copies, p.issuedOn(),
                forms.forMunicipality(m, kind),
                m.sealColor() == Municipality.SealColor.BLACK ? Issue.SealColor.BLACK : Issue.SealColor.AS_GIVEN);
        return printer.print(content.apply(issue), signers.forMunicipality(m));
    }
}
