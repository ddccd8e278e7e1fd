package jp.kofu.card;

import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.Credential;
import jp.kofu.pki.Pem;
import jp.kofu.pki.Validity;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test JPKI in a temporary folder: a root in the trust-anchors file, a CRL folder, and a moving clock. */
final class TestJpki {
    static final Instant NOW = Instant.parse("2026-11-22T01:15:30Z");
    static final String ROOT_DN = "OU=JPKI for user authentication (TEST), O=JPKI (TEST), C=JP";

    final MutableClock clock = new MutableClock(NOW);
    final CertificateAuthority root = CertificateAuthority.createRoot(ROOT_DN, years(-1, 10));
    final Path trustAnchors;
    final Path crlDir;

    TestJpki(Path folder) throws Exception {
        trustAnchors = folder.resolve("trust-anchors.pem");
        crlDir = Files.createDirectories(folder.resolve("crl"));
        Pem.writeCertificates(trustAnchors, List.of(root.certificate()));
    }

    CardRequestVerifier verifier() {
        return new CardRequestVerifier(trustAnchors, crlDir, clock);
    }

    Credential card() {
        return root.issueCardAuthentication(years(-1, 5));
    }

    /** Writes a current CRL of {@code ca} (PEM) revoking {@code serials}. */
    void writeCrl(String file, CertificateAuthority ca, BigInteger... serials) {
        writeCrl(file, ca.issueCrl(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(7)), List.of(serials)));
    }

    void writeCrl(String file, X509CRL crl) {
        Pem.writeCrl(crlDir.resolve(file), crl);
    }

    static Validity years(int fromYears, int lengthYears) {
        Instant start = NOW.plus(Duration.ofDays(365L * fromYears));
        return Validity.starting(start, Duration.ofDays(365L * lengthYears));
    }

    /** A card certificate issued by {@code ca} with an RSA key of {@code bits} and the given signature algorithm. */
    static Credential unusualCard(CertificateAuthority ca, int bits, String signatureAlgorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        KeyPair keys = generator.generateKeyPair();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(System.nanoTime()), Date.from(NOW.minus(Duration.ofDays(1))),
                Date.from(NOW.plus(Duration.ofDays(365))), new X500Name("C=JP, CN=UNUSUAL" + bits), keys.getPublic());
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        PrivateKey caKey = ca.credential().privateKey();
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(caKey)));
        List<X509Certificate> chain = new ArrayList<>(List.of(certificate));
        chain.addAll(ca.chain());
        return new Credential(keys.getPrivate(), chain);
    }

    /** A JWS with the given header JSON, signed RS256 by {@code key} (whatever the header says). */
    static String rs256(String headerJson, byte[] payload, PrivateKey key) throws GeneralSecurityException {
        String input = b64(headerJson.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(signature.sign());
    }

    static String x5c(X509Certificate... certificates) throws GeneralSecurityException {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < certificates.length; i++) {
            json.append(i == 0 ? "" : ",").append('"')
                    .append(Base64.getEncoder().encodeToString(certificates[i].getEncoded())).append('"');
        }
        return json.append(']').toString();
    }

    static String b64(byte[] bytes) {
        return Base64URL.encode(bytes).toString();
    }
}
