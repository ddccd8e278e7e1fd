package jp.kofu.replica;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One resident's current record, as received in {@code RESIDENT_UPSERT} (contract §6). Optional items are
 * {@code null} when absent. {@link #toString()} names the resident id only, so that no log line can carry a
 * 個人番号 or any other personal item by accident.
 */
public record ResidentRecord(
        String residentId,
        String householdId,
        String juminhyoCode,
        String individualNumber,
        String familyName,
        String givenName,
        String familyNameKana,
        String givenNameKana,
        String formerSurname,
        String formerSurnameKana,
        String alias,
        String aliasKana,
        Sex sex,
        LocalDate birthDate,
        String relationship,
        String householderName,
        String address,
        String addressSupplement,
        LocalDate becameResidentOn,
        String becameResidentReason,
        LocalDate addressSetOn,
        LocalDate addressNotifiedOn,
        String previousAddress,
        String domicile,
        String domicileHead,
        String nationality,
        String residenceStatus,
        String periodOfStay,
        LocalDate stayExpiresOn,
        String residenceCardNumber,
        String article30_45Category,
        LocalDate plannedMoveOutOn,
        boolean gaijiPending,
        List<String> remarks) {

    public enum Sex { MALE, FEMALE }

    public ResidentRecord {
        Objects.requireNonNull(residentId, "residentId");
        Objects.requireNonNull(householdId, "householdId");
        remarks = remarks == null ? List.of() : List.copyOf(remarks);
    }

    /** A foreign resident: the record carries a nationality (国籍・地域). */
    public boolean isForeignResident() {
        return nationality != null;
    }

    /** 世帯主 of the household. */
    public boolean isHouseholder() {
        return "世帯主".equals(relationship);
    }

    /** The printed name, family name first, separated by an ideographic space. */
    public String fullName() {
        return givenName == null || givenName.isEmpty() ? familyName : familyName + "\u3000" + givenName;
    }

    /** Reads and validates a record in the feed's JSON form (contract §6), as the sync feed does. */
    public static ResidentRecord fromJson(com.fasterxml.jackson.databind.JsonNode json) {
        return ResidentJson.read(json);
    }

    @Override
    public String toString() {
        return "ResidentRecord[" + residentId + "]";
    }
}
