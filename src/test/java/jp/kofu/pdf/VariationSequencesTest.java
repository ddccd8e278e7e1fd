package jp.kofu.pdf;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
    void drawsASequenceThatNamesTheBaseGlyphAsTheBaseCharacter() {
        String base = sampleSequence(false);
        assertEquals(List.of(new FontPool.Run(base.substring(0, Character.charCount(base.codePointAt(0))), 0)),
                fonts.runs(base));
    }

    @Test
    void drawsASequenceThatNamesAVariantGlyphByThatGlyph() {
        // 邉 + U+E0110 is one of the many 邉 of 文字情報基盤; its glyph is not the one the cmap gives for 邉.
        String watanabe = "渡邉\uDB40\uDD10";
        List<FontPool.Run> runs = fonts.runs(watanabe + "様");
        assertEquals(3, runs.size());
        assertEquals(new FontPool.Run("渡", 0), runs.get(0));
        assertEquals("邉\uDB40\uDD10", runs.get(1).text());
        assertEquals(fonts.sequences().glyph(0x9089, 0xE0110), runs.get(1).glyph());
        assertNotEquals(fonts.cmap().getGlyphId(0x9089), runs.get(1).glyph());
        assertEquals(new FontPool.Run("様", 0), runs.get(2));
    }

    @Test
    void refusesASequenceTheFontDoesNotHave() {
        // 葛 + U+E0100 is a sequence of the Adobe-Japan1 collection; IPAmj (Moji_Joho) has 葛 with E0102–E0108 only.
        CertificatePrinter.NotPrintable refused = assertThrows(CertificatePrinter.NotPrintable.class,
                () -> fonts.runs("葛\uDB40\uDD00西"));
        assertTrue(refused.getMessage().contains("U+845B U+E0100 is not in the font"), refused.getMessage());
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
        assertEquals(List.of(new FontPool.Run("髙橋 山﨑 𠮷田", 0)), fonts.runs("髙橋 山﨑 𠮷田"));
    }
}
