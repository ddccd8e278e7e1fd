package jp.kofu.pdf;

import jp.kofu.replica.ResidentRecord;

import java.time.LocalDate;
import java.util.List;

/**
 * What a type of certificate prints of a person, item by item: the rows of a person's box. An item yields no value
 * when it is not recorded or not chosen, and then its row is not printed at all, not even its label.
 */
sealed interface PersonItems permits JuminhyoItems, KisaiItems, InkanItems {
    /** The values of {@code item} for {@code p}, one row each. */
    List<String> values(FormLayout.Item item, ResidentRecord p);

    /** The head's 生年月日 line, for a form whose head has one (住民票の写し). */
    String birthLine(ResidentRecord p);

    /** Whether the household box prints the 世帯主. */
    boolean printsHouseholder();

    static PersonItems of(ResidentContent content) {
        FormLayout layout = content.issue().form().layout();
        if (content instanceof JuminhyoContent j) {
            return new JuminhyoItems(j.items(), layout);
        }
        if (content instanceof KisaiContent k) {
            return new KisaiItems(k.items(), layout);
        }
        InkanContent i = (InkanContent) content;
        return new InkanItems(i, layout);
    }

    static List<String> one(Object recorded, String printed) {
        return recorded == null ? List.of() : List.of(printed);
    }

    static String withReading(String value, String reading) {
        return value == null ? null : value + (reading == null ? "" : "（" + reading + "）");
    }

    static String addressOf(ResidentRecord p) {
        return p.address() + (p.addressSupplement() == null ? "" : "　" + p.addressSupplement());
    }

    static String sexOf(ResidentRecord p) {
        return p.sex() == ResidentRecord.Sex.MALE ? "男" : "女";
    }

    /** A date of a person: 和暦, or 西暦 for a foreign resident when the form says so (as the standard form does). */
    static String date(FormLayout layout, ResidentRecord p, LocalDate date) {
        return p.isForeignResident() && "seireki".equals(layout.persons().foreignResidentDates())
                ? JapaneseDates.seireki(date) : JapaneseDates.wareki(date);
    }

    static String becameResident(FormLayout layout, ResidentRecord p) {
        return p.becameResidentOn() == null ? null : date(layout, p, p.becameResidentOn())
                + (p.becameResidentReason() == null ? "" : "　" + p.becameResidentReason());
    }

    static String addressSet(FormLayout layout, ResidentRecord p) {
        return p.addressSetOn() == null ? null : date(layout, p, p.addressSetOn())
                + (p.addressNotifiedOn() == null ? "" : "　届出 " + date(layout, p, p.addressNotifiedOn()));
    }
}
