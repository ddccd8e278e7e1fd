package jp.kofu.pdf;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ideographic Variation Sequences with IPAmj明朝 (cmap format 14, which fontbox does not read): a sequence naming
 * the base character's own glyph is printed as that character; one asking for a variant glyph is refused, never
 * replaced by another glyph.
 */
final class VariationSequencesTest {
    private static FontPool fonts;

    @BeforeAll
    static void load() {
        fonts = FontPool.shared();
    }

    @Test
    void readsTheFontsVariationSequences() {
        assertTrue(fonts.sequences().size() > 10_000, "IPAmj明朝 lists its 文字情報基盤 variants");
    }

    @Test
    void printsASequenceThatNamesTheBaseGlyphAsTheBaseCharacter() {
        String base = sampleSequence(false);
        assertEquals(base.substring(0, Character.charCount(base.codePointAt(0))), fonts.drawable(base));
    }

    @Test
    void refusesASequenceThatAsksForAVariantGlyph() {
        String variant = sampleSequence(true);
        JuminhyoPrinter.NotPrintable refused = assertThrows(JuminhyoPrinter.NotPrintable.class,
                () -> fonts.drawable("氏名" + variant));
        assertTrue(refused.getMessage().contains("variant glyph"));
    }

    /** A sequence of the font that names the base glyph ({@code variant} false) or a variant glyph. */
    private static String sampleSequence(boolean variant) {
        for (int base = 0x4E00; base <= 0x9FFF; base++) {
            for (int selector = 0xE0100; selector <= 0xE0110; selector++) {
                int glyph = fonts.sequences().glyph(base, selector);
                if (glyph == VariationSequences.UNKNOWN) {
                    continue;
                }
                boolean same = glyph == VariationSequences.DEFAULT || glyph == fonts.cmap().getGlyphId(base);
                if (same != variant) {
                    return new StringBuilder().appendCodePoint(base).appendCodePoint(selector).toString();
                }
            }
        }
        throw new IllegalStateException("no such sequence in the font");
    }

    @Test
    void leavesTextWithoutSelectorsAlone() {
        assertEquals("髙橋 山﨑 𠮷田", fonts.drawable("髙橋 山﨑 𠮷田"));
    }
}
