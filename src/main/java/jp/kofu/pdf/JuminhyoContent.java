package jp.kofu.pdf;

import jp.kofu.replica.ResidentRecord;

import java.time.LocalDate;
import java.util.List;

/** STUB until the pdf branch lands. */
public record JuminhyoContent(String municipalityName, String mayorTitle, String mayorName, Attestation attestation,
                              List<ResidentRecord> persons, PrintItems items, String issuanceNumber,
                              LocalDate issuedOn, int copies) {
    public enum Attestation { HOUSEHOLD_ALL, HOUSEHOLD_PART, SELF }
}
