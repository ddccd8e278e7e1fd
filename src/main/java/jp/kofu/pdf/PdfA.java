package jp.kofu.pdf;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.xmpbox.DateConverter;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.schema.AdobePDFSchema;
import org.apache.xmpbox.schema.DublinCoreSchema;
import org.apache.xmpbox.schema.PDFAIdentificationSchema;
import org.apache.xmpbox.schema.XMPBasicSchema;
import org.apache.xmpbox.type.BadFieldValueException;
import org.apache.xmpbox.xml.XmpSerializer;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.TimeZone;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Makes a certificate PDF/A-2b: XMP metadata that matches the document information, and an sRGB output intent for
 * the colours it uses. Fonts are embedded by the renderer. The archival profile lets a receiving office keep and
 * verify the file for as long as it needs.
 *
 * <p>What is the same in every certificate is made once: the XMP packet is serialized by XmpBox at start-up with
 * marker values, and each document gets a copy with its title, author and date put in their places (escaped as
 * XmpBox's serializer escapes them); the ICC profile is compressed once.
 */
final class PdfA {
    private static final String PRODUCER = "Kofu";
    private static final ICC_Profile SRGB = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
    private static final byte[] SRGB_DEFLATED = deflate(SRGB.getData());
    private static final String TITLE_MARK = "kofu-title-0b5f";
    private static final String AUTHOR_MARK = "kofu-author-0b5f";
    private static final Calendar DATE_MARK = new GregorianCalendar(1901, Calendar.JANUARY, 2, 3, 4, 5);
    /** The XMP packet cut at the marks: before the title, before the author, before the date, after it. */
    private static final String[] XMP = skeleton();

    private PdfA() {}

    static void apply(PDDocument doc, String title, String author, Calendar created) throws IOException {
        PDDocumentInformation info = doc.getDocumentInformation();
        info.setTitle(title);
        info.setAuthor(author);
        info.setProducer(PRODUCER);
        info.setCreator(PRODUCER);
        info.setCreationDate(created);
        PDMetadata metadata = new PDMetadata(doc);
        metadata.importXMPMetadata(xmp(title, author, created));
        doc.getDocumentCatalog().setMetadata(metadata);

        COSStream profile = doc.getDocument().createCOSStream();
        profile.setItem(COSName.FILTER, COSName.FLATE_DECODE);
        profile.setInt(COSName.N, SRGB.getNumComponents());
        try (OutputStream out = profile.createRawOutputStream()) {
            out.write(SRGB_DEFLATED);
        }
        COSDictionary dictionary = new COSDictionary();
        dictionary.setItem(COSName.TYPE, COSName.OUTPUT_INTENT);
        dictionary.setItem(COSName.S, COSName.GTS_PDFA1);
        dictionary.setItem(COSName.DEST_OUTPUT_PROFILE, profile);
        PDOutputIntent intent = new PDOutputIntent(dictionary);
        intent.setInfo("sRGB IEC61966-2.1");
        intent.setOutputCondition("sRGB IEC61966-2.1");
        intent.setOutputConditionIdentifier("sRGB IEC61966-2.1");
        intent.setRegistryName("http://www.color.org");
        doc.getDocumentCatalog().addOutputIntent(intent);
    }

    /** The XMP packet of a certificate. */
    static byte[] xmp(String title, String author, Calendar created) {
        return (XMP[0] + escape(title) + XMP[1] + escape(author) + XMP[2] + DateConverter.toISO8601(created) + XMP[3])
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The packet as XmpBox writes it; used once for the skeleton, and by the tests to compare. */
    static byte[] xmpByXmpBox(String title, String author, Calendar created) {
        try {
            XMPMetadata xmp = XMPMetadata.createXMPMetadata();
            PDFAIdentificationSchema id = xmp.createAndAddPDFAIdentificationSchema();
            id.setPart(2);
            id.setConformance("B");
            DublinCoreSchema dc = xmp.createAndAddDublinCoreSchema();
            dc.setTitle(title);
            dc.addCreator(author);
            XMPBasicSchema basic = xmp.createAndAddXMPBasicSchema();
            basic.setCreateDate(created);
            basic.setCreatorTool(PRODUCER);
            AdobePDFSchema pdf = xmp.createAndAddAdobePDFSchema();
            pdf.setProducer(PRODUCER);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new XmpSerializer().serialize(xmp, bytes, true);
            return bytes.toByteArray();
        } catch (BadFieldValueException | javax.xml.transform.TransformerException e) {
            throw new IllegalStateException("cannot write the XMP metadata", e);
        }
    }

    private static String[] skeleton() {
        DATE_MARK.setTimeZone(TimeZone.getTimeZone("UTC"));
        String packet = new String(xmpByXmpBox(TITLE_MARK, AUTHOR_MARK, DATE_MARK), StandardCharsets.UTF_8);
        String date = DateConverter.toISO8601(DATE_MARK);
        int title = only(packet, TITLE_MARK);
        int author = only(packet, AUTHOR_MARK);
        int created = only(packet, date);
        if (!(title < author && author < created)) {
            throw new IllegalStateException("unexpected XMP layout");
        }
        return new String[] {packet.substring(0, title), packet.substring(title + TITLE_MARK.length(), author),
                packet.substring(author + AUTHOR_MARK.length(), created), packet.substring(created + date.length())};
    }

    private static int only(String packet, String mark) {
        int at = packet.indexOf(mark);
        if (at < 0 || packet.indexOf(mark, at + 1) >= 0) {
            throw new IllegalStateException("the XMP packet does not hold " + mark + " exactly once");
        }
        return at;
    }

    /**
     * Text content as the JDK's XML serializer writes it in UTF-8: markup characters and CR as references, and
     * characters beyond the BMP (𠮷) as numeric references too.
     */
    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\r' -> out.append("&#13;");
                default -> {
                    if (c > 0xFFFF) {
                        out.append("&#").append(c).append(';');
                    } else {
                        out.append((char) c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static byte[] deflate(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflater = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
            deflater.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
