package jp.kofu.pdf;

import jp.kofu.replica.ResidentRecord;

import java.util.List;

import static jp.kofu.pdf.PersonItems.addressOf;
import static jp.kofu.pdf.PersonItems.date;
import static jp.kofu.pdf.PersonItems.one;
import static jp.kofu.pdf.PersonItems.withReading;

/** The items of a 住民票の写し: all that is recorded, the optional ones when their option is on. */
record JuminhyoItems(PrintItems on, FormLayout layout) implements PersonItems {
    @Override
    public List<String> values(FormLayout.Item item, ResidentRecord p) {
        boolean foreign = p.isForeignResident();
        return switch (item) {
            case formerSurname -> one(p.formerSurname(), withReading(p.formerSurname(), p.formerSurnameKana()));
            case alias -> one(p.alias(), withReading(p.alias(), p.aliasKana()));
            case address -> List.of(addressOf(p));
            case householder -> on.householderAndRelationship() ? one(p.householderName(), p.householderName())
                    : List.of();
            case relationship -> on.householderAndRelationship() ? one(p.relationship(), p.relationship()) : List.of();
            case becameResident -> one(p.becameResidentOn(), PersonItems.becameResident(layout, p));
            case addressSet -> one(p.addressSetOn(), PersonItems.addressSet(layout, p));
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
            case birthDate, sex, registeredName, registrationNumber, givenName, fullName, father, mother ->
                    List.of(); // in the head; not on this form
        };
    }

    @Override
    public String birthLine(ResidentRecord p) {
        return date(layout, p, p.birthDate()) + "生　" + PersonItems.sexOf(p);
    }

    @Override
    public boolean printsHouseholder() {
        return on.householderAndRelationship();
    }
}
