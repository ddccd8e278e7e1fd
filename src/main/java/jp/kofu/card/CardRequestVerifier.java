package jp.kofu.card;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import jp.kofu.pki.Pem;

/**
 * Verifies a card-signed request (contract §2): a JWS compact serialization signed RS256 by the key of the card's
 * JPKI user-authentication certificate, carried as {@code x5c[0]}.
 *
 * <p>The certificate must chain (JDK PKIX) to a self-signed certificate of the trust-anchors file; the file's
 * other certificates, and {@code x5c[1..]}, only help build the path. Every certificate of the path below the
 * anchor must be on no current CRL of its issuer in the CRL folder, and such a CRL must exist (fail closed).
 * Nothing is fetched from the network. Thread-safe.
 */
public final class CardRequestVerifier {
    /** The largest JWS accepted, in characters (the whole request body is limited to 64 KiB too). */
    static final int MAX_JWS_LENGTH = 64 * 1024;
    private static final int MAX_X5C = 5;
    private static final int MIN_RSA_BITS = 2048;
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
    /** Header parameters that would let the sender choose the key, the signing input or the processing rules. */
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("crit", "jku", "x5u", "jwk", "b64", "zip", "enc");
    /** Certificate signatures with SHA-256 or stronger: sha{256,384,512}WithRSA, ecdsa-with-SHA{256,384,512}. */
    private static final Set<String> STRONG_SIGNATURES = Set.of(
            "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13",
            "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4");

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> intermediates;
    private final CrlStore crls;
    private final Clock clock;

    /**
     * @param trustAnchorsPem PEM file of the JPKI root (self-signed) and intermediate CAs
     * @param crlDir folder of CRL files (PEM or DER) of those CAs
     * @param clock the time at which certificates and CRLs must be valid
     * @throws IllegalArgumentException when the file holds no self-signed CA certificate
     */
    public CardRequestVerifier(Path trustAnchorsPem, Path crlDir, Clock clock) {
        this.clock = clock;
        Set<TrustAnchor> roots = new HashSet<>();
        List<X509Certificate> others = new ArrayList<>();
        List<X509Certificate> all = Pem.readCertificates(trustAnchorsPem);
        for (X509Certificate certificate : all) {
            if (isSelfSigned(certificate)) {
                roots.add(new TrustAnchor(certificate, null));
            } else {
                others.add(certificate);
            }
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("the JPKI trust anchors file " + trustAnchorsPem
                    + " holds no self-signed CA certificate");
        }
        this.anchors = Set.copyOf(roots);
        this.intermediates = List.copyOf(others);
        this.crls = new CrlStore(crlDir, all, clock);
    }

    /**
     * The CRLs of each configured JPKI CA (operations: readiness and {@code kofu_crl_next_update_seconds}); a card
     * whose path has a CA without a current CRL is refused, so every CA needs one.
     */
    public List<CrlStatus> crlStatuses() {
        return crls.statuses();
    }

    /**
     * The names (RFC 2253) of the configured JPKI CAs without a current CRL in the CRL folder at the clock's now: every
     * card below one of them is refused {@code REVOCATION_UNKNOWN} until a current CRL is put there.
     */
    public List<String> casWithoutCurrentCrl() {
        return crls.statuses().stream().filter(s -> !s.current()).map(CrlStatus::issuer).toList();
    }

