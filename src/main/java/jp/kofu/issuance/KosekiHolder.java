package jp.kofu.issuance;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Who the card holder is in the 戸籍システム (contract §9), as far as the request's read transaction can tell: a
 * resident whose 本籍 is here, to be looked up by 本籍, 筆頭者, 氏名 and 生年月日 once no transaction is open; or a
 * person key already known from an approved 本籍地 利用登録.
 */
sealed interface KosekiHolder {
    /** The card holder's replica record and household, when the card is bound to a current resident; else empty. */
    Optional<Requester> requester();

    /**
     * A current resident whose 本籍 (replica {@code domicile}) is in this municipality.
     *
     * @param registeredKey the person key of an approved registration of the same card, used when the lookup finds
     *                      nobody (a 本籍 or 筆頭者 in the replica that the 戸籍システム spells otherwise)
     */
    record Resident(Requester resident, String honseki, String hittosha, String name, LocalDate birthDate,
                    Optional<String> registeredKey) implements KosekiHolder {
        @Override
        public Optional<Requester> requester() {
            return Optional.of(resident);
        }

        @Override
        public String toString() {
            return "KosekiHolder.Resident[" + resident.record().residentId() + "]"; // no 本籍 or name in a log line
        }
    }

    /** A card with an approved 本籍地 利用登録 (a resident of elsewhere, or a resident whose 本籍 is elsewhere). */
    record Registered(Optional<Requester> requester, String personKey) implements KosekiHolder {
        @Override
        public String toString() {
            return "KosekiHolder.Registered";
        }
    }
}
