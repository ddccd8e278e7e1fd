package jp.kofu.pdf;

import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * IPAmj明朝, read once per JVM and parsed into a few {@link TrueTypeFont}s that renderers borrow one at a time
 * (fontbox does not promise that one parsed font is safe to share between threads). A parsed font holds tens of
 * megabytes, so the pool is as large as the machine has cores, not as large as the server has threads. With each
 * parsed font come the PDFBox fonts that pages are drawn with, made once; {@link FontSubset} embeds a document's
 * own subset when it is finished.
 *
 * <p>A font is lent with its GSUB table turned on only for text that GSUB can change. PDFBox runs fontbox's GSUB
 * pass (for this font: {@code ccmp} and {@code liga} of the Latin script) over every string it shows, building a
 * regular expression each time; that was about half of the time to render a sheet. In IPAmj明朝 those features only
 * join a character with a following mark (U+3099, U+309A, U+0300, U+0301, ...), so text without any such mark is
 * drawn with exactly the same glyphs either way. The marks are read from the font's own GSUB table.
 */
final class FontPool {
    static final String FONT = "/pdf-templates/fonts/ipamjm.ttf";
    private static final int SIZE = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static FontPool instance;

    private final BlockingQueue<Lent> idle = new ArrayBlockingQueue<>(SIZE);
    private final VariationSequences sequences;
    private final CmapLookup cmap;
    private final GsubComposition composition;
    /** The font lent to this thread, to check that text with marks is never drawn without GSUB. */
    private final ThreadLocal<Lent> lent = new ThreadLocal<>();

