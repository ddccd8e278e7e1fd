package jp.kofu.card;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/** A card's user-authentication certificate that passed verification, with its {@link CardId}. */
public record CardCertificate(X509Certificate certificate, CardId id) {
    public CardCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(id, "id");
        if (!id.equals(CardId.of(certificate))) {
            throw new IllegalArgumentException("the card id is not the certificate's issuer and serial");
        }
    }

    static CardCertificate of(X509Certificate certificate) {
        return new CardCertificate(certificate, CardId.of(certificate));
    }

    /** Whether {@code instant} is within notBefore..notAfter (both inclusive). */
    boolean isValidAt(Instant instant) {
        return !instant.isBefore(certificate.getNotBefore().toInstant())
                && !instant.isAfter(certificate.getNotAfter().toInstant());
    }

    @Override
    public String toString() {
        return "CardCertificate[" + id + "]";
    }
}
