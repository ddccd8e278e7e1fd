package jp.kofu.pdf;

import jp.kofu.koseki.KosekiAnswer;
import jp.kofu.replica.ResidentRecord;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws one sheet of a certificate on its form: the 地紋, title, the copy's 発行番号, n/N, the copy's verification
 * QR code, the household box, the persons' boxes (and the 印影 of an 印鑑登録証明書) or the table of a 戸籍
 * certificate, and on the last sheet only
 * 以下余白, the 認証文, 発行日, mayor and 公印. Coordinates of the layout count from the top; PDF's from the bottom.
 */
final class Sheet {
    /** Where a row's baseline lies, as a fraction of the row pitch from the row's top. */
    private static final float BASELINE = 0.72f;
    /** Labels are the form's own words; they may be set this small to fit their column. */
    private static final float SMALLEST_LABEL = 5.5f;
    /** The largest an electronic 公印 may be printed: 25 mm square (標準仕様書 5.6). */
    static final float BLACK_SEAL_MAX = 25 * FormLayout.MM;
    /** The fixed text beside a black 公印 (標準仕様書 5.6). */
    static final String BLACK_SEAL_NOTE = "この印は黒色です";
    /**
     * The mask of every verification QR code. Any of the eight is a valid code (ISO/IEC 18004 7.8); zxing's choice
     * by penalty score only tunes the module pattern for scanning, and cost about 5 % of a sheet's CPU. Mask 2 is the
     * one zxing's score picks most often for Kofu's addresses, and scores lowest on average
     * (docs/render-speed.md, issue 17).
     */
    static final int QR_MASK = 2;
    private static final java.util.Map<com.google.zxing.EncodeHintType, Object> QR_HINTS = java.util.Map.of(
            com.google.zxing.EncodeHintType.MARGIN, 0, com.google.zxing.EncodeHintType.QR_MASK_PATTERN, QR_MASK);
    private static final byte[] RE = " re\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** What every sheet of one document shares: its images, its form, its typesetter and what it prints. */
    record Parts(CertificateContent content, PersonItems items, Typesetter type, PDImageXObject seal,
                 PDImageXObject impression) {}

    private final PDDocument doc;
    private final PDPage page;
    private final FormLayout layout;
    private final Parts parts;
    private final Typesetter type;
    private final float height;
    /** Variant glyphs, drawn by glyph id in a content stream of their own after the page's main one. */
    private final ByteArrayOutputStream variants = new ByteArrayOutputStream();
    private PDPageContentStream out;

    Sheet(PDDocument doc, PDPage page, Parts parts) {
        this.doc = doc;
        this.page = page;
        this.layout = parts.content().issue().form().layout();
        this.parts = parts;
        this.type = parts.type();
        this.height = layout.page().height();
    }

    /** A sheet of a residents' certificate: the household box, the persons' boxes, the 印影. */
    void draw(Issue.Copy copy, List<CertificatePrinter.Block> blocks, int pageNo, int pages) throws IOException {
        draw(copy, pageNo, pages, () -> {
            ResidentContent c = (ResidentContent) parts.content();
            if (layout.household() != null) {
                household(c);
            }
            if (layout.impression() != null && parts.impression() != null) {
                impression(((InkanContent) c).seal());
            }
            float y = layout.persons().top();
            for (CertificatePrinter.Block block : blocks) {
                person(block, y);
                y += block.height();
            }
            return y;
        });
    }

    /** A sheet of a 戸籍 certificate or 附票: the 本籍 box on the first sheet, then its part of the table. */
    void draw(Issue.Copy copy, KosekiRows.Page rows, int pageNo, int pages) throws IOException {
        draw(copy, pageNo, pages, () -> {
            if (rows.domicile()) {
                domicile(((KosekiContent) parts.content()).answer());
            }
            return koseki(rows);
        });
    }

    /** What a sheet shows between its head and its foot; answers where it ends. */
    private interface Body {
        float draw() throws IOException;
    }

