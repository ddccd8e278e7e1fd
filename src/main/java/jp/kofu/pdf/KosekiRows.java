package jp.kofu.pdf;

import jp.kofu.koseki.KosekiAnswer;
import jp.kofu.replica.ResidentRecord;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The table of a 戸籍 certificate (全部事項, 個人事項) or of a 附票, in the standard's horizontal form: line after
 * line, headings in the left column (戸籍事項, 戸籍に記録されている者 with the boxed 除籍 mark, 身分事項 and each entry's
 * label: 戸籍編製, 出生, 婚姻 …), items in the right one as 【label】value, dates in 和暦; and the lines split into
 * sheets. A person may run on from one sheet to the next (the lines flow; only a wrapped item is never split).
 */
final class KosekiRows {
    /** A value of the 戸籍システム that is a date (ISO), printed in 和暦. */
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /**
     * One line of the table: a heading of the left column, an entry's label beside it, whether the 除籍 mark stands
     * in it, the item (on one or more lines at one size), and whether a rule opens it (a new part of the table).
     */
    record Line(String heading, String entry, boolean mark, Typesetter.Row item, boolean rule) {
        int lines() {
            return item == null ? 1 : item.lines().size();
        }
    }

    /** The lines of one sheet; its table begins at {@code top}; {@code domicile}: the 本籍 box stands above it. */
    record Page(float top, boolean domicile, List<Line> lines) {}

    private final KosekiContent content;
    private final FormLayout layout;
    private final Typesetter type;
    private final float width;

    private KosekiRows(KosekiContent content, FormLayout layout, Typesetter type) {
        this.content = content;
        this.layout = layout;
        this.type = type;
        FormLayout.Persons area = layout.persons();
        this.width = area.width() - area.valueX() - 8;
    }

