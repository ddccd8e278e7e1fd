package jp.kofu.signing;

import org.apache.pdfbox.pdfwriter.COSWriter;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Calendar;
import java.util.HexFormat;

/**
 * Writes a document held in memory as a PAdES-signed PDF in a single save. The signature dictionary goes into the
 * document before it is written, with {@code /Contents} reserved (zeros) and PDFBox's placeholder
 * {@code /ByteRange}; the written bytes are then completed as PDF 32000-1 §12.8.1 says: the byte range is every byte
 * but the {@code /Contents} string, and the CMS signature over that range is written into the reserved string.
 * (PDFBox itself signs only in an incremental save of a loaded document, which costs a save, a parse and a second
 * save; it patches the same two places in that mode.)
 *
 * <p>The document is written by PDFBox's {@link COSWriter} as it is, without object streams (so that the signature
 * dictionary lies in the file as text) and without the font subsetting that {@link PDDocument#save} would do first:
 * the caller embeds its fonts (Kofu's certificates: {@code jp.kofu.pdf.FontSubset}).
 */
public final class PadesWriter {
    private static final byte[] RESERVED_RANGE = "/ByteRange [0 1000000000 1000000000 1000000000]"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENTS = "/Contents <".getBytes(StandardCharsets.US_ASCII);

    private PadesWriter() {}

    /**
     * The signed file. {@code name} and {@code reason} go into the signature dictionary, {@code time} is its
     * {@code /M} (PAdES: the claimed signing time; the CMS carries none).
     */
    public static byte[] write(PDDocument doc, DocumentSigner signer, String name, String reason, Calendar time)
            throws IOException {
        PDSignature signature = new PDSignature();
        signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
        signature.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
        signature.setName(name);
        signature.setReason(reason);
        signature.setSignDate(time);
        int reserved = signer.reservedSize();
        try (SignatureOptions options = new SignatureOptions()) {
            options.setPreferredSignatureSize(reserved);
            doc.addSignature(signature, options);
        }
        Buffer out = new Buffer(64 * 1024 + 2 * reserved);
        doc.getDocument().setIsXRefStream(false);
        new COSWriter(out, CompressParameters.NO_COMPRESSION).write(doc);
        byte[] pdf = out.bytes();
        int length = out.size();

        int start = -1; // the '<' of the reserved /Contents
        int range = -1; // the '[' of the reserved /ByteRange
        for (int at = 0; at < length; at++) {
            if (pdf[at] != '/') {
                continue;
            }
            if (startsWith(pdf, length, at, RESERVED_RANGE)) {
                if (range >= 0) {
                    throw new IOException("two reserved byte ranges in the written PDF");
                }
                range = at + RESERVED_RANGE.length - 36;
            } else if (startsWith(pdf, length, at, CONTENTS) && reservedAt(pdf, length, at + CONTENTS.length - 1,
                    reserved)) {
                if (start >= 0) {
                    throw new IOException("two reserved signature contents in the written PDF");
                }
                start = at + CONTENTS.length - 1;
                at = start + 2 * reserved;
            }
        }
        if (start < 0 || range < 0) {
            throw new IOException("the reserved signature contents or byte range are missing from the written PDF");
        }
        int end = start + 2 * reserved + 2; // after the '>'
        byte[] written = ("[0 " + start + " " + end + " " + (length - end) + "]").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(written, 0, pdf, range, written.length);
        for (int i = range + written.length; i < range + 36; i++) {
            pdf[i] = ' ';
        }

        InputStream signed = new SequenceInputStream(new ByteArrayInputStream(pdf, 0, start),
                new ByteArrayInputStream(pdf, end, length - end));
        byte[] cms = signer.sign(signed);
        if (cms.length > reserved) {
            throw new IOException("signature of " + cms.length + " bytes is larger than the " + reserved + " reserved");
        }
        byte[] hex = HexFormat.of().withUpperCase().formatHex(cms).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(hex, 0, pdf, start + 1, hex.length);
        return length == pdf.length ? pdf : java.util.Arrays.copyOf(pdf, length);
    }

    /** Whether a hex string of {@code reserved} zero bytes starts at {@code open}. */
    private static boolean reservedAt(byte[] pdf, int length, int open, int reserved) {
        int close = open + 1 + 2 * reserved;
        if (close >= length || pdf[close] != '>') {
            return false;
        }
        for (int i = open + 1; i < close; i++) {
            if (pdf[i] != '0') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] pdf, int length, int at, byte[] what) {
        if (at + what.length > length) {
            return false;
        }
        for (int i = 0; i < what.length; i++) {
            if (pdf[at + i] != what[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A growing byte array whose array is used in place; unlike {@link ByteArrayOutputStream} not synchronized, as
     * {@code COSWriter} writes much of the file a byte at a time.
     */
    private static final class Buffer extends OutputStream {
        private byte[] buf;
        private int count;

        Buffer(int size) {
            buf = new byte[size];
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        byte[] bytes() {
            return buf;
        }

        int size() {
            return count;
        }
    }
}
