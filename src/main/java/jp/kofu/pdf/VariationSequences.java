package jp.kofu.pdf;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The font's Unicode Variation Sequences (cmap subtable format 14), which fontbox does not read. A sequence
 * such as 葛 + U+E0100 is either a <em>default</em> one (the base character's own glyph) or a non-default one
 * mapped to a glyph of its own.
 */
final class VariationSequences {

    /** Answer of {@link #glyph}: the sequence is the base character's default glyph. */
    static final int DEFAULT = 0;
    /** Answer of {@link #glyph}: the font does not know the sequence. */
    static final int UNKNOWN = -1;

    private final Map<Long, Integer> glyphs;

    private VariationSequences(Map<Long, Integer> glyphs) {
        this.glyphs = glyphs;
    }

    static boolean isSelector(int codePoint) {
        return (codePoint >= 0xFE00 && codePoint <= 0xFE0F) || (codePoint >= 0xE0100 && codePoint <= 0xE01EF);
    }

    /** Reads the format-14 subtable out of the raw bytes of a {@code cmap} table; none → no sequences. */
    static VariationSequences parse(byte[] cmapTable) {
        ByteBuffer cmap = ByteBuffer.wrap(cmapTable);
        int numTables = cmap.getShort(2) & 0xFFFF;
        Map<Long, Integer> glyphs = new HashMap<>();
        for (int i = 0; i < numTables; i++) {
            int record = 4 + i * 8;
            int platform = cmap.getShort(record) & 0xFFFF;
            int encoding = cmap.getShort(record + 2) & 0xFFFF;
            int offset = cmap.getInt(record + 4);
            if (platform == 0 && encoding == 5 && (cmap.getShort(offset) & 0xFFFF) == 14) {
                readFormat14(cmap, offset, glyphs);
            }
        }
        return new VariationSequences(Map.copyOf(glyphs));
    }

    private static void readFormat14(ByteBuffer cmap, int table, Map<Long, Integer> glyphs) {
        long records = cmap.getInt(table + 6) & 0xFFFFFFFFL;
        for (int r = 0; r < records; r++) {
            int at = table + 10 + r * 11;
            int selector = uint24(cmap, at);
            int defaultOffset = cmap.getInt(at + 3);
            int nonDefaultOffset = cmap.getInt(at + 7);
            if (defaultOffset != 0) {
                int ranges = cmap.getInt(table + defaultOffset);
                for (int i = 0; i < ranges; i++) {
                    int range = table + defaultOffset + 4 + i * 4;
                    int start = uint24(cmap, range);
                    int additional = cmap.get(range + 3) & 0xFF;
                    for (int base = start; base <= start + additional; base++) {
                        glyphs.put(key(base, selector), DEFAULT);
                    }
                }
            }
            if (nonDefaultOffset != 0) {
                int mappings = cmap.getInt(table + nonDefaultOffset);
                for (int i = 0; i < mappings; i++) {
                    int mapping = table + nonDefaultOffset + 4 + i * 5;
                    glyphs.put(key(uint24(cmap, mapping), selector), cmap.getShort(mapping + 3) & 0xFFFF);
                }
            }
        }
    }

    /** The glyph id of {@code base + selector}, {@link #DEFAULT} or {@link #UNKNOWN}. */
    int glyph(int base, int selector) {
        return glyphs.getOrDefault(key(base, selector), UNKNOWN);
    }

    int size() {
        return glyphs.size();
    }

    private static long key(int base, int selector) {
        return ((long) selector << 32) | base;
    }

    private static int uint24(ByteBuffer buffer, int at) {
        return ((buffer.get(at) & 0xFF) << 16) | ((buffer.get(at + 1) & 0xFF) << 8) | (buffer.get(at + 2) & 0xFF);
    }
}
