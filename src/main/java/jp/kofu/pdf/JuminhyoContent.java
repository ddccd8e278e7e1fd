package jp.kofu.pdf;

import jp.kofu.replica.ResidentRecord;

import java.time.LocalDate;
import java.util.List;

/**
 * What a 住民票の写し shows: the issuing municipality, the attestation, the persons in print order and the optional
 * items; and the form it is printed on.
 */
public record JuminhyoContent(String municipalityName, String mayorTitle, String mayorName, Attestation attestation,
                              List<ResidentRecord> persons, PrintItems items, String issuanceNumber,
                              LocalDate issuedOn, int copies, String verificationUrl, CertificateForm form) {
    public enum Attestation { HOUSEHOLD_ALL, HOUSEHOLD_PART, SELF }
}
