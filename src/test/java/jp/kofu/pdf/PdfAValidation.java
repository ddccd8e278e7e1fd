package jp.kofu.pdf;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;

import java.io.ByteArrayInputStream;
import java.util.List;

/** PDF/A-2b validation by veraPDF, independent of PDFBox. */
public final class PdfAValidation {
    private PdfAValidation() {}

    /** The rules of PDF/A-2b that {@code pdf} breaks, one line each ("6.2.11.4.1-1: …"); empty when it conforms. */
    public static List<String> failures(byte[] pdf) throws Exception {
        VeraGreenfieldFoundryProvider.initialise();
        try (PDFAParser parser = Foundries.defaultInstance()
                .createParser(new ByteArrayInputStream(pdf), PDFAFlavour.PDFA_2_B);
             PDFAValidator validator = Foundries.defaultInstance().createValidator(PDFAFlavour.PDFA_2_B, false)) {
            var result = validator.validate(parser);
            List<String> failures = result.getTestAssertions().stream()
                    .filter(a -> a.getStatus() == TestAssertion.Status.FAILED)
                    .map(a -> a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber() + ": " + a.getMessage())
                    .distinct().toList();
            if (!result.isCompliant() && failures.isEmpty()) {
                return List.of("not compliant, no rule named");
            }
            return failures;
        }
    }
}
