package jp.kofu.pdf;

import jakarta.inject.Singleton;
import jp.kofu.replica.ResidentRecord;
import jp.kofu.signing.DocumentSigner;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import java.time.LocalDate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a 住民票の写し on its municipality's form ({@link FormLayout}: 世帯連記式, 個人票 or a city's own layout)
 * and signs it. The font comes parsed from a {@link FontPool} and is embedded as a subset in every document. A value
 * that does not fit its place, or a character the font cannot draw, makes the certificate
 * {@link PrintOutcome.NotPrintable}: nothing is ever truncated or substituted.
 */
@Singleton
public final class JuminhyoPrinter {
    /** Where a row's baseline lies, as a fraction of the row pitch from the row's top. */
    private static final float BASELINE = 0.72f;
    /** Labels are the form's own words; they may be set this small to fit their column. */
    private static final float SMALLEST_LABEL = 5.5f;

    private final FontPool fonts = FontPool.shared();

    public PrintOutcome print(JuminhyoContent content, DocumentSigner signer) {
        FontPool.Lent lent = fonts.borrow(content);
        try {
            return print(content, signer, lent);
        } finally {
            fonts.giveBack(lent);
        }
    }

    private PrintOutcome print(JuminhyoContent content, DocumentSigner signer, FontPool.Lent lent) {
        FormLayout layout = content.form().layout();
        try (PDDocument doc = new PDDocument()) {
            Typesetter type = new Typesetter(lent.font(), lent.ttf(), fonts, layout.sizes());
            List<List<Block>> sheets = paginate(content, layout, type);
            PDImageXObject seal = content.form().seal().into(doc);
            for (int copy = 0; copy < content.copies(); copy++) {
                for (int s = 0; s < sheets.size(); s++) {
                    PDPage page = new PDPage(new PDRectangle(layout.page().width(), layout.page().height()));
                    doc.addPage(page);
                    Sheet sheet = new Sheet(doc, page, layout, type, seal);
                    sheet.draw(content, sheets.get(s), s + 1, sheets.size(), s == sheets.size() - 1);
                }
            }
            int pages = doc.getNumberOfPages();
            return new PrintOutcome.Printed(CertificateFile.write(doc, lent, content, signer), pages);
        } catch (NotPrintable e) {
            return new PrintOutcome.NotPrintable(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("PDF rendering failed", e);
        }
    }

    /** One row of a person's box: its label and its value on one or more lines, at one size. */
    private record Row(String label, List<String> lines, float size) {}

    /** One person's box: the rows under the head, and the height they need. */
    private record Block(ResidentRecord person, List<Row> rows, float height) {}

    /** Persons in order, at most {@code personsPerSheet} a sheet and as many as fit its height. */
    private static List<List<Block>> paginate(JuminhyoContent content, FormLayout layout, Typesetter type)
            throws IOException {
        FormLayout.Persons area = layout.persons();
        float room = area.bottom() - area.top();
        List<List<Block>> sheets = new ArrayList<>();
        List<Block> sheet = new ArrayList<>();
        float used = 0;
        for (ResidentRecord p : content.persons()) {
            Block block = block(content, layout, type, p);
            if (block.height() > room) {
                throw new NotPrintable("too many items for one person on a sheet");
            }
            if (sheet.size() == layout.personsPerSheet() || used + block.height() > room) {
                sheets.add(sheet);
                sheet = new ArrayList<>();
                used = 0;
            }
            sheet.add(block);
            used += block.height();
        }
        sheets.add(sheet);
        return sheets;
    }

    private static Block block(JuminhyoContent c, FormLayout layout, Typesetter type, ResidentRecord p)
            throws IOException {
        FormLayout.Persons area = layout.persons();
        float width = area.width() - area.valueX() - 8;
        List<Row> rows = new ArrayList<>();
        int lines = 0;
        for (FormLayout.Row place : area.items()) {
            for (String value : values(FormLayout.Item.valueOf(place.item()), c, layout, p)) {
                Row row = type.fit(place.label(), value, width, place.maxLines());
                rows.add(row);
                lines += row.lines().size();
            }
        }
        float height = area.head() + lines * layout.sizes().line() + area.gap() + (area.rules() ? 0 : 6);
        return new Block(p, rows, Math.max(area.minHeight(), height));
    }

    /** The values of one item for one person: none when it is not recorded or its option is off. */
    private static List<String> values(FormLayout.Item item, JuminhyoContent c, FormLayout layout, ResidentRecord p) {
        PrintItems on = c.items();
        boolean foreign = p.isForeignResident();
        return switch (item) {
            case formerSurname -> one(p.formerSurname(), withReading(p.formerSurname(), p.formerSurnameKana()));
            case alias -> one(p.alias(), withReading(p.alias(), p.aliasKana()));
            case address -> List.of(addressOf(p));
            case householder -> on.householderAndRelationship() ? one(p.householderName(), p.householderName())
                    : List.of();
            case relationship -> on.householderAndRelationship() ? one(p.relationship(), p.relationship()) : List.of();
            case becameResident -> one(p.becameResidentOn(), p.becameResidentOn() == null ? null
                    : date(layout, p, p.becameResidentOn())
                    + (p.becameResidentReason() == null ? "" : "　" + p.becameResidentReason()));
            case addressSet -> one(p.addressSetOn(), p.addressSetOn() == null ? null
                    : date(layout, p, p.addressSetOn())
                    + (p.addressNotifiedOn() == null ? "" : "　届出 " + date(layout, p, p.addressNotifiedOn())));
            case previousAddress -> one(p.previousAddress(), p.previousAddress());
            case domicile -> on.domicile() && !foreign ? one(p.domicile(), p.domicile()) : List.of();
            case domicileHead -> on.domicile() && !foreign ? one(p.domicileHead(), p.domicileHead()) : List.of();
            case nationality -> foreign ? one(p.nationality(), p.nationality()) : List.of();
            case article30_45 -> foreign ? one(p.article30_45Category(), p.article30_45Category()) : List.of();
            case residenceStatus -> foreign ? one(p.residenceStatus(), p.residenceStatus()) : List.of();
            case periodOfStay -> foreign ? one(p.periodOfStay(), p.periodOfStay()) : List.of();
            case stayExpires -> foreign && p.stayExpiresOn() != null ? List.of(date(layout, p, p.stayExpiresOn()))
                    : List.of();
            case residenceCardNumber -> foreign ? one(p.residenceCardNumber(), p.residenceCardNumber()) : List.of();
            case individualNumber -> on.individualNumber() ? one(p.individualNumber(), p.individualNumber())
                    : List.of();
            case residentCode -> on.residentCode() ? one(p.juminhyoCode(), p.juminhyoCode()) : List.of();
            case remarks -> p.remarks();
        };
    }

    private static List<String> one(Object recorded, String printed) {
        return recorded == null ? List.of() : List.of(printed);
    }

    private static String withReading(String value, String reading) {
        return value == null ? null : value + (reading == null ? "" : "（" + reading + "）");
    }

    private static String addressOf(ResidentRecord p) {
        return p.address() + (p.addressSupplement() == null ? "" : "　" + p.addressSupplement());
    }

    /** A date of a person: 和暦, or 西暦 for a foreign resident when the form says so (as the standard form does). */
    private static String date(FormLayout layout, ResidentRecord p, LocalDate date) {
        return p.isForeignResident() && "seireki".equals(layout.persons().foreignResidentDates())
                ? JapaneseDates.seireki(date) : JapaneseDates.wareki(date);
    }

    /** A value that cannot be printed faithfully. */
    static final class NotPrintable extends RuntimeException {
        NotPrintable(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Measures and sets text in the embedded font: fits a value into its width, shrinking it down to the form's
     * smallest size or wrapping it onto the lines it may take, and refuses what still does not fit.
     */
    private static final class Typesetter {
        private final PDType0Font font;
        private final TrueTypeFont ttf;
        private final FontPool fonts;
        private final FormLayout.Sizes sizes;

        Typesetter(PDType0Font font, TrueTypeFont ttf, FontPool fonts, FormLayout.Sizes sizes) {
            this.font = font;
            this.ttf = ttf;
            this.fonts = fonts;
            this.sizes = sizes;
        }

        /** A row: the value at the usual size or smaller, on one line or, when allowed, on up to {@code maxLines}. */
        Row fit(String label, String value, float width, int maxLines) throws IOException {
            return fit(label, value, width, maxLines, sizes.value());
        }

        /** A row starting from size {@code start} (a name or a title may be larger than values are). */
        Row fit(String label, String value, float width, int maxLines, float start) throws IOException {
            for (float size = start; size >= Math.min(start, sizes.smallest()); size -= 0.5f) {
                if (width(value) / 1000f * size <= width) {
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
            throw new NotPrintable(label + " too long for the form");
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
                } else {
                    try {
                        width += font.getStringWidth(run.text());
                    } catch (IllegalArgumentException e) {
                        throw new NotPrintable(noGlyph(run.text()));
                    }
                }
            }
            return width;
        }

        private String noGlyph(String value) {
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

    /** Draws one sheet of the form. Coordinates of the layout count from the top; PDF's from the bottom. */
    private static final class Sheet {
        private final PDDocument doc;
        private final PDPage page;
        private final FormLayout layout;
        private final Typesetter type;
        private final PDImageXObject seal;
        private final float height;
        /** Variant glyphs, drawn by glyph id in a content stream of their own after the page's main one. */
        private final ByteArrayOutputStream variants = new ByteArrayOutputStream();
        private PDPageContentStream out;

        Sheet(PDDocument doc, PDPage page, FormLayout layout, Typesetter type, PDImageXObject seal) {
            this.doc = doc;
            this.page = page;
            this.layout = layout;
            this.type = type;
            this.seal = seal;
            this.height = layout.page().height();
        }

        void draw(JuminhyoContent c, List<Block> blocks, int pageNo, int pages, boolean last) throws IOException {
            try (PDPageContentStream stream = new PDPageContentStream(doc, page)) {
                out = stream;
                Jimon.draw(out, page, layout);
                fixed(layout.title(), c, pageNo, pages);
                fixed(layout.issuanceNumber(), c, pageNo, pages);
                fixed(layout.pageNumber(), c, pageNo, pages);
                verification(c.verificationUrl());
                if (layout.household() != null) {
                    household(c);
                }
                float y = layout.persons().top();
                for (Block block : blocks) {
                    person(block, y);
                    y += block.height();
                }
                FormLayout.Footer footer = layout.footer();
                if (last || footer.everySheet()) {
                    FormLayout.Text blank = footer.blank();
                    text(blank.text(), blank.x(), y + blank.y(), blank.size());
                    footer(c, footer.flows() ? y : 0);
                }
            }
            if (variants.size() > 0) {
                PDStream glyphs = new PDStream(doc);
                try (java.io.OutputStream raw = glyphs.createOutputStream(COSName.FLATE_DECODE)) {
                    variants.writeTo(raw);
                }
                List<PDStream> contents = new ArrayList<>();
                page.getContentStreams().forEachRemaining(contents::add);
                contents.add(glyphs);
                page.setContents(contents);
            }
        }

        private void fixed(FormLayout.Text t, JuminhyoContent c, int pageNo, int pages) throws IOException {
            text(t.text().replace("{number}", c.issuanceNumber()).replace("{pages}", String.valueOf(pages))
                    .replace("{page}", String.valueOf(pageNo)), t.x(), t.y(), t.size());
        }

        private void household(JuminhyoContent c) throws IOException {
            FormLayout.Household box = layout.household();
            ResidentRecord first = c.persons().get(0);
            out.setLineWidth(box.lineWidth());
            rect(box.x(), box.y(), box.width(), box.height());
            out.stroke();
            FormLayout.Field address = box.address();
            label(address.label(), box.x() + address.labelX(), box.y() + address.y());
            Row row = type.fit(address.label(), addressOf(first), address.width(), address.maxLines(),
                    startSize(address));
            lines(row, box.x() + address.x(), box.y() + address.y(), 3);
            FormLayout.Field householder = box.householder();
            if (householder != null && c.items().householderAndRelationship()) {
                label(householder.label(), box.x() + householder.labelX(), box.y() + householder.y());
                String name = first.householderName() == null ? "" : first.householderName();
                lines(type.fit(householder.label(), name, householder.width(), 1),
                        box.x() + householder.x(), box.y() + householder.y(), 3);
            }
        }

        private void person(Block block, float top) throws IOException {
            FormLayout.Persons area = layout.persons();
            ResidentRecord p = block.person();
            float x = area.x();
            float boxHeight = block.height() - area.gap();
            out.setLineWidth(area.lineWidth());
            rect(x, top, area.width(), boxHeight);
            out.stroke();
            String kana = join(p.familyNameKana(), p.givenNameKana());
            if (!kana.isEmpty() && area.kana() != null) {
                FormLayout.Field k = area.kana();
                lines(type.fit("氏名の読み", kana, area.name().width(), 1, k.size()), x + k.x(), top + k.y(), 0);
            }
            FormLayout.Field name = area.name();
            label(name.label(), x + name.labelX(), top + name.y());
            lines(type.fit("氏名", p.fullName(), name.width(), 1, startSize(name)), x + name.x(), top + name.y(), 0);
            FormLayout.Field birth = area.birth();
            label(birth.label(), x + birth.labelX(), top + birth.y());
            String born = date(layout, p, p.birthDate()) + "生　" + (p.sex() == ResidentRecord.Sex.MALE ? "男" : "女");
            lines(type.fit("生年月日", born, birth.width(), 1), x + birth.x(), top + birth.y(), 0);
            float pitch = layout.sizes().line();
            float rowTop = top + area.head();
            if (area.rules()) {
                hline(x, rowTop, area.width());
                vline(x + area.valueX() - 6, rowTop, top + boxHeight);
            }
            for (Row row : block.rows()) {
                float baseline = rowTop + pitch * BASELINE;
                label(row.label(), x + area.labelX(), baseline, area.valueX() - area.labelX() - 8);
                lines(row, x + area.valueX(), baseline, pitch - row.size());
                rowTop += row.lines().size() * pitch;
                if (area.rules() && rowTop < top + boxHeight - 1) {
                    hline(x, rowTop, area.width());
                }
            }
        }

        /** A field's own size, or the form's value size when it gives none. */
        private float startSize(FormLayout.Field field) {
            return field.size() > 0 ? field.size() : layout.sizes().value();
        }

        private void footer(JuminhyoContent c, float origin) throws IOException {
            FormLayout.Footer f = layout.footer();
            FormLayout.Attestation a = f.attestation();
            lines(type.fit("認証文", a.texts().get(c.attestation().name()), a.width(), 1, a.size()),
                    a.x(), origin + a.y(), 0);
            FormLayout.DateLine d = f.date();
            String date = JapaneseDates.wareki(c.issuedOn())
                    + ("wareki+seireki".equals(d.style()) ? "（" + JapaneseDates.seireki(c.issuedOn()) + "）" : "");
            text(date, d.x(), origin + d.y(), d.size());
            FormLayout.Field mayor = f.mayor();
            lines(type.fit("市町村長名", c.mayorTitle() + "　" + c.mayorName(), mayor.width(), 1, startSize(mayor)),
                    mayor.x(), origin + mayor.y(), 0);
            FormLayout.Seal s = f.seal();
            out.drawImage(seal, s.x(), height - (origin + s.y()) - s.size(), s.size(), s.size());
        }

        /** The QR code of the verification address, with the address in small print beside it. */
        private void verification(String url) throws IOException {
            FormLayout.Verification v = layout.verification();
            com.google.zxing.common.BitMatrix matrix;
            try {
                matrix = new com.google.zxing.qrcode.QRCodeWriter().encode(url, com.google.zxing.BarcodeFormat.QR_CODE,
                        0, 0, java.util.Map.of(com.google.zxing.EncodeHintType.MARGIN, 0));
            } catch (com.google.zxing.WriterException e) {
                throw new IOException("cannot encode the verification address", e);
            }
            float module = v.size() / matrix.getWidth();
            float bottom = height - v.y() - v.size();
            for (int row = 0; row < matrix.getHeight(); row++) {
                for (int col = 0; col < matrix.getWidth(); col++) {
                    if (matrix.get(col, row)) {
                        out.addRect(v.x() + col * module, bottom + v.size() - (row + 1) * module, module, module);
                    }
                }
            }
            out.fill();
            text(v.caption(), v.x() + v.size() + 6, v.y() + 16, v.textSize());
            text(url, v.x() + v.size() + 6, v.y() + 26, v.textSize());
        }

        private void label(String label, float x, float y) throws IOException {
            text(label, x, y, layout.sizes().label());
        }

        /** A label within {@code width}: a long one (法第30条の45に規定する区分) is set smaller, never cut. */
        private void label(String label, float x, float y, float width) throws IOException {
            float size = Math.min(layout.sizes().label(), width / (type.width(label) / 1000f));
            if (size < SMALLEST_LABEL) {
                throw new NotPrintable("label " + label + " too long for its column");
            }
            text(label, x, y, size);
        }

        /** A row's lines, the first at baseline {@code y}, each next one its size plus {@code leading} lower. */
        private void lines(Row row, float x, float y, float leading) throws IOException {
            for (int i = 0; i < row.lines().size(); i++) {
                text(row.lines().get(i), x, y + i * (row.size() + Math.max(leading, 3)), row.size());
            }
        }

        private void rect(float x, float top, float width, float h) throws IOException {
            out.addRect(x, height - top - h, width, h);
        }

        private void hline(float x, float y, float width) throws IOException {
            out.moveTo(x, height - y);
            out.lineTo(x + width, height - y);
            out.stroke();
        }

        private void vline(float x, float top, float bottom) throws IOException {
            out.moveTo(x, height - top);
            out.lineTo(x, height - bottom);
            out.stroke();
        }

        /** Draws {@code value} with its baseline at {@code y} from the top; variant glyphs by glyph id. */
        private void text(String value, float x, float y, float size) throws IOException {
            float at = x;
            for (FontPool.Run run : type.fonts.runs(value)) {
                if (run.isVariant()) {
                    variant(run, at, height - y, size);
                } else {
                    try {
                        out.beginText();
                        out.setFont(type.font, size);
                        out.newLineAtOffset(at, height - y);
                        out.showText(run.text());
                        out.endText();
                    } catch (IllegalArgumentException e) {
                        throw new NotPrintable(type.noGlyph(run.text()));
                    }
                }
                at += type.width(run.text()) / 1000f * size;
            }
        }

        /**
         * The variant glyph of an Ideographic Variation Sequence, which PDFBox cannot reach through Unicode: shown
         * as its CID (CID = the font's glyph id; {@link FontSubset} puts every glyph the pages show into the
         * subset), inside a marked-content span whose /ActualText gives back the base character and its selector.
         */
        private void variant(FontPool.Run run, float x, float y, float size) throws IOException {
            COSName fontName = page.getResources().add(type.font);
            StringBuilder ops = new StringBuilder();
            ops.append("/Span <</ActualText <FEFF");
            for (char ch : run.text().toCharArray()) {
                ops.append(String.format("%04X", (int) ch));
            }
            ops.append(">>> BDC BT /").append(fontName.getName()).append(' ').append(number(size)).append(" Tf ")
                    .append(number(x)).append(' ').append(number(y)).append(" Td <");
            for (byte b : type.font.encodeGlyphId(run.glyph())) {
                ops.append(String.format("%02X", b & 0xFF));
            }
            ops.append("> Tj ET EMC\n");
            variants.write(ops.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        private static String number(float value) {
            return new java.math.BigDecimal(value).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                    .toPlainString();
        }

        private static String join(String a, String b) {
            return ((a == null ? "" : a) + (b == null ? "" : "　" + b)).trim();
        }
    }
}
