package jp.kofu.pdf;

import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The glyphs that Kofu reads directly for text without GSUB (issue 17): every character the font maps is encoded and
 * measured exactly as PDFBox's {@code PDType0Font} encodes and measures it, and a character without a glyph is not
 * encoded at all.
 */
final class FontPoolTest {
    private record Plain(String text) {}

    private record Composed(String text) {}

    @Test
    void encodesAndMeasuresEveryMappedCharacterAsPdfboxDoes() throws Exception {
        FontPool fonts = FontPool.shared();
        FontPool.Lent lent = fonts.borrow(new Plain("川口"));
        try {
            FontPool.Glyphs glyphs = lent.glyphs();
            assertNotNull(glyphs, "text without marks is drawn without GSUB");
            PDType0Font font = lent.font();
            int mapped = 0;
            for (int cp = 0x20; cp <= 0x10FFFF; cp++) {
                if (cp >= 0xD800 && cp <= 0xDFFF || fonts.cmap().getGlyphId(cp) <= 0) {
                    continue;
                }
                String text = new String(Character.toChars(cp));
                assertArrayEquals(font.encode(text), glyphs.encode(text), text);
                assertEquals(font.getStringWidth(text), glyphs.width(text), text);
                mapped++;
            }
            assertTrue(mapped > 50_000, "IPAmj明朝 maps " + mapped + " characters");
            String sentence = "住民票の写し　川口𠮷子　ＳＭＩＴＨ　ＪＯＨＮ　令和８年１１月２３日";
            assertArrayEquals(font.encode(sentence), glyphs.encode(sentence));
            assertEquals(font.getStringWidth(sentence), glyphs.width(sentence));
            assertNull(glyphs.encode("川\uE000"), "a character without a glyph");
            assertTrue(Float.isNaN(glyphs.width("川\uE000")));
        } finally {
            fonts.giveBack(lent);
        }
    }

    @Test
    void leavesTextWithGsubToPdfbox() {
        FontPool fonts = FontPool.shared();
        FontPool.Lent lent = fonts.borrow(new Composed("か\u309A"));
        try {
            assertNull(lent.glyphs(), "PDFBox's GSUB pass encodes a document that may compose glyphs");
        } finally {
            fonts.giveBack(lent);
        }
    }
}