    /** Verifies {@code compactJws} at the clock's now. */
    public CardVerification verify(String compactJws) {
        if (compactJws == null || compactJws.length() > MAX_JWS_LENGTH) {
            return rejected(CardFailure.MALFORMED);
        }
        String[] parts = compactJws.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || Arrays.stream(parts).anyMatch(p -> !BASE64URL.matcher(p).matches())) {
            return rejected(CardFailure.MALFORMED);
        }
        Map<String, Object> header;
        byte[] payload;
        try {
            header = JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            payload = Base64.getUrlDecoder().decode(parts[1]);
        } catch (ParseException | RuntimeException e) {
            return rejected(CardFailure.MALFORMED);
        }
        if (!"RS256".equals(header.get("alg")) || header.keySet().stream().anyMatch(FORBIDDEN_HEADERS::contains)) {
            return rejected(CardFailure.SIGNATURE_INVALID);
        }
        Optional<List<X509Certificate>> x5c = certificates(header.get("x5c"));
        if (x5c.isEmpty()) {
            return rejected(CardFailure.MALFORMED);
        }
        X509Certificate card = x5c.get().get(0);
        if (!signatureVerifies(compactJws, card.getPublicKey())) {
            return rejected(CardFailure.SIGNATURE_INVALID);
        }
        if (!isAcceptableCard(card)) {
            return rejected(CardFailure.CARD_UNTRUSTED);
        }
        List<X509Certificate> untrusted = x5c.get().subList(1, x5c.get().size());
        Instant now = clock.instant();
        Optional<PKIXCertPathBuilderResult> path = path(card, untrusted, now);
        if (path.isEmpty()) {
            CardCertificate candidate = CardCertificate.of(card);
            if (!candidate.isValidAt(now)) {
                Instant withinValidity = now.isBefore(card.getNotBefore().toInstant())
                        ? card.getNotBefore().toInstant() : card.getNotAfter().toInstant();
                if (path(card, untrusted, withinValidity).isPresent()) {
                    return rejected(CardFailure.CARD_EXPIRED);
                }
            }
            return rejected(CardFailure.CARD_UNTRUSTED);
        }
        @SuppressWarnings("unchecked")
        List<X509Certificate> certificates = (List<X509Certificate>) path.get().getCertPath().getCertificates();
        if (certificates.stream().anyMatch(c -> !STRONG_SIGNATURES.contains(c.getSigAlgOID()))) {
            return rejected(CardFailure.CARD_UNTRUSTED);
        }
        for (int i = 0; i < certificates.size(); i++) {
            X509Certificate issuer = i + 1 < certificates.size()
                    ? certificates.get(i + 1) : path.get().getTrustAnchor().getTrustedCert();
            switch (crls.status(certificates.get(i), issuer)) {
                case REVOKED:
                    return rejected(CardFailure.CARD_REVOKED);
                case UNKNOWN:
                    return rejected(CardFailure.REVOCATION_UNKNOWN);
                case GOOD:
                    break;
            }
        }
        return new CardVerification.Verified(CardCertificate.of(card), payload);
    }

    /** Whether the card's certificate was within its validity at {@code instant} (e.g. the request's signedAt). */
    public boolean isValidAt(CardCertificate card, Instant instant) {
        return card.isValidAt(instant);
    }

    private static CardVerification rejected(CardFailure failure) {
        return new CardVerification.Rejected(failure);
    }

    private static Optional<List<X509Certificate>> certificates(Object x5c) {
        if (!(x5c instanceof List<?> values) || values.isEmpty() || values.size() > MAX_X5C) {
            return Optional.empty();
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Object value : values) {
                if (!(value instanceof String text)) {
                    return Optional.empty();
                }
                byte[] der = Base64.getDecoder().decode(text);
                X509Certificate certificate = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
                if (!Arrays.equals(der, certificate.getEncoded())) {
                    return Optional.empty(); // trailing bytes or not DER
                }
                certificates.add(certificate);
            }
        } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
        return Optional.of(certificates);
    }

    private static boolean signatureVerifies(String compactJws, PublicKey key) {
        if (!(key instanceof RSAPublicKey rsa)) {
            return false;
        }
        try {
            return JWSObject.parse(compactJws).verify(new RSASSAVerifier(rsa));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return false;
        }
    }

    /** Key usage digitalSignature, not a CA, RSA of 2048 bits or more. */
    private static boolean isAcceptableCard(X509Certificate card) {
        boolean[] keyUsage = card.getKeyUsage();
        return keyUsage != null && keyUsage[0]
                && card.getBasicConstraints() < 0
                && card.getPublicKey() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= MIN_RSA_BITS;
    }

    private Optional<PKIXCertPathBuilderResult> path(X509Certificate card, List<X509Certificate> untrusted,
            Instant at) {
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(card);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            List<X509Certificate> store = new ArrayList<>();
            store.add(card);
            store.addAll(intermediates);
            store.addAll(untrusted);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
            parameters.setRevocationEnabled(false); // CRLs are checked by CrlStore, without any network access
            parameters.setDate(Date.from(at));
            parameters.setMaxPathLength(MAX_X5C);
            PKIXCertPathBuilderResult result =
                    (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
            validate(result.getCertPath(), at);
            return Optional.of(result);
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private void validate(CertPath path, Instant at) throws GeneralSecurityException {
        PKIXParameters parameters = new PKIXParameters(anchors);
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(path, parameters);
    }

    private static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
