package jp.kofu.issuance;

import jp.kofu.replica.ResidentRecord;

import java.time.LocalDate;
import java.util.Comparator;

/**
 * The order in which a household is printed: 世帯主 first, then the spouse, then everyone else from the oldest.
 * The feed carries no registration order, so this is the closest order a reader expects (docs/issuance.md).
 */
final class HouseholdOrder {
    static final Comparator<ResidentRecord> PRINT_ORDER = Comparator
            .comparingInt(HouseholdOrder::rank)
            .thenComparing(ResidentRecord::birthDate, Comparator.nullsLast(Comparator.<LocalDate>naturalOrder()))
            .thenComparing(ResidentRecord::residentId);

    private HouseholdOrder() {}

    private static int rank(ResidentRecord r) {
        if (r.isHouseholder()) {
            return 0;
        }
        String relationship = r.relationship() == null ? "" : r.relationship();
        return relationship.equals("妻") || relationship.equals("夫") ? 1 : 2;
    }
}
