package jp.kofu.card;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import jp.kofu.config.KeyFiles;

import java.time.Clock;

/** The card verifier of the service, trusting {@code kofu.jpki.trust-anchors} and the CRLs of {@code kofu.jpki.crl-dir}. */
@Factory
final class CardVerifierFactory {
    @Singleton
    CardRequestVerifier cardRequestVerifier(KeyFiles keys, Clock clock) {
        return new CardRequestVerifier(keys.jpkiTrustAnchors(), keys.jpkiCrlDir(), clock);
    }
}
