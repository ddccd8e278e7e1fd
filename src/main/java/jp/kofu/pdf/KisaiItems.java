package jp.kofu.pdf;

import jp.kofu.replica.ResidentRecord;

import java.util.List;
import java.util.Set;

import static jp.kofu.pdf.PersonItems.addressOf;
import static jp.kofu.pdf.PersonItems.date;
import static jp.kofu.pdf.PersonItems.one;
import static jp.kofu.pdf.PersonItems.withReading;

/**
 * The items of a 住民票記載事項証明書: the chosen ones, and 旧氏 and 通称 with the name whenever they are recorded.
 * 本籍・筆頭者 are never printed for a foreign resident (the record has none); 個人番号 and 住民票コード never.
 */
record KisaiItems(Set<KisaiItem> chosen, FormLayout layout) implements PersonItems {
    @Override
    public List<String> values(FormLayout.Item item, ResidentRecord p) {
        boolean foreign = p.isForeignResident();
        return switch (item) {
            case formerSurname -> one(p.formerSurname(), withReading(p.formerSurname(), p.formerSurnameKana()));
            case alias -> one(p.alias(), withReading(p.alias(), p.aliasKana()));
            case birthDate -> chosen.contains(KisaiItem.BIRTH_DATE) ? List.of(date(layout, p, p.birthDate()) + "生")
                    : List.of();
            case sex -> chosen.contains(KisaiItem.SEX) ? List.of(PersonItems.sexOf(p)) : List.of();
            case address -> chosen.contains(KisaiItem.ADDRESS) ? List.of(addressOf(p)) : List.of();
            case householder -> chosen.contains(KisaiItem.HOUSEHOLDER)
                    ? one(p.householderName(), p.householderName()) : List.of();
            case relationship -> chosen.contains(KisaiItem.RELATIONSHIP)
                    ? one(p.relationship(), p.relationship()) : List.of();
            case becameResident -> chosen.contains(KisaiItem.BECAME_RESIDENT_ON)
                    ? one(p.becameResidentOn(), PersonItems.becameResident(layout, p)) : List.of();
            case addressSet -> chosen.contains(KisaiItem.ADDRESS_SET_ON)
                    ? one(p.addressSetOn(), PersonItems.addressSet(layout, p)) : List.of();
            case domicile -> chosen.contains(KisaiItem.DOMICILE) && !foreign ? one(p.domicile(), p.domicile())
                    : List.of();
            case domicileHead -> chosen.contains(KisaiItem.DOMICILE) && !foreign
                    ? one(p.domicileHead(), p.domicileHead()) : List.of();
            default -> List.of(); // not an item of this certificate (the form may not place it)
        };
    }

    @Override
    public String birthLine(ResidentRecord p) {
        return null;
    }

    @Override
    public boolean printsHouseholder() {
        return false;
    }
}