    private FontPool(byte[] bytes) {
        try {
            TrueTypeFont any = new TTFParser().parse(new RandomAccessReadBuffer(bytes));
            for (int i = 0; i < SIZE; i++) {
                idle.add(new Lent(i == 0 ? any : new TTFParser().parse(new RandomAccessReadBuffer(bytes))));
            }
            sequences = VariationSequences.parse(any.getTableBytes(any.getTableMap().get("cmap")));
            cmap = any.getUnicodeCmapLookup();
            composition = GsubComposition.of(any);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + FONT, e);
        }
    }

    /** A piece of text as it is drawn: characters the font's cmap maps, or the variant glyph of one sequence. */
    record Run(String text, int glyph) {
        boolean isVariant() {
            return glyph > 0;
        }
    }

    /**
     * The text in runs: a variation sequence that names the base character's own glyph (IPAmj lists most as
     * "default" or maps them to that glyph) is drawn as the base character; one that names a variant glyph becomes a
     * run of its own, drawn by glyph id; one the font does not know makes the certificate not printable. Never a
     * substitute glyph. Text that GSUB may compose is never drawn with a font lent without GSUB.
     */
    List<Run> runs(String text) {
        Lent font = lent.get();
        if (font != null && !font.composing && composition.changes(text)) {
            throw new IllegalStateException("text that GSUB may compose is drawn with GSUB off");
        }
        if (text.codePoints().noneMatch(VariationSequences::isSelector)) {
            return List.of(new Run(text, 0));
        }
        List<Run> runs = new ArrayList<>();
        StringBuilder plain = new StringBuilder(text.length());
        int previous = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!VariationSequences.isSelector(cp)) {
                plain.appendCodePoint(cp);
                previous = cp;
                continue;
            }
            int glyph = previous < 0 ? VariationSequences.UNKNOWN : sequences.glyph(previous, cp);
            if (glyph == VariationSequences.UNKNOWN) {
                throw new CertificatePrinter.NotPrintable(String.format(
                        "variation sequence U+%04X U+%04X is not in the font", Math.max(previous, 0), cp));
            }
            if (glyph != VariationSequences.DEFAULT && glyph != cmap.getGlyphId(previous)) {
                plain.setLength(plain.length() - Character.charCount(previous));
                if (plain.length() > 0) {
                    runs.add(new Run(plain.toString(), 0));
                    plain.setLength(0);
                }
                runs.add(new Run(new StringBuilder().appendCodePoint(previous).appendCodePoint(cp).toString(), glyph));
            }
            previous = -1;
        }
        if (plain.length() > 0) {
            runs.add(new Run(plain.toString(), 0));
        }
        return runs;
    }

    static synchronized FontPool shared() {
        if (instance == null) {
            try (InputStream in = FontPool.class.getResourceAsStream(FONT)) {
                if (in == null) {
                    throw new IllegalStateException("font missing from the jar: " + FONT);
                }
                instance = new FontPool(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + FONT, e);
            }
        }
        return instance;
    }

    VariationSequences sequences() {
        return sequences;
    }

    CmapLookup cmap() {
        return cmap;
    }

    /**
     * A font for drawing {@code content}: every text in it (strings, lists and records, read through its record
     * components) decides whether GSUB is on. Give it back on the same thread.
     */
    Lent borrow(Record content) {
        Lent font;
        try {
            font = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a font", e);
        }
        font.composing = composition.changesAny(content);
        lent.set(font);
        return font;
    }

    void giveBack(Lent font) {
        lent.remove();
        idle.add(font);
    }

    boolean composes(String text) {
        return composition.changes(text);
    }

    /**
     * Text as the font without GSUB shows it: Identity-H, so the code of a character is its glyph id in two bytes,
     * as {@code PDType0Font.encode} makes it, and its width the one PDFBox reads from that font's {@code /W}.
     */
    record Glyphs(CmapLookup unicode, int[] bmp, float[] widths) {
        /** The glyph id of a code point (0 for none): the Basic Multilingual Plane from a table, the rest from the cmap. */
        private int glyphId(int cp) {
            return cp < bmp.length ? bmp[cp] : unicode.getGlyphId(cp);
        }

        /** The two-byte codes of {@code text}'s characters; null if the font has no glyph for one of them. */
        byte[] encode(String text) {
            byte[] codes = new byte[2 * text.length()];
            int n = 0;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                int gid = glyphId(cp);
                if (gid <= 0) {
                    return null;
                }
                codes[n++] = (byte) (gid >> 8);
                codes[n++] = (byte) gid;
            }
            return n == codes.length ? codes : java.util.Arrays.copyOf(codes, n);
        }

        /** The width of {@code text} in thousandths of the font size, summed as PDFBox's getStringWidth sums it; NaN if a glyph is missing. */
        float width(String text) {
            float width = 0;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                int gid = glyphId(cp);
                if (gid <= 0) {
                    return Float.NaN;
                }
                width += widths[gid];
            }
            return width;
        }
    }

    /**
     * One parsed font and the two PDFBox fonts made from it, with GSUB and without, drawn with on a document that is
     * never saved; used by one thread at a time.
     */
    static final class Lent {
        private final TrueTypeFont ttf;
        private final CmapLookup unicode;
        private final PDType0Font plain;
        private final PDType0Font composed;
        /**
         * The glyphs of {@link #plain}: the glyph id of each code point of the Basic Multilingual Plane in the Unicode
         * cmap (0: none), and PDFBox's width of each glyph id (its {@code /W}), in thousandths of the font size.
         */
        private final Glyphs glyphs;
        /** The first code point of each glyph id, for the ToUnicode CMap of every subset. */
        private final int[] codePoints;
        private boolean composing;

        private Lent(TrueTypeFont ttf) throws IOException {
            this.ttf = ttf;
            unicode = ttf.getUnicodeCmapLookup();
            @SuppressWarnings("resource") // holds only the two fonts' dictionaries; lives as long as the pool
            PDDocument host = new PDDocument();
            ttf.setEnableGsub(false);
            plain = PDType0Font.load(host, ttf, true);
            ttf.setEnableGsub(true);
            composed = PDType0Font.load(host, ttf, true);
            float[] widths = new float[ttf.getNumberOfGlyphs()];
            for (int gid = 0; gid < widths.length; gid++) {
                widths[gid] = plain.getWidth(gid); // Identity-H: code = CID = glyph id
            }
            codePoints = FontSubset.firstCodePoints(ttf, unicode);
            int[] bmp = new int[0x10000];
            for (int cp = 0; cp < bmp.length; cp++) {
                bmp[cp] = unicode.getGlyphId(cp);
            }
            glyphs = new Glyphs(unicode, bmp, widths);
        }

        /** The parsed font, for the widths of variant glyphs that are drawn by glyph id. */
        TrueTypeFont ttf() {
            return ttf;
        }

        /** The font to draw this document with. */
        PDType0Font font() {
            return composing ? composed : plain;
        }

        /**
         * The glyphs of the font without GSUB, for encoding and measuring text without PDFBox's per-string
         * lookups; none when this document is drawn with GSUB (PDFBox's GSUB pass must then encode it).
         */
        Glyphs glyphs() {
            return composing ? null : glyphs;
        }

        /** Puts the subset of the glyphs the pages show into the document, in place of {@link #font()}. */
        void embedSubset(PDDocument doc) throws IOException {
            FontSubset.embed(doc, font(), ttf, codePoints);
        }
    }
}
