package jp.kofu.pdf;

import jakarta.inject.Singleton;
import jp.kofu.replica.ResidentRecord;
import jp.kofu.signing.DocumentSigner;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a 住民票の写し (世帯連記式, A4, up to four persons a sheet) and signs it. The font comes parsed from a
 * {@link FontPool} and is embedded as a subset in every document. A value that does not fit its box, or a character the font cannot
 * draw, makes the certificate {@link PrintOutcome.NotPrintable}: nothing is ever truncated or substituted.
 */
@Singleton
public final class JuminhyoPrinter {
    private static final float MARGIN = 36;
    /** A person's box: at least this tall, taller when the person has more items. */
    private static final float MIN_PERSON_HEIGHT = 120;
    private static final float PERSON_HEAD = 40;
    private static final int PERSONS_PER_SHEET = 4;
    /** Height for persons on a sheet, between the address box and the footer. */
    private static final float BODY_HEIGHT = PDRectangle.A4.getHeight() - 2 * MARGIN - 108 - 110;
    private static final float LINE = 12.5f;
    private static final float VALUE_SIZE = 9.5f;
    private static final float MIN_SIZE = 7f;
    private static final Color RED = new Color(200, 30, 30);

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
        try (PDDocument doc = new PDDocument()) {
            PDType0Font font = lent.font();
            Sheet sheet = new Sheet(font, fonts);
            List<List<Block>> sheets = paginate(content);
            for (int copy = 0; copy < content.copies(); copy++) {
                for (int s = 0; s < sheets.size(); s++) {
                    PDPage page = new PDPage(PDRectangle.A4);
                    doc.addPage(page);
                    try (PDPageContentStream out = new PDPageContentStream(doc, page)) {
                        sheet.draw(out, content, sheets.get(s), s + 1, sheets.size(), s == sheets.size() - 1);
                    }
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

    /** One person's box: the items to print under the name line, and the height they need. */
    private record Block(ResidentRecord person, List<String[]> rows, float height) {}

    /** Persons in order, at most four a sheet and as many as fit its height. */
    private static List<List<Block>> paginate(JuminhyoContent content) {
        List<List<Block>> sheets = new ArrayList<>();
        List<Block> sheet = new ArrayList<>();
        float used = 0;
        for (ResidentRecord p : content.persons()) {
            Block block = block(content, p);
            if (block.height() > BODY_HEIGHT) {
                throw new NotPrintable("too many items for one person on a sheet");
            }
            if (sheet.size() == PERSONS_PER_SHEET || used + block.height() > BODY_HEIGHT) {
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

    private static Block block(JuminhyoContent c, ResidentRecord p) {
        List<String[]> rows = new ArrayList<>();
        if (p.formerSurname() != null) {
            rows.add(new String[] {"旧氏", p.formerSurname() + (p.formerSurnameKana() == null ? "" : "（" + p.formerSurnameKana() + "）")});
        }
        if (p.alias() != null) {
            rows.add(new String[] {"通称", p.alias() + (p.aliasKana() == null ? "" : "（" + p.aliasKana() + "）")});
        }
        if (c.items().householderAndRelationship() && p.relationship() != null) {
            rows.add(new String[] {"続柄", p.relationship()});
        }
        if (p.becameResidentOn() != null) {
            rows.add(new String[] {"住民となった日", JapaneseDates.wareki(p.becameResidentOn())
                    + (p.becameResidentReason() == null ? "" : "　" + p.becameResidentReason())});
        }
        if (p.addressSetOn() != null) {
            rows.add(new String[] {"住所を定めた日", JapaneseDates.wareki(p.addressSetOn())
                    + (p.addressNotifiedOn() == null ? "" : "　届出 " + JapaneseDates.wareki(p.addressNotifiedOn()))});
        }
        if (p.previousAddress() != null) {
            rows.add(new String[] {"前住所", p.previousAddress()});
        }
        if (c.items().domicile() && !p.isForeignResident() && p.domicile() != null) {
            rows.add(new String[] {"本籍", p.domicile()});
            if (p.domicileHead() != null) {
                rows.add(new String[] {"筆頭者", p.domicileHead()});
            }
        }
        if (p.isForeignResident()) {
            rows.add(new String[] {"国籍・地域", p.nationality()});
            addIf(rows, "第30条の45に規定する区分", p.article30_45Category());
            addIf(rows, "在留資格", p.residenceStatus());
            addIf(rows, "在留期間", p.periodOfStay());
            if (p.stayExpiresOn() != null) {
                rows.add(new String[] {"在留期間の満了日", JapaneseDates.wareki(p.stayExpiresOn())});
            }
            addIf(rows, "在留カード等番号", p.residenceCardNumber());
        }
        if (c.items().individualNumber() && p.individualNumber() != null) {
            rows.add(new String[] {"個人番号", p.individualNumber()});
        }
        if (c.items().residentCode() && p.juminhyoCode() != null) {
            rows.add(new String[] {"住民票コード", p.juminhyoCode()});
        }
        for (String remark : p.remarks()) {
            rows.add(new String[] {"備考", remark});
        }
        return new Block(p, rows, Math.max(MIN_PERSON_HEIGHT, PERSON_HEAD + rows.size() * LINE + 6));
    }

    private static void addIf(List<String[]> rows, String label, String value) {
        if (value != null) {
            rows.add(new String[] {label, value});
        }
    }

    /** A value that cannot be printed faithfully. */
    static final class NotPrintable extends RuntimeException {
        NotPrintable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Draws one sheet. */
    private static final class Sheet {
        private final PDType0Font font;
        private final FontPool fonts;

        Sheet(PDType0Font font, FontPool fonts) {
            this.font = font;
            this.fonts = fonts;
        }

        void draw(PDPageContentStream out, JuminhyoContent c, List<Block> blocks, int page, int pages,
                  boolean last) throws IOException {
            float width = PDRectangle.A4.getWidth();
            float top = PDRectangle.A4.getHeight() - MARGIN;
            text(out, "住民票の写し", width / 2 - 54, top - 16, 18, 200);
            text(out, "発行番号 " + c.issuanceNumber(), width - MARGIN - 190, top - 4, 8, 190);
            text(out, page + "/" + pages, width - MARGIN - 30, MARGIN - 14, 9, 40);
            verification(out, c.verificationUrl(), MARGIN, MARGIN - 20);
            ResidentRecord first = c.persons().get(0);
            float y = top - 40;
            out.setLineWidth(0.8f);
            out.addRect(MARGIN, y - 60, width - 2 * MARGIN, 60);
            out.stroke();
            label(out, "住所", MARGIN + 4, y - 14);
            String address = first.address() + (first.addressSupplement() == null ? "" : "　" + first.addressSupplement());
            wrapped(out, address, MARGIN + 60, y - 14, width - 2 * MARGIN - 70, 2, "address");
            if (c.items().householderAndRelationship()) {
                label(out, "世帯主", MARGIN + 4, y - 50);
                fitted(out, first.householderName() == null ? "" : first.householderName(), MARGIN + 60, y - 50,
                        200, "householder name");
            }
            y -= 68;
            for (Block block : blocks) {
                person(out, block, MARGIN, y, width - 2 * MARGIN);
                y -= block.height();
            }
            float end = y;
            if (last) {
                text(out, "以下余白", MARGIN + 8, end - 14, 9, 80);
                footer(out, c, end - 40);
            }
        }

        private void person(PDPageContentStream out, Block block, float x, float y, float w) throws IOException {
            ResidentRecord p = block.person();
            out.setLineWidth(0.5f);
            out.addRect(x, y - block.height() + 4, w, block.height() - 4);
            out.stroke();
            String kana = join(p.familyNameKana(), p.givenNameKana());
            if (!kana.isEmpty()) {
                text(out, kana, x + 60, y - 11, 7, w / 2 - 70);
            }
            label(out, "氏名", x + 4, y - 24);
            fitted(out, p.fullName(), x + 60, y - 24, w / 2 - 70, "name", 12);
            label(out, "生年月日", x + w / 2 + 4, y - 24);
            text(out, JapaneseDates.wareki(p.birthDate()) + "生　" + (p.sex() == ResidentRecord.Sex.MALE ? "男" : "女"),
                    x + w / 2 + 60, y - 24, VALUE_SIZE, w / 2 - 64);
            float line = y - PERSON_HEAD;
            for (String[] row : block.rows()) {
                label(out, row[0], x + 4, line);
                fitted(out, row[1], x + 116, line, w - 124, row[0]);
                line -= LINE;
            }
        }

        private void footer(PDPageContentStream out, JuminhyoContent c, float y) throws IOException {
            String attestation = switch (c.attestation()) {
                case HOUSEHOLD_ALL -> "この写しは、世帯全員の住民票の原本と相違ないことを証明する。";
                case HOUSEHOLD_PART -> "この写しは、世帯の一部の住民票の原本と相違ないことを証明する。";
                case SELF -> "この写しは、住民票の原本と相違ないことを証明する。";
            };
            text(out, attestation, MARGIN + 8, y, 10.5f, 480);
            text(out, JapaneseDates.wareki(c.issuedOn()), MARGIN + 8, y - 20, 10.5f, 200);
            String mayor = c.mayorTitle() + "　" + c.mayorName();
            fitted(out, mayor, MARGIN + 250, y - 44, 200, "mayor", 12);
            seal(out, MARGIN + 460, y - 62, c.mayorTitle());
        }

        /** The QR code of the verification address, with the address in small print beside it. */
        private void verification(PDPageContentStream out, String url, float x, float y) throws IOException {
            com.google.zxing.common.BitMatrix matrix;
            try {
                matrix = new com.google.zxing.qrcode.QRCodeWriter().encode(url, com.google.zxing.BarcodeFormat.QR_CODE,
                        0, 0, java.util.Map.of(com.google.zxing.EncodeHintType.MARGIN, 0));
            } catch (com.google.zxing.WriterException e) {
                throw new IOException("cannot encode the verification address", e);
            }
            float module = 46f / matrix.getWidth();
            for (int row = 0; row < matrix.getHeight(); row++) {
                for (int col = 0; col < matrix.getWidth(); col++) {
                    if (matrix.get(col, row)) {
                        out.addRect(x + col * module, y + 46 - (row + 1) * module, module, module);
                    }
                }
            }
            out.fill();
            text(out, "この証明書の発行は次の所で確かめられます", x + 52, y + 30, 6.5f, 300);
            text(out, url, x + 52, y + 20, 6.5f, 400);
        }

        /** The dev 公印: a red square with the mayor's title and 之印, drawn as vector graphics. */
        private void seal(PDPageContentStream out, float x, float y, String title) throws IOException {
            out.setStrokingColor(RED);
            out.setNonStrokingColor(RED);
            out.setLineWidth(2f);
            out.addRect(x, y, 54, 54);
            out.stroke();
            String text = title + "之印";
            int perColumn = (text.length() + 1) / 2;
            float size = Math.min(14, 48f / perColumn);
            for (int i = 0; i < text.length(); i++) {
                int column = i / perColumn;
                float cx = x + 54 - 6 - size - column * (size + 4);
                float cy = y + 54 - 4 - size - (i % perColumn) * size;
                text(out, String.valueOf(text.charAt(i)), cx, cy, size, size * 1.2f);
            }
            out.setStrokingColor(Color.BLACK);
            out.setNonStrokingColor(Color.BLACK);
        }

        private void label(PDPageContentStream out, String label, float x, float y) throws IOException {
            text(out, label, x, y, 8, 120);
        }

        private void fitted(PDPageContentStream out, String value, float x, float y, float width, String what)
                throws IOException {
            fitted(out, value, x, y, width, what, VALUE_SIZE);
        }

        /**
         * Prints a value on at most {@code maxLines} lines, at the usual size or smaller down to {@link #MIN_SIZE},
         * breaking between characters (Japanese addresses have no spaces); refuses what still does not fit.
         */
        private void wrapped(PDPageContentStream out, String value, float x, float y, float width, int maxLines,
                             String what) throws IOException {
            for (float size = VALUE_SIZE; size >= MIN_SIZE; size -= 0.5f) {
                List<String> lines = new ArrayList<>();
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < value.length(); ) {
                    int cp = value.codePointAt(i);
                    int length = Character.charCount(cp);
                    if (i + length < value.length() && VariationSequences.isSelector(value.codePointAt(i + length))) {
                        length += Character.charCount(value.codePointAt(i + length)); // base and selector stay together
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
                if (lines.size() <= maxLines) {
                    for (int i = 0; i < lines.size(); i++) {
                        text(out, lines.get(i), x, y - i * (size + 3), size, width);
                    }
                    return;
                }
            }
            throw new NotPrintable(what + " too long for the form");
        }

        /** Prints a value at {@code size}, or smaller down to {@link #MIN_SIZE}; refuses what still does not fit. */
        private void fitted(PDPageContentStream out, String value, float x, float y, float width, String what,
                            float size) throws IOException {
            float natural = width(value) / 1000f;
            float fit = Math.min(size, natural == 0 ? size : width / natural);
            if (fit < MIN_SIZE) {
                throw new NotPrintable(what + " too long for the form");
            }
            text(out, value, x, y, fit, width);
        }

        private float width(String value) throws IOException {
            try {
                return font.getStringWidth(fonts.drawable(value));
            } catch (IllegalArgumentException e) {
                throw new NotPrintable(noGlyph(value));
            }
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

        private void text(PDPageContentStream out, String value, float x, float y, float size, float maxWidth)
                throws IOException {
            try {
                String drawn = fonts.drawable(value);
                out.beginText();
                out.setFont(font, size);
                out.newLineAtOffset(x, y);
                out.showText(drawn);
                out.endText();
            } catch (IllegalArgumentException e) {
                throw new NotPrintable(noGlyph(value));
            }
        }

        private static String join(String a, String b) {
            return ((a == null ? "" : a) + (b == null ? "" : "　" + b)).trim();
        }
    }
}