    /** The certificate's table split into sheets: the first under the 本籍 box (when printed), the others from its top. */
    static List<Page> paginate(KosekiContent content, FormLayout layout, Typesetter type) throws IOException {
        KosekiAnswer a = content.answer();
        if (content.printsDomicile() && (blank(a.honseki()) || blank(a.hittosha()))) {
            throw new CertificatePrinter.NotPrintable("the answer has no 本籍 or 筆頭者");
        }
        List<Line> lines = new KosekiRows(content, layout, type).lines();
        FormLayout.Persons area = layout.persons();
        float pitch = layout.sizes().line();
        float sheetTop = layout.household().y();
        float top = content.printsDomicile() ? area.top() : sheetTop;
        List<Page> pages = new ArrayList<>();
        List<Line> sheet = new ArrayList<>();
        float y = top;
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            float height = line.lines() * pitch;
            if (height > area.bottom() - sheetTop) {
                throw new CertificatePrinter.NotPrintable("an item too long for a sheet");
            }
            // A heading is not left alone at the foot of a sheet: it goes over with the line after it.
            float needs = line.heading() != null && i + 1 < lines.size() && lines.get(i + 1).heading() == null
                    ? height + lines.get(i + 1).lines() * pitch : height;
            if (!sheet.isEmpty() && y + needs > area.bottom()) {
                pages.add(new Page(top, pages.isEmpty() && content.printsDomicile(), sheet));
                sheet = new ArrayList<>();
                top = sheetTop;
                y = top;
            }
            sheet.add(line);
            y += height;
        }
        pages.add(new Page(top, pages.isEmpty() && content.printsDomicile(), sheet));
        return pages;
    }

    private List<Line> lines() throws IOException {
        KosekiAnswer a = content.answer();
        FormLayout.Koseki words = layout.koseki();
        boolean koseki = a.kind() != KosekiAnswer.Kind.FUHYO;
        List<Line> lines = new ArrayList<>();
        if (koseki && !a.kosekiEvents().isEmpty()) {
            lines.add(new Line(words.kosekiEvents(), null, false, null, true));
            for (KosekiAnswer.KosekiEvent e : a.kosekiEvents()) {
                lines.add(new Line(null, e.label(), false,
                        item(dateItemOf(e.label()), JapaneseDates.wareki(e.date()), words.maxItemLines()), false));
            }
        }
        for (KosekiAnswer.Person p : a.persons()) {
            List<Typesetter.Row> rows = personRows(p);
            boolean mark = p.removed() && !blank(words.removed());
            for (int i = 0; i < rows.size(); i++) {
                lines.add(new Line(i == 0 ? words.person() : null, null, mark && i == 1, rows.get(i), i == 0));
            }
            if (mark && rows.size() < 2) {
                lines.add(new Line(null, null, true, null, false));
            }
            if (koseki && !p.events().isEmpty()) {
                lines.add(new Line(words.events(), null, false, null, true));
                for (KosekiAnswer.Event e : p.events()) {
                    if (e.items().isEmpty()) {
                        lines.add(new Line(null, e.label(), false, null, false));
                    }
                    for (int i = 0; i < e.items().size(); i++) {
                        KosekiAnswer.Item it = e.items().get(i);
                        lines.add(new Line(null, i == 0 ? e.label() : null, false,
                                item(it.name(), value(it), words.maxItemLines()), false));
                    }
                }
            }
        }
        return lines;
    }

    /** A person's items in the layout's order; the 住所 history of a 附票 as 住所 and 住所を定めた年月日, entry by entry. */
    private List<Typesetter.Row> personRows(KosekiAnswer.Person p) throws IOException {
        List<Typesetter.Row> rows = new ArrayList<>();
        List<FormLayout.Row> places = layout.persons().items();
        boolean addresses = false;
        for (FormLayout.Row place : places) {
            FormLayout.Item item = FormLayout.Item.valueOf(place.item());
            switch (item) {
                case givenName -> rows.add(name(p, place));
                case fullName -> rows.add(item(place.label(), p.name(), place.maxLines()));
                case birthDate -> rows.add(item(place.label(), JapaneseDates.wareki(p.birthDate()), 1));
                case sex -> rows.add(item(place.label(), p.sex() == ResidentRecord.Sex.MALE ? "男" : "女", 1));
                case father -> optional(rows, place, p.father());
                case mother -> optional(rows, place, p.mother());
                case relationship -> optional(rows, place, p.relationship());
                case address, addressSet -> {
                    if (!addresses) {
                        addresses = true;
                        rows.addAll(addressRows(p, places));
                    }
                }
                default -> throw new IllegalStateException("item " + item + " is not one of a 戸籍 form");
            }
        }
        return rows;
    }

    private List<Typesetter.Row> addressRows(KosekiAnswer.Person p, List<FormLayout.Row> places) throws IOException {
        List<Typesetter.Row> rows = new ArrayList<>();
        for (KosekiAnswer.Address address : p.addresses()) {
            for (FormLayout.Row place : places) {
                if (place.item().equals("address")) {
                    rows.add(item(place.label(), address.address(), place.maxLines()));
                } else if (place.item().equals("addressSet") && address.setOn() != null) {
                    rows.add(item(place.label(), JapaneseDates.wareki(address.setOn()), 1));
                }
            }
        }
        return rows;
    }

    /**
     * 【名】: the name without the 戸籍's 氏 (the 筆頭者's, since one 戸籍 has one 氏). A name that does not begin
     * with that 氏 and a space is printed whole as 【氏名】, never guessed at.
     */
    private Typesetter.Row name(KosekiAnswer.Person p, FormLayout.Row place) throws IOException {
        String head = content.answer().hittosha();
        int space = head == null ? -1 : firstSpace(head);
        if (space > 0 && p.name().startsWith(head.substring(0, space)) && firstSpace(p.name()) == space) {
            String given = p.name().substring(space + 1).replaceFirst("^[ 　]+", "");
            if (!given.isEmpty()) {
                return item(place.label(), given, place.maxLines());
            }
        }
        return item("氏名", p.name(), place.maxLines());
    }

    private static int firstSpace(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == ' ' || name.charAt(i) == '　') {
                return i;
            }
        }
        return -1;
    }

    private void optional(List<Typesetter.Row> rows, FormLayout.Row place, String value) throws IOException {
        if (!blank(value)) {
            rows.add(item(place.label(), value, place.maxLines()));
        }
    }

    /** 【label】value within the right column, on up to {@code lines} lines; refused when it does not fit. */
    private Typesetter.Row item(String label, String value, int lines) throws IOException {
        String labelled = "【" + label + "】" + value;
        return type.fit(label, labelled, width, lines);
    }

    /** An entry's item as printed: a date in 和暦, anything else as the 戸籍システム gives it. */
    private static String value(KosekiAnswer.Item item) {
        String v = item.value() == null ? "" : item.value();
        if (!ISO_DATE.matcher(v).matches()) {
            return v;
        }
        try {
            return JapaneseDates.wareki(LocalDate.parse(v));
        } catch (DateTimeParseException e) {
            throw new CertificatePrinter.NotPrintable("item " + item.name() + " is no date");
        }
    }

    /** The date item of a 戸籍事項 entry: 戸籍編製 → 編製日, 戸籍改製 → 改製日, 転籍 → 転籍日. */
    static String dateItemOf(String label) {
        String act = label.startsWith("戸籍") && label.length() > 2 ? label.substring(2) : label;
        return act + "日";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
