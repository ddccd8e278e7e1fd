package jp.kofu.pdf;

import jp.kofu.signing.DocumentSigner;
import jp.kofu.signing.PadesWriter;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.IOException;
import java.util.Calendar;

/**
 * Finishes a drawn 住民票の写し into the file that is issued: PDF/A-2b metadata and output intent, the subset of the
 * font that the pages show, and the municipality's PAdES signature, all in one write of the document.
 */
final class CertificateFile {
    private CertificateFile() {}

    /** The signed PDF of a document whose pages are drawn. */
    static byte[] write(PDDocument doc, FontPool.Lent font, JuminhyoContent content, DocumentSigner signer)
            throws IOException {
        font.embedSubset(doc);
        Calendar time = signer.signingTime();
        String title = "住民票の写し " + content.issuanceNumber();
        PdfA.apply(doc, title, content.mayorTitle(), time);
        return PadesWriter.write(doc, signer, content.mayorTitle() + " " + content.mayorName(), title, time);
    }
}
