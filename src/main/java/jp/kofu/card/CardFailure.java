package jp.kofu.card;

/** Why a card-signed request was refused; each maps to the contract's error code of the same name (§5). */
public enum CardFailure {
    /** Not a compact JWS, bad base64url, header not a JSON object, no or unreadable {@code x5c}; too large. */
    MALFORMED,
    /** {@code alg} is not exactly RS256, a forbidden header parameter, or the signature does not verify. */
    SIGNATURE_INVALID,
    /** No path to a trust anchor, key usage without digitalSignature, RSA key under 2048 bits, weak hash. */
    CARD_UNTRUSTED,
    /** The card certificate is outside its validity at the verifier's clock. */
    CARD_EXPIRED,
    /** The card (or a CA of its path) is on a current CRL of its issuer. */
    CARD_REVOKED,
    /** No current, correctly signed CRL of the issuer is present: the status cannot be known (fail closed). */
    REVOCATION_UNKNOWN
}
