package jp.kofu.pdf;

import jp.kofu.signing.DocumentSigner;
import jp.kofu.signing.PadesWriter;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.IOException;
import java.util.Calendar;

/**
 * Finishes a drawn certificate into the file that is issued: PDF/A-2b metadata and output intent, the subset of the
 * font that the pages show, and the municipality's PAdES signature, all in one write of the document.
 */
final class CertificateFile {
    private CertificateFile() {}

    /** The signed PDF of a document whose pages are drawn. */
    static byte[] write(PDDocument doc, FontPool.Lent font, CertificateContent content, DocumentSigner signer)
            throws IOException {
        font.embedSubset(doc);
        Calendar time = signer.signingTime();
        Issue issue = content.issue();
        String title = issue.form().layout().title().text() + " " + issue.firstIssuanceNumber();
        PdfA.apply(doc, title, issue.mayorTitle(), time);
        return PadesWriter.write(doc, signer, issue.mayorTitle() + " " + issue.mayorName(), title, time);
    }
}
