package jp.kofu.koseki;

import jp.kofu.card.SoftwareCard;
import jp.kofu.pki.Credential;
import jp.kofu.pki.DevPki;
import jp.kofu.pki.Pkcs12;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * Many demo cards fast: certificates of the development JPKI CA like {@link DevPki#issueCard}'s (opaque subject,
 * keyUsage digitalSignature), each with its own serial — a card is its issuer and serial (§5) — but all on one key
 * pair, so that a test of hundreds of residents does not spend minutes making RSA keys.
 */
final class ManyCards {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Credential ca;
    private final KeyPair keys;

    ManyCards(DevPki pki) throws Exception {
        ca = Pkcs12.read(pki.jpkiCaKeystore(), pki.password());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        keys = generator.generateKeyPair();
    }

    SoftwareCard next() throws Exception {
        X509Certificate issuer = ca.chain().get(0);
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        Instant now = Instant.now();
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        var builder = new JcaX509v3CertificateBuilder(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                new BigInteger(127, RANDOM).setBit(100), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=" + HexFormat.of().withUpperCase().formatHex(id) + ", C=JP"), keys.getPublic());
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.privateKey())));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(ca.chain());
        return SoftwareCard.of(new Credential(keys.getPrivate(), chain));
    }
}
