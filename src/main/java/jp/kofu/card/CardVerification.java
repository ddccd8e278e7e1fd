package jp.kofu.card;

import java.util.Objects;

/** The outcome of verifying a card-signed request. */
public sealed interface CardVerification {

    /** The signature verifies with a trusted, valid, unrevoked card; {@code payload} is the exact signed bytes. */
    record Verified(CardCertificate card, byte[] payload) implements CardVerification {
        public Verified {
            Objects.requireNonNull(card, "card");
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Verified that && card.equals(that.card)
                    && java.util.Arrays.equals(payload, that.payload);
        }

        @Override
        public int hashCode() {
            return 31 * card.hashCode() + java.util.Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Verified[" + card + ", " + payload.length + " bytes]";
        }
    }

    /** The request is refused for {@code failure}. */
    record Rejected(CardFailure failure) implements CardVerification {
        public Rejected {
            Objects.requireNonNull(failure, "failure");
        }
    }
}
