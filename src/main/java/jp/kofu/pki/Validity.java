package jp.kofu.pki;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The validity period of a certificate to issue; both ends inclusive as in X.509. */
public record Validity(Instant notBefore, Instant notAfter) {
    public Validity {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
    }

    /** A period that starts at {@code start} and lasts {@code length}. */
    public static Validity starting(Instant start, Duration length) {
        return new Validity(start, start.plus(length));
    }
}
