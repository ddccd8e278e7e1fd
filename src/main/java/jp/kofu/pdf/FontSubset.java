package jp.kofu.pdf;

import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFSubsetter;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Embeds in a document the subset of IPAmj明朝 that its pages show, in place of the font they were drawn with.
 *
 * <p>Pages are drawn with a {@link PDType0Font} made once per parsed font (making one per document costs PDFBox a
 * width table of all 61,179 glyphs, about a third of the time to issue a sheet). Its dictionary is never written:
 * before the document is saved, this replaces it with a CIDFontType2 made for the document alone, as PDFBox's own
 * subset embedding would make it (the same fontbox {@link TTFSubsetter} and tables, the glyphs the content streams
 * show, CIDs = the font's glyph ids mapped by a CIDToGIDMap, {@code /W}, a ToUnicode CMap, the font descriptor of
 * the drawing font under a tagged name). No glyph of another document ever enters a subset.
 */
final class FontSubset {
    /** The tables PDFBox keeps in a TrueType subset. */
    private static final List<String> TABLES = List.of("head", "hhea", "loca", "maxp", "cvt ", "prep", "glyf", "hmtx",
            "fpgm", "gasp");
    private static final String BASE25 = "BCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int ENTRIES_PER_BLOCK = 100;
    /**
     * Deflate level of the subset's streams (font program, CIDToGIDMap, ToUnicode): level 1 saves about a fifth of
     * the CPU of a sheet against PDFBox's default 6, for about 3 % more bytes in the file (docs/render-speed.md).
     */
    private static final int DEFLATE_LEVEL = 1;

    private FontSubset() {}

    /**
     * Replaces {@code drawn} in every page's resources by the subset of what the pages show. Every font of the
     * pages must be {@code drawn}.
     */
    static void embed(PDDocument doc, PDType0Font drawn, TrueTypeFont ttf, int[] unicode) throws IOException {
        BitSet glyphs = new BitSet();
        List<COSDictionary> fontResources = new ArrayList<>();
        for (PDPage page : doc.getPages()) {
            COSDictionary fonts = page.getResources().getCOSObject().getCOSDictionary(COSName.FONT);
            if (fonts == null) {
                continue;
            }
            for (COSName name : fonts.keySet()) {
                if (fonts.getDictionaryObject(name) != drawn.getCOSObject()) {
                    throw new IllegalStateException("a page uses a font other than the pooled one: " + name.getName());
                }
            }
            fontResources.add(fonts);
            shownGlyphs(page, glyphs);
        }
        if (fontResources.isEmpty()) {
            return;
        }
        COSDictionary font = subset(doc, drawn, ttf, unicode, glyphs);
        for (COSDictionary fonts : fontResources) {
            for (COSName name : List.copyOf(fonts.keySet())) {
                fonts.setItem(name, font);
            }
        }
    }

    /**
     * The glyph ids (= CIDs, Identity-H) of the strings shown on the page. The content streams are read by a scan
     * for strings, which in Kofu's pages are only ever text shown with the one font (a string of another kind would
     * only add glyphs to the subset, never leave one out); what the scan does not know (dictionaries, inline images,
     * comments) sends the page to PDFBox's content parser instead. The scan takes a fortieth of the parser's time.
     */
    private static void shownGlyphs(PDPage page, BitSet glyphs) throws IOException {
        byte[] content;
        try (InputStream in = page.getContents()) {
            content = in.readAllBytes();
        }
        BitSet scanned = new BitSet();
        if (scanStrings(content, scanned)) {
            glyphs.or(scanned);
        } else {
            parseStrings(page, glyphs);
        }
    }

