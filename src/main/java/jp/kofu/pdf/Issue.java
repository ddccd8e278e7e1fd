package jp.kofu.pdf;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What every certificate carries whatever its type: the issuing municipality and its mayor, the copies issued (each
 * copy with its own 発行番号 and verification address, 住民記録システム標準仕様書 5.5), the 発行日, the form it is
 * printed on and the colour of its 公印.
 */
public record Issue(String municipalityName, String mayorTitle, String mayorName, List<Copy> copies,
                    LocalDate issuedOn, CertificateForm form, SealColor sealColor) {

    /** One copy: its 発行番号, printed on each of its sheets, and the address its QR code leads to. */
    public record Copy(String issuanceNumber, String verificationUrl) {
        public Copy {
            Objects.requireNonNull(issuanceNumber, "issuanceNumber");
            Objects.requireNonNull(verificationUrl, "verificationUrl");
        }
    }

    /** The colour the 公印 is printed in. */
    public enum SealColor {
        /** The municipality's seal image as it is (the vermilion dev seal, or the city's PNG). */
        AS_GIVEN,
        /** Black, at most 25 mm square, with "この印は黒色です": the standard's 電子公印 (標準仕様書 5.6). */
        BLACK
    }

    public Issue {
        Objects.requireNonNull(municipalityName, "municipalityName");
        Objects.requireNonNull(mayorTitle, "mayorTitle");
        Objects.requireNonNull(mayorName, "mayorName");
        Objects.requireNonNull(issuedOn, "issuedOn");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(sealColor, "sealColor");
        copies = List.copyOf(copies);
        if (copies.isEmpty()) {
            throw new IllegalArgumentException("a certificate has at least one copy");
        }
    }

    /** The common part of a certificate of {@code copies} copies of the given numbers and addresses, seal as given. */
    public static Issue of(String municipalityName, String mayorTitle, String mayorName, List<Copy> copies,
                           LocalDate issuedOn, CertificateForm form) {
        return new Issue(municipalityName, mayorTitle, mayorName, copies, issuedOn, form, SealColor.AS_GIVEN);
    }

    /** The 発行番号 of the first copy, which names the certificate (the answer's {@code issuanceNumber}). */
    public String firstIssuanceNumber() {
        return copies.get(0).issuanceNumber();
    }

    /** The same certificate with its 公印 in {@code color}. */
    public Issue withSealColor(SealColor color) {
        return new Issue(municipalityName, mayorTitle, mayorName, copies, issuedOn, form, color);
    }
}
