package jp.kofu.pdf;

import jp.kofu.replica.ResidentRecord;

import java.util.List;

import static jp.kofu.pdf.PersonItems.addressOf;
import static jp.kofu.pdf.PersonItems.date;
import static jp.kofu.pdf.PersonItems.one;

/**
 * The items of an 印鑑登録証明書: 旧氏 and 通称 when recorded (without their readings, which the 印鑑証明 does not
 * carry), the name the seal is registered under when it is not the 氏名, 生年月日, 男女の別 unless the municipality
 * leaves it off, 住所 and 登録番号.
 */
record InkanItems(InkanContent content, FormLayout layout) implements PersonItems {
    @Override
    public List<String> values(FormLayout.Item item, ResidentRecord p) {
        InkanContent.Seal seal = content.seal();
        return switch (item) {
            case formerSurname -> one(p.formerSurname(), p.formerSurname());
            case alias -> one(p.alias(), p.alias());
            case registeredName -> seal.registeredName().equals(p.fullName()) ? List.of()
                    : List.of(seal.registeredName());
            case birthDate -> List.of(date(layout, p, p.birthDate()) + "生");
            case sex -> content.printsSex() ? List.of(PersonItems.sexOf(p)) : List.of();
            case address -> List.of(addressOf(p));
            case registrationNumber -> List.of(seal.registrationNumber());
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
