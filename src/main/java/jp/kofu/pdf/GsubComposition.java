package jp.kofu.pdf;

import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.fontbox.ttf.model.GsubData;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which text fontbox's GSUB pass can change with a font: for IPAmj明朝, text holding a mark that {@code ccmp} or
 * {@code liga} joins with the glyph before it ({@code always} when a feature replaces single glyphs, or the font's
 * script is one whose fontbox worker does more).
 */
record GsubComposition(boolean always, Set<Integer> marks) {
    /** The features that fontbox applies to Latin-script fonts (GsubWorkerForLatin). */
    private static final List<String> LATIN_FEATURES = List.of("ccmp", "liga", "clig");

    static GsubComposition of(TrueTypeFont font) throws IOException {
        GsubData gsub = font.getGsubData();
        switch (gsub.getLanguage()) {
            case UNSPECIFIED:
                return new GsubComposition(false, Set.of()); // fontbox substitutes nothing
            case LATIN:
                break;
            default:
                return new GsubComposition(true, Set.of());
        }
        CmapLookup unicode = font.getUnicodeCmapLookup();
        Set<Integer> marks = new HashSet<>();
        for (String feature : LATIN_FEATURES) {
            if (!gsub.isFeatureSupported(feature)) {
                continue;
            }
            for (List<Integer> glyphs : gsub.getFeature(feature).getAllGlyphIdsForSubstitution()) {
                if (glyphs.size() < 2) {
                    return new GsubComposition(true, Set.of()); // a glyph replaced on its own
                }
                for (int glyph : glyphs.subList(1, glyphs.size())) {
                    List<Integer> codePoints = unicode.getCharCodes(glyph);
                    if (codePoints != null) {
                        marks.addAll(codePoints);
                    }
                }
            }
        }
        return new GsubComposition(false, Set.copyOf(marks));
    }

    boolean changes(String text) {
        if (always) {
            return true;
        }
        if (marks.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (marks.contains(cp)) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    boolean changesAny(Object value) {
        if (always) {
            return true;
        }
        if (value instanceof String text) {
            return changes(text);
        }
        if (value instanceof Iterable<?> values) {
            for (Object v : values) {
                if (changesAny(v)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    if (changesAny(component.getAccessor().invoke(record))) {
                        return true;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component.getName(), e);
                }
            }
        }
        return false;
    }
}