    /** Adds the CIDs of every string in {@code content}; false if it holds something other than strings, numbers, names and operators. */
    static boolean scanStrings(byte[] content, BitSet glyphs) {
        int n = content.length;
        for (int i = 0; i < n; i++) {
            int b = content[i] & 0xFF;
            switch (b) {
                case '(' -> {
                    Codes codes = new Codes(glyphs);
                    int depth = 1;
                    for (i++; ; i++) {
                        if (i >= n) {
                            return false;
                        }
                        int c = content[i] & 0xFF;
                        if (c == '\\') {
                            if (++i >= n) {
                                return false;
                            }
                            int e = content[i] & 0xFF;
                            switch (e) {
                                case 'n' -> codes.add('\n');
                                case 'r' -> codes.add('\r');
                                case 't' -> codes.add('\t');
                                case 'b' -> codes.add('\b');
                                case 'f' -> codes.add('\f');
                                case '\r', '\n' -> {
                                    if (e == '\r' && i + 1 < n && content[i + 1] == '\n') {
                                        i++;
                                    }
                                }
                                default -> {
                                    if (e >= '0' && e <= '7') {
                                        int octal = e - '0';
                                        for (int k = 0; k < 2 && i + 1 < n && content[i + 1] >= '0'
                                                && content[i + 1] <= '7'; k++) {
                                            octal = octal * 8 + content[++i] - '0';
                                        }
                                        codes.add(octal & 0xFF);
                                    } else {
                                        codes.add(e);
                                    }
                                }
                            }
                        } else if (c == '(') {
                            depth++;
                            codes.add(c);
                        } else if (c == ')') {
                            if (--depth == 0) {
                                break;
                            }
                            codes.add(c);
                        } else {
                            codes.add(c);
                        }
                    }
                }
                case '<' -> {
                    if (i + 1 < n && content[i + 1] == '<') {
                        return false;
                    }
                    Codes codes = new Codes(glyphs);
                    int high = -1;
                    for (i++; ; i++) {
                        if (i >= n) {
                            return false;
                        }
                        int c = content[i] & 0xFF;
                        if (c == '>') {
                            break;
                        }
                        int digit = Character.digit(c, 16);
                        if (digit < 0) {
                            if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0) {
                                continue;
                            }
                            return false;
                        }
                        if (high < 0) {
                            high = digit;
                        } else {
                            codes.add(high << 4 | digit);
                            high = -1;
                        }
                    }
                    if (high >= 0) {
                        codes.add(high << 4);
                    }
                }
                case '%', '{', '}', ')', '>' -> {
                    return false;
                }
                case 'B' -> {
                    if (i + 1 < n && content[i + 1] == 'I' && (i == 0 || isSpace(content[i - 1]))
                            && (i + 2 == n || isSpace(content[i + 2]))) {
                        return false; // an inline image: binary data follows
                    }
                }
                default -> { }
            }
        }
        return true;
    }

    /** The bytes of one string taken two at a time as CIDs (Identity-H); an odd last byte is no code. */
    private static final class Codes {
        private final BitSet glyphs;
        private int high = -1;

        Codes(BitSet glyphs) {
            this.glyphs = glyphs;
        }

        void add(int b) {
            if (high < 0) {
                high = b;
            } else {
                glyphs.set(high << 8 | b);
                high = -1;
            }
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == 0;
    }

    /** The same from PDFBox's content stream parser: the strings of Tj, TJ, ' and ". */
    private static void parseStrings(PDPage page, BitSet glyphs) throws IOException {
        PDFStreamParser parser = new PDFStreamParser(page);
        List<COSBase> operands = new ArrayList<>();
        for (Object token = parser.parseNextToken(); token != null; token = parser.parseNextToken()) {
            if (!(token instanceof Operator operator)) {
                operands.add((COSBase) token);
                continue;
            }
            switch (operator.getName()) {
                case "Tj", "'", "\"", "TJ" -> {
                    for (COSBase operand : operands) {
                        if (operand instanceof COSString s) {
                            addCids(s.getBytes(), glyphs);
                        } else if (operand instanceof COSArray array) {
                            for (COSBase item : array) {
                                if (item instanceof COSString s) {
                                    addCids(s.getBytes(), glyphs);
                                }
                            }
                        }
                    }
                }
                default -> { }
            }
            operands.clear();
        }
    }

    private static void addCids(byte[] codes, BitSet glyphs) {
        for (int i = 0; i + 1 < codes.length; i += 2) {
            glyphs.set((codes[i] & 0xFF) << 8 | codes[i + 1] & 0xFF);
        }
    }

    private static COSDictionary subset(PDDocument doc, PDType0Font drawn, TrueTypeFont ttf, int[] unicode,
                                        BitSet glyphs) throws IOException {
        TTFSubsetter subsetter = new TTFSubsetter(ttf, TABLES);
        Set<Integer> ids = new TreeSet<>();
        glyphs.stream().forEach(ids::add);
        subsetter.addGlyphIds(ids);
        subsetter.forceInvisible('\u200B'); // as PDFBox does: ZWSP, ZWNJ, WJ, ZWNBSP draw nothing
        subsetter.forceInvisible('\u200C');
        subsetter.forceInvisible('\u2060');
        subsetter.forceInvisible('\uFEFF');
        Map<Integer, Integer> gidToCid = subsetter.getGIDMap();
        String tag = tag(gidToCid);
        subsetter.setPrefix(tag);
        ByteArrayOutputStream program = new ByteArrayOutputStream(64 * 1024);
        subsetter.writeToStream(program);
        TreeMap<Integer, Integer> cidToGid = new TreeMap<>();
        gidToCid.forEach((gid, cid) -> cidToGid.put(cid, gid));

        COSDictionary drawnCid = (COSDictionary) drawn.getDescendantFont().getCOSObject();
        String name = tag + drawn.getDescendantFont().getFontDescriptor().getFontName();
        COSDictionary descriptor = copy(drawn.getDescendantFont().getFontDescriptor().getCOSObject());
        descriptor.removeItem(COSName.CID_SET);
        descriptor.setName(COSName.FONT_NAME, name);
        COSStream file = stream(doc, program.toByteArray());
        file.setInt(COSName.LENGTH1, program.size());
        descriptor.setItem(COSName.FONT_FILE2, file);

        COSDictionary cidFont = new COSDictionary();
        cidFont.setItem(COSName.TYPE, COSName.FONT);
        cidFont.setItem(COSName.SUBTYPE, COSName.CID_FONT_TYPE2);
        cidFont.setName(COSName.BASE_FONT, name);
        cidFont.setItem(COSName.CIDSYSTEMINFO, copy(drawnCid.getCOSDictionary(COSName.CIDSYSTEMINFO)));
        cidFont.setItem(COSName.FONT_DESC, descriptor);
        cidFont.setItem(COSName.W, widths(ttf, cidToGid));
        cidFont.setItem(COSName.CID_TO_GID_MAP, stream(doc, cidToGidMap(cidToGid)));

        COSDictionary type0 = new COSDictionary();
        type0.setItem(COSName.TYPE, COSName.FONT);
        type0.setItem(COSName.SUBTYPE, COSName.TYPE0);
        type0.setName(COSName.BASE_FONT, name);
        type0.setItem(COSName.ENCODING, drawn.getCOSObject().getDictionaryObject(COSName.ENCODING));
        COSArray descendants = new COSArray();
        descendants.add(cidFont);
        type0.setItem(COSName.DESCENDANT_FONTS, descendants);
        type0.setItem(COSName.TO_UNICODE, stream(doc, toUnicode(unicode, cidToGid)));
        if (cidToGid.keySet().stream().anyMatch(cid -> firstCodePoint(unicode, cid) > 0xFFFF)
                && doc.getVersion() < 1.5f) {
            doc.setVersion(1.5f); // UTF-16 surrogates in the ToUnicode CMap
        }
        return type0;
    }

    /** PDFBox's deterministic subset tag: six letters from the glyph map, and '+'. */
    private static String tag(Map<Integer, Integer> gidToCid) {
        long num = gidToCid.hashCode();
        StringBuilder sb = new StringBuilder();
        do {
            sb.append(BASE25.charAt((int) (num % 25)));
            num /= 25;
        } while (num != 0 && sb.length() < 6);
        while (sb.length() < 6) {
            sb.insert(0, 'A');
        }
        return sb.append('+').toString();
    }

    /** {@code c [w1 w2 ...]} runs of the widths that are not the default 1000, in glyph space of 1000 units. */
    private static COSArray widths(TrueTypeFont ttf, TreeMap<Integer, Integer> cidToGid) throws IOException {
        float scaling = 1000f / ttf.getHeader().getUnitsPerEm();
        COSArray widths = new COSArray();
        COSArray run = null;
        int previous = Integer.MIN_VALUE;
        for (int cid : cidToGid.keySet()) {
            long width = Math.round(ttf.getHorizontalMetrics().getAdvanceWidth(cid) * scaling);
            if (width == 1000) {
                continue;
            }
            if (run == null || previous != cid - 1) {
                run = new COSArray();
                widths.add(COSInteger.get(cid));
                widths.add(run);
            }
            run.add(COSInteger.get(width));
            previous = cid;
        }
        return widths;
    }

    private static byte[] cidToGidMap(TreeMap<Integer, Integer> cidToGid) {
        byte[] map = new byte[cidToGid.lastKey() * 2 + 2];
        cidToGid.forEach((cid, gid) -> {
            map[cid * 2] = (byte) (gid >> 8);
            map[cid * 2 + 1] = (byte) (int) gid;
        });
        return map;
    }

    /** The first code point of each glyph id in the font's Unicode cmap (as PDFBox takes it), -1 for none. */
    static int[] firstCodePoints(TrueTypeFont ttf, CmapLookup unicode) throws IOException {
        int[] first = new int[ttf.getNumberOfGlyphs()];
        for (int gid = 0; gid < first.length; gid++) {
            List<Integer> codes = unicode.getCharCodes(gid);
            first[gid] = codes == null ? -1 : codes.get(0);
        }
        return first;
    }

    private static int firstCodePoint(int[] unicode, int glyph) {
        return glyph < unicode.length ? unicode[glyph] : -1;
    }

    /** CID → Unicode for every glyph with a code point (the first, as PDFBox does); composite parts have none. */
    private static byte[] toUnicode(int[] unicode, TreeMap<Integer, Integer> cidToGid) {
        List<String> entries = new ArrayList<>();
        for (int cid : cidToGid.keySet()) {
            int codePoint = cid == 0 ? -1 : firstCodePoint(unicode, cid);
            if (codePoint > 0) {
                StringBuilder entry = new StringBuilder(20).append('<');
                hex4(entry, cid).append("> <");
                for (char c : Character.toChars(codePoint)) {
                    hex4(entry, c);
                }
                entries.add(entry.append('>').toString());
            }
        }
        StringBuilder cmap = new StringBuilder(256 + entries.size() * 20)
                .append("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
                .append("/CIDSystemInfo\n<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n")
                .append("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
                .append("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
        for (int from = 0; from < entries.size(); from += ENTRIES_PER_BLOCK) {
            List<String> block = entries.subList(from, Math.min(entries.size(), from + ENTRIES_PER_BLOCK));
            cmap.append(block.size()).append(" beginbfchar\n");
            block.forEach(e -> cmap.append(e).append('\n'));
            cmap.append("endbfchar\n");
        }
        cmap.append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        return cmap.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static StringBuilder hex4(StringBuilder out, int value) {
        for (int shift = 12; shift >= 0; shift -= 4) {
            out.append(Character.toUpperCase(Character.forDigit(value >> shift & 0xF, 16)));
        }
        return out;
    }

    /**
     * {@code data} as a FlateDecode stream, compressed at {@link #DEFLATE_LEVEL} rather than PDFBox's default (6):
     * these streams are made anew for every document (issue 17).
     */
    private static COSStream stream(PDDocument doc, byte[] data) throws IOException {
        COSStream stream = doc.getDocument().createCOSStream();
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(DEFLATE_LEVEL);
        try (OutputStream out = new java.util.zip.DeflaterOutputStream(stream.createRawOutputStream(), deflater,
                16 * 1024)) {
            out.write(data);
        } finally {
            deflater.end();
        }
        stream.setItem(COSName.FILTER, COSName.FLATE_DECODE);
        return stream;
    }

    /** A copy of a dictionary of direct values, so that no object is shared between documents. */
    private static COSDictionary copy(COSDictionary source) {
        COSDictionary copy = new COSDictionary();
        for (Map.Entry<COSName, COSBase> entry : source.entrySet()) {
            copy.setItem(entry.getKey(), copyValue(entry.getValue()));
        }
        return copy;
    }

    private static COSBase copyValue(COSBase value) {
        COSBase direct = value instanceof COSObject o ? o.getObject() : value;
        if (direct instanceof COSDictionary d && !(direct instanceof COSStream)) {
            return copy(d);
        }
        if (direct instanceof COSArray a) {
            COSArray copy = new COSArray();
            for (COSBase item : a) {
                copy.add(copyValue(item));
            }
            return copy;
        }
        if (direct instanceof COSStream) {
            throw new IllegalStateException("a font template holds a stream");
        }
        return direct;
    }
}
