package jp.kofu.pdf;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * IPAmj明朝, read once per JVM and parsed into a few {@link TrueTypeFont}s that renderers borrow one at a time
 * (fontbox does not promise that one parsed font is safe to share between threads). A parsed font holds tens of
 * megabytes, so the pool is as large as the machine has cores, not as large as the server has threads.
 */
final class FontPool {
    static final String FONT = "/pdf-templates/fonts/ipamjm.ttf";
    private static final int SIZE = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static FontPool instance;

    private final BlockingQueue<TrueTypeFont> idle = new ArrayBlockingQueue<>(SIZE);
    private final VariationSequences sequences;
    private final org.apache.fontbox.ttf.CmapLookup cmap;

    private FontPool(byte[] bytes) {
        for (int i = 0; i < SIZE; i++) {
            try {
                idle.add(new TTFParser().parse(new RandomAccessReadBuffer(bytes)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot parse " + FONT, e);
            }
        }
        try {
            TrueTypeFont any = idle.peek();
            sequences = VariationSequences.parse(any.getTableBytes(any.getTableMap().get("cmap")));
            cmap = any.getUnicodeCmapLookup();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cmap of " + FONT, e);
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
     * substitute glyph.
     */
    java.util.List<Run> runs(String text) {
        if (text.codePoints().noneMatch(VariationSequences::isSelector)) {
            return java.util.List.of(new Run(text, 0));
        }
        java.util.List<Run> runs = new java.util.ArrayList<>();
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
                throw new JuminhyoPrinter.NotPrintable(String.format(
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

    org.apache.fontbox.ttf.CmapLookup cmap() {
        return cmap;
    }

    TrueTypeFont borrow() {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a font", e);
        }
    }

    void giveBack(TrueTypeFont font) {
        idle.add(font);
    }
}
