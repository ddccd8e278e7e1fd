package jp.kofu.pdf;

import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures text in the embedded font: fits a value into its width, shrinking it down to the form's smallest size or
 * wrapping it onto the lines it may take, and refuses what still does not fit.
 */
final class Typesetter {
    /** One row of a person's box: its label and its value on one or more lines, at one size. */
    record Row(String label, List<String> lines, float size) {}

    private final PDType0Font font;
    private final TrueTypeFont ttf;
    private final FontPool fonts;
    private final FormLayout.Sizes sizes;
    /** The glyphs of {@link #font} read directly; null when it has GSUB (then PDFBox encodes and measures). */
    private final FontPool.Glyphs glyphs;

    Typesetter(PDType0Font font, TrueTypeFont ttf, FontPool fonts, FormLayout.Sizes sizes, FontPool.Glyphs glyphs) {
        this.font = font;
        this.ttf = ttf;
        this.fonts = fonts;
        this.sizes = sizes;
        this.glyphs = glyphs;
    }

    PDType0Font font() {
        return font;
    }

    FontPool fonts() {
        return fonts;
    }

    /** A row: the value at the usual size or smaller, on one line or, when allowed, on up to {@code maxLines}. */
    Row fit(String label, String value, float width, int maxLines) throws IOException {
        return fit(label, value, width, maxLines, sizes.value());
    }

    /** A row starting from size {@code start} (a name or a title may be larger than values are). */
    Row fit(String label, String value, float width, int maxLines, float start) throws IOException {
        float valueWidth = width(value);
        for (float size = start; size >= Math.min(start, sizes.smallest()); size -= 0.5f) {
            if (valueWidth / 1000f * size <= width) {
                return new Row(label, List.of(value), size);
            }
        }
        if (maxLines > 1) {
            for (float size = start; size >= sizes.smallest(); size -= 0.5f) {
                List<String> lines = wrap(value, width, size);
                if (lines.size() <= maxLines) {
                    return new Row(label, lines, size);
                }
            }
        }
        throw new CertificatePrinter.NotPrintable(label + " too long for the form");
    }

    /** The value broken between characters (Japanese has no spaces), a base and its selector kept together. */
    List<String> wrap(String value, float width, float size) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int length = Character.charCount(cp);
            if (i + length < value.length() && VariationSequences.isSelector(value.codePointAt(i + length))) {
                length += Character.charCount(value.codePointAt(i + length));
            }
            String next = line + value.substring(i, i + length);
            if (line.length() > 0 && width(next) / 1000f * size > width) {
                lines.add(line.toString());
                line.setLength(0);
                continue;
            }
            line.setLength(0);
            line.append(next);
            i += length;
        }
        lines.add(line.toString());
        return lines;
    }

    /** The width of {@code value} in thousandths of the font size. */
    float width(String value) throws IOException {
        float width = 0;
        for (FontPool.Run run : fonts.runs(value)) {
            if (run.isVariant()) {
                width += ttf.getAdvanceWidth(run.glyph()) * 1000f / ttf.getUnitsPerEm();
            } else if (glyphs != null) {
                float w = glyphs.width(run.text());
                if (Float.isNaN(w)) {
                    throw new CertificatePrinter.NotPrintable(noGlyph(run.text()));
                }
                width += w;
            } else {
                try {
                    width += font.getStringWidth(run.text());
                } catch (IllegalArgumentException e) {
                    throw new CertificatePrinter.NotPrintable(noGlyph(run.text()));
                }
            }
        }
        return width;
    }

    /**
     * The {@code Tj} operator that shows {@code text} (no variation sequence in it), byte for byte as PDFBox's
     * {@code showText} writes it; null when the font has GSUB, whose pass only PDFBox's {@code showText} runs.
     */
    byte[] showOperator(String text) throws IOException {
        if (glyphs == null) {
            return null;
        }
        byte[] codes = glyphs.encode(text);
        if (codes == null) {
            throw new CertificatePrinter.NotPrintable(noGlyph(text));
        }
        java.io.ByteArrayOutputStream op = new java.io.ByteArrayOutputStream(codes.length * 2 + 8);
        org.apache.pdfbox.pdfwriter.COSWriter.writeString(codes, op);
        op.write(TJ);
        return op.toByteArray();
    }

    private static final byte[] TJ = " Tj\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Why {@code value} cannot be drawn: its first character without a glyph. */
    String noGlyph(String value) {
        return value.codePoints()
                .filter(cp -> {
                    try {
                        font.encode(new String(Character.toChars(cp)));
                        return false;
                    } catch (IllegalArgumentException | IOException e) {
                        return true;
                    }
                })
                .mapToObj(cp -> String.format("character U+%04X has no glyph", cp))
                .findFirst().orElse("a character has no glyph");
    }
}
