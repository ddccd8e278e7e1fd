package jp.kofu.signing;

import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.pades.validation.PDFDocumentValidator;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.reports.Reports;

import java.security.cert.X509Certificate;

/** Validates a signed PDF with the EU DSS validator, offline, trusting only the given certificates. */
public final class DssValidation {
    private DssValidation() {}

    public static Reports validate(byte[] pdf, X509Certificate... trusted) {
        PDFDocumentValidator validator = new PDFDocumentValidator(new InMemoryDocument(pdf));
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        CommonTrustedCertificateSource source = new CommonTrustedCertificateSource();
        for (X509Certificate certificate : trusted) {
            source.addCertificate(new CertificateToken(certificate));
        }
        verifier.setTrustedCertSources(source);
        verifier.setAIASource(null);
        verifier.setCrlSource(null);
        verifier.setOcspSource(null);
        validator.setCertificateVerifier(verifier);
        return validator.validateDocument();
    }
}
