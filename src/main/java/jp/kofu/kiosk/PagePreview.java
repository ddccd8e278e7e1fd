package jp.kofu.kiosk;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The pages of one copy of a certificate as PNG images, for the preview screen (no PDF plug-in in the browser). */
final class PagePreview {
    private static final float DPI = 110;

    private PagePreview() {}

    /** PNGs of the first {@code pages} pages of {@code pdf}. */
    static List<byte[]> render(byte[] pdf, int pages) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFRenderer renderer = new PDFRenderer(doc);
            List<byte[]> images = new ArrayList<>();
            for (int i = 0; i < Math.min(pages, doc.getNumberOfPages()); i++) {
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(renderer.renderImageWithDPI(i, DPI, ImageType.RGB), "png", png);
                images.add(png.toByteArray());
            }
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the certificate for the preview", e);
        }
    }
}