    private void draw(Issue.Copy copy, int pageNo, int pages, Body body) throws IOException {
        CertificateContent c = parts.content();
        try (PDPageContentStream stream = new PDPageContentStream(doc, page)) {
            out = stream;
            Jimon.draw(out, page, layout);
            fixed(layout.title(), copy, pageNo, pages);
            fixed(layout.issuanceNumber(), copy, pageNo, pages);
            fixed(layout.pageNumber(), copy, pageNo, pages);
            verification(copy.verificationUrl());
            float y = body.draw();
            if (pageNo == pages) {
                FormLayout.Footer footer = layout.footer();
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

    /** The box of 本籍 and the 筆頭者's 氏名 above the table, its labels in a column of their own. */
    private void domicile(KosekiAnswer answer) throws IOException {
        FormLayout.Household box = layout.household();
        out.setLineWidth(box.lineWidth());
        rect(box.x(), box.y(), box.width(), box.height());
        out.stroke();
        FormLayout.Field honseki = box.address();
        vline(box.x() + honseki.x() - 6, box.y(), box.y() + box.height());
        label(honseki.label(), box.x() + honseki.labelX(), box.y() + honseki.y());
        lines(type.fit(honseki.label(), answer.honseki(), honseki.width(), honseki.maxLines(), startSize(honseki)),
                box.x() + honseki.x(), box.y() + honseki.y(), 3);
        FormLayout.Field head = box.householder();
        label(head.label(), box.x() + head.labelX(), box.y() + head.y());
        lines(type.fit(head.label(), answer.hittosha(), head.width(), head.maxLines(), startSize(head)),
                box.x() + head.x(), box.y() + head.y(), 3);
    }

    /**
     * The sheet's part of a 戸籍 table: a ruled frame with the headings' column on the left, a rule above each part
     * (戸籍事項, each person, 身分事項), the boxed 除籍 mark under 戸籍に記録されている者. Answers where the table ends.
     */
    private float koseki(KosekiRows.Page rows) throws IOException {
        FormLayout.Persons area = layout.persons();
        FormLayout.Koseki words = layout.koseki();
        float pitch = layout.sizes().line();
        float x = area.x();
        float top = rows.top();
        float y = top;
        out.setLineWidth(area.lineWidth());
        for (KosekiRows.Line line : rows.lines()) {
            if (line.rule() && y > top) {
                hline(x, y, area.width());
            }
            float baseline = y + pitch * BASELINE;
            if (line.heading() != null) {
                label(line.heading(), x + area.labelX(), baseline, area.valueX() - area.labelX() - 8);
            }
            if (line.entry() != null) {
                label(line.entry(), x + words.eventX(), baseline, area.valueX() - words.eventX() - 8);
            }
            if (line.mark()) {
                removedMark(words.removed(), x + words.eventX(), y, pitch);
            }
            if (line.item() != null) {
                lines(line.item(), x + area.valueX(), baseline, pitch - line.item().size());
            }
            y += line.lines() * pitch;
        }
        rect(x, top, area.width(), y - top);
        out.stroke();
        vline(x + area.valueX() - 6, top, y);
        return y;
    }

    /** The 除籍 mark: its word in a box, within one line of the table. */
    private void removedMark(String mark, float x, float lineTop, float pitch) throws IOException {
        float size = layout.sizes().label();
        float width = type.width(mark) / 1000f * size;
        rect(x - 3, lineTop + 1.5f, width + 6, pitch - 3);
        out.stroke();
        text(mark, x, lineTop + pitch * BASELINE, size);
    }

    private void fixed(FormLayout.Text t, Issue.Copy copy, int pageNo, int pages) throws IOException {
        text(t.text().replace("{number}", copy.issuanceNumber()).replace("{pages}", String.valueOf(pages))
                .replace("{page}", String.valueOf(pageNo)), t.x(), t.y(), t.size());
    }

    private void household(ResidentContent c) throws IOException {
        FormLayout.Household box = layout.household();
        ResidentRecord first = c.persons().get(0);
        out.setLineWidth(box.lineWidth());
        rect(box.x(), box.y(), box.width(), box.height());
        out.stroke();
        FormLayout.Field address = box.address();
        label(address.label(), box.x() + address.labelX(), box.y() + address.y());
        Typesetter.Row row = type.fit(address.label(), PersonItems.addressOf(first), address.width(),
                address.maxLines(), startSize(address));
        lines(row, box.x() + address.x(), box.y() + address.y(), 3);
        FormLayout.Field householder = box.householder();
        if (householder != null && parts.items().printsHouseholder()) {
            label(householder.label(), box.x() + householder.labelX(), box.y() + householder.y());
            String name = first.householderName() == null ? "" : first.householderName();
            lines(type.fit(householder.label(), name, householder.width(), 1),
                    box.x() + householder.x(), box.y() + householder.y(), 3);
        }
    }

    /**
     * The 印影 in its frame, a square of exactly {@code sealSizeMm} on the page (its image matrix says so), centred;
     * the frame's label above it.
     */
    private void impression(InkanContent.Seal seal) throws IOException {
        FormLayout.Impression box = layout.impression();
        out.setLineWidth(box.lineWidth());
        rect(box.x(), box.y(), box.size(), box.size());
        out.stroke();
        float labelWidth = type.width(box.label()) / 1000f * box.labelSize();
        text(box.label(), box.x() + (box.size() - labelWidth) / 2, box.y() - 4, box.labelSize());
        float side = (float) (seal.sealSizeMm() * 72 / 25.4);
        float left = box.x() + (box.size() - side) / 2;
        float top = box.y() + (box.size() - side) / 2;
        out.drawImage(parts.impression(), left, height - top - side, side, side);
    }

    private void person(CertificatePrinter.Block block, float top) throws IOException {
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
        if (birth != null) {
            label(birth.label(), x + birth.labelX(), top + birth.y());
            lines(type.fit("生年月日", parts.items().birthLine(p), birth.width(), 1), x + birth.x(), top + birth.y(), 0);
        }
        float pitch = layout.sizes().line();
        float rowTop = top + area.head();
        if (area.rules()) {
            hline(x, rowTop, area.width());
            if (!block.rows().isEmpty()) {
                vline(x + area.valueX() - 6, rowTop, top + boxHeight);
            }
        }
        for (Typesetter.Row row : block.rows()) {
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

    private void footer(CertificateContent c, float origin) throws IOException {
        Issue issue = c.issue();
        FormLayout.Footer f = layout.footer();
        FormLayout.Attestation a = f.attestation();
        lines(type.fit("認証文", a.texts().get(c.attestation()), a.width(), 1, a.size()), a.x(), origin + a.y(), 0);
        FormLayout.DateLine d = f.date();
        String date = JapaneseDates.wareki(issue.issuedOn())
                + ("wareki+seireki".equals(d.style()) ? "（" + JapaneseDates.seireki(issue.issuedOn()) + "）" : "");
        text(date, d.x(), origin + d.y(), d.size());
        FormLayout.Field mayor = f.mayor();
        lines(type.fit("市町村長名", issue.mayorTitle() + "　" + issue.mayorName(), mayor.width(), 1,
                startSize(mayor)), mayor.x(), origin + mayor.y(), 0);
        FormLayout.Seal s = f.seal();
        if (issue.sealColor() == Issue.SealColor.BLACK) {
            float side = Math.min(s.size(), BLACK_SEAL_MAX);
            float left = s.x() + (s.size() - side) / 2;
            float top = origin + s.y() + (s.size() - side) / 2;
            out.drawImage(parts.seal(), left, height - top - side, side, side);
            FormLayout.Text note = s.note();
            if (note != null) {
                text(BLACK_SEAL_NOTE, note.x(), origin + note.y(), note.size());
            } else {
                float size = 7f;
                float width = type.width(BLACK_SEAL_NOTE) / 1000f * size;
                text(BLACK_SEAL_NOTE, s.x() + (s.size() - width) / 2, origin + s.y() + s.size() + size + 2, size);
            }
        } else {
            out.drawImage(parts.seal(), s.x(), height - (origin + s.y()) - s.size(), s.size(), s.size());
        }
    }

    /**
     * The QR code of the verification address, with the address in small print beside it. Its mask is fixed
     * ({@link #QR_MASK}: zxing would otherwise score all eight for every code). The dark modules of a row are drawn
     * as one rectangle per run of adjacent ones, written as the operators PDFBox writes for {@code re} with its
     * number format: the same picture in fewer operators.
     */
    private void verification(String url) throws IOException {
        FormLayout.Verification v = layout.verification();
        com.google.zxing.common.BitMatrix matrix;
        try {
            matrix = new com.google.zxing.qrcode.QRCodeWriter().encode(url, com.google.zxing.BarcodeFormat.QR_CODE,
                    0, 0, QR_HINTS);
        } catch (com.google.zxing.WriterException e) {
            throw new IOException("cannot encode the verification address", e);
        }
        int side = matrix.getWidth();
        float module = v.size() / side;
        float bottom = height - v.y() - v.size();
        byte[][] xs = new byte[side][];
        for (int col = 0; col < side; col++) {
            xs[col] = operand(v.x() + col * module);
        }
        byte[][] widths = new byte[side + 1][];
        byte[] moduleHeight = operand(module);
        ByteArrayOutputStream ops = new ByteArrayOutputStream(side * side * 8);
        for (int row = 0; row < side; row++) {
            byte[] y = null;
            for (int col = 0; col < side; ) {
                if (!matrix.get(col, row)) {
                    col++;
                    continue;
                }
                int end = col + 1;
                while (end < side && matrix.get(end, row)) {
                    end++;
                }
                if (y == null) {
                    y = operand(bottom + v.size() - (row + 1) * module);
                }
                int run = end - col;
                if (widths[run] == null) {
                    widths[run] = operand(run * module);
                }
                ops.write(xs[col]);
                ops.write(' ');
                ops.write(y);
                ops.write(' ');
                ops.write(widths[run]);
                ops.write(' ');
                ops.write(moduleHeight);
                ops.write(RE);
                col = end;
            }
        }
        out.appendRawCommands(ops.toByteArray());
        out.fill();
        text(v.caption(), v.x() + v.size() + 6, v.y() + 16, v.textSize());
        text(url, v.x() + v.size() + 6, v.y() + 26, v.textSize());
    }

    /** {@code value} as PDFBox's content streams write a number: at most four decimals, no trailing zeros. */
    private static byte[] operand(float value) {
        byte[] buffer = new byte[32];
        int length = org.apache.pdfbox.util.NumberFormatUtil.formatFloatFast(value, 4, buffer);
        if (length < 0) {
            return new java.math.BigDecimal(value).setScale(4, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                    .toPlainString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return java.util.Arrays.copyOf(buffer, length);
    }

    private void label(String label, float x, float y) throws IOException {
        text(label, x, y, layout.sizes().label());
    }

    /** A label within {@code width}: a long one (法第30条の45に規定する区分) is set smaller, never cut. */
    private void label(String label, float x, float y, float width) throws IOException {
        float size = Math.min(layout.sizes().label(), width / (type.width(label) / 1000f));
        if (size < SMALLEST_LABEL) {
            throw new CertificatePrinter.NotPrintable("label " + label + " too long for its column");
        }
        text(label, x, y, size);
    }

    /** A row's lines, the first at baseline {@code y}, each next one its size plus {@code leading} lower. */
    private void lines(Typesetter.Row row, float x, float y, float leading) throws IOException {
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
        List<FontPool.Run> runs = type.fonts().runs(value);
        for (int i = 0; i < runs.size(); i++) {
            FontPool.Run run = runs.get(i);
            if (run.isVariant()) {
                variant(run, at, height - y, size);
            } else {
                byte[] shown = type.showOperator(run.text());
                try {
                    out.beginText();
                    out.setFont(type.font(), size);
                    out.newLineAtOffset(at, height - y);
                    if (shown != null) {
                        out.appendRawCommands(shown);
                    } else {
                        out.showText(run.text());
                    }
                    out.endText();
                } catch (IllegalArgumentException e) {
                    throw new CertificatePrinter.NotPrintable(type.noGlyph(run.text()));
                }
            }
            if (i + 1 < runs.size()) {
                at += type.width(run.text()) / 1000f * size;
            }
        }
    }

    /**
     * The variant glyph of an Ideographic Variation Sequence, which PDFBox cannot reach through Unicode: shown
     * as its CID (CID = the font's glyph id; {@link FontSubset} puts every glyph the pages show into the
     * subset), inside a marked-content span whose /ActualText gives back the base character and its selector.
     */
    private void variant(FontPool.Run run, float x, float y, float size) throws IOException {
        COSName fontName = page.getResources().add(type.font());
        StringBuilder ops = new StringBuilder();
        ops.append("/Span <</ActualText <FEFF");
        for (char ch : run.text().toCharArray()) {
            ops.append(String.format("%04X", (int) ch));
        }
        ops.append(">>> BDC BT /").append(fontName.getName()).append(' ').append(number(size)).append(" Tf ")
                .append(number(x)).append(' ').append(number(y)).append(" Td <");
        for (byte b : type.font().encodeGlyphId(run.glyph())) {
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
