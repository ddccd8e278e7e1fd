package jp.kofu.pdf;

import jakarta.inject.Singleton;
import jp.kofu.replica.ResidentRecord;
import jp.kofu.signing.DocumentSigner;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints any certificate ({@link CertificateContent}: 住民票の写し, 住民票記載事項証明書, 印鑑登録証明書, and the
 * 戸籍全部事項証明書, 戸籍個人事項証明書 and 戸籍の附票の写し of {@link KosekiContent}) on its municipality's form
 * ({@link FormLayout}) and signs it. The persons' boxes (or a 戸籍's table) are laid out once and drawn for each copy
 * with that copy's 発行番号 and verification QR code, numbered n/N within the copy; the 認証文 stands on each copy's
 * last sheet. The font comes parsed from a {@link FontPool} and is embedded as a subset in every document. A value
 * that does not fit its place, or a character the font cannot draw, makes the certificate
 * {@link PrintOutcome.NotPrintable}: nothing is ever truncated or substituted.
 */
@Singleton
public final class CertificatePrinter {
    /** The sides a registered seal may have (小松島市: 8 to 25 mm squares). */
    private static final double SMALLEST_SEAL_MM = 8;
    private static final double LARGEST_SEAL_MM = 25;

    private final FontPool fonts = FontPool.shared();

    public PrintOutcome print(CertificateContent content, DocumentSigner signer) {
        FormLayout layout = content.issue().form().layout();
        if (layout.kind() != content.kind()) {
            throw new IllegalArgumentException("a " + content.kind() + " certificate on the " + layout.kind()
                    + " form " + layout.name());
        }
        FontPool.Lent lent = fonts.borrow((Record) content); // every permitted content is a record
        try {
            return print(content, signer, lent, layout);
        } finally {
            fonts.giveBack(lent);
        }
    }

    private PrintOutcome print(CertificateContent content, DocumentSigner signer, FontPool.Lent lent,
                               FormLayout layout) {
        try (PDDocument doc = new PDDocument()) {
            Typesetter type = new Typesetter(lent.font(), lent.ttf(), fonts, layout.sizes(), lent.glyphs());
            Issue issue = content.issue();
            SealImage seal = issue.sealColor() == Issue.SealColor.BLACK ? issue.form().seal().black()
                    : issue.form().seal();
            if (content instanceof KosekiContent koseki) {
                List<KosekiRows.Page> sheets = KosekiRows.paginate(koseki, layout, type);
                Sheet.Parts parts = new Sheet.Parts(content, null, type, seal.into(doc), null);
                for (Issue.Copy copy : issue.copies()) {
                    for (int s = 0; s < sheets.size(); s++) {
                        new Sheet(doc, addPage(doc, layout), parts).draw(copy, sheets.get(s), s + 1, sheets.size());
                    }
                }
            } else {
                ResidentContent residents = (ResidentContent) content;
                PersonItems items = PersonItems.of(residents);
                List<List<Block>> sheets = paginate(residents, items, layout, type);
                Sheet.Parts parts = new Sheet.Parts(content, items, type, seal.into(doc), impression(content, doc));
                for (Issue.Copy copy : issue.copies()) {
                    for (int s = 0; s < sheets.size(); s++) {
                        new Sheet(doc, addPage(doc, layout), parts).draw(copy, sheets.get(s), s + 1, sheets.size());
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

    private static PDPage addPage(PDDocument doc, FormLayout layout) {
        PDPage page = new PDPage(new PDRectangle(layout.page().width(), layout.page().height()));
        doc.addPage(page);
        return page;
    }

    /** The registered 印影 of an 印鑑登録証明書 as an image of {@code doc}; none for the other certificates. */
    private static PDImageXObject impression(CertificateContent content, PDDocument doc) throws IOException {
        if (!(content instanceof InkanContent inkan)) {
            return null;
        }
        double mm = inkan.seal().sealSizeMm();
        if (!(mm >= SMALLEST_SEAL_MM && mm <= LARGEST_SEAL_MM)) {
            throw new NotPrintable("registered seal size " + mm + " mm is outside 8 to 25 mm");
        }
        return SealImage.impression(inkan.seal().png()).into(doc);
    }

    /** One person's box: the rows under the head, and the height they need. */
    record Block(ResidentRecord person, List<Typesetter.Row> rows, float height) {}

    /** Persons in order, at most {@code personsPerSheet} a sheet and as many as fit its height. */
    private static List<List<Block>> paginate(ResidentContent content, PersonItems items, FormLayout layout,
                                              Typesetter type) throws IOException {
        FormLayout.Persons area = layout.persons();
        float room = area.bottom() - area.top();
        List<List<Block>> sheets = new ArrayList<>();
        List<Block> sheet = new ArrayList<>();
        float used = 0;
        for (ResidentRecord p : content.persons()) {
            Block block = block(items, layout, type, p);
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

    private static Block block(PersonItems items, FormLayout layout, Typesetter type, ResidentRecord p)
            throws IOException {
        FormLayout.Persons area = layout.persons();
        float width = area.width() - area.valueX() - 8;
        List<Typesetter.Row> rows = new ArrayList<>();
        int lines = 0;
        for (FormLayout.Row place : area.items()) {
            for (String value : items.values(FormLayout.Item.valueOf(place.item()), p)) {
                Typesetter.Row row = type.fit(place.label(), value, width, place.maxLines());
                rows.add(row);
                lines += row.lines().size();
            }
        }
        float height = area.head() + lines * layout.sizes().line() + area.gap() + (area.rules() ? 0 : 6);
        return new Block(p, rows, Math.max(area.minHeight(), height));
    }

    /** A value that cannot be printed faithfully. */
    static final class NotPrintable extends RuntimeException {
        NotPrintable(String reason) {
            super(reason, null, false, false);
        }
    }
}
