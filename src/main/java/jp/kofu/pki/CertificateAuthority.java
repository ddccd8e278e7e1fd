package jp.kofu.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certification authority made with Bouncy Castle: RSA-2048 keys, SHA256withRSA signatures, random positive
 * 127-bit serial numbers. Used to build the development PKI at first start and the test PKIs of the tests.
 * Distinguished names are RFC 4514 strings (most significant RDN last), e.g. {@code CN=Kofu dev CA, O=Kofu, C=JP}.
 *
 * <p>Instances are immutable and thread-safe. Nothing here registers a JCA provider: the JDK's providers do
 * the signing and parsing, Bouncy Castle only builds the structures.
 */
public final class CertificateAuthority {
    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    private static final int KEY_BITS = 2048;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    private CertificateAuthority(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /** Creates a self-signed root CA: basicConstraints CA:true (critical), keyUsage keyCertSign|cRLSign. */
    public static CertificateAuthority createRoot(String subjectDn, Validity validity) {
        KeyPair keys = newKeyPair(KEY_BITS);
        X500Name subject = name(subjectDn);
        X509Certificate certificate = build(subject, keys.getPrivate(), null, subject, keys.getPublic(), validity,
                builder -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    builder.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                });
        return new CertificateAuthority(keys.getPrivate(), List.of(certificate));
    }

    /** A CA from a loaded credential (e.g. a PKCS#12 file), after checking that its certificate is a CA's. */
    public static CertificateAuthority of(Credential credential) {
        X509Certificate certificate = credential.certificate();
        boolean[] keyUsage = certificate.getKeyUsage();
        if (certificate.getBasicConstraints() < 0 || keyUsage == null || !keyUsage[5]) {
            throw new PkiException("the certificate of this credential is not a CA certificate");
        }
        return new CertificateAuthority(credential.privateKey(), credential.chain());
    }

    /** Issues an intermediate CA (basicConstraints CA:true, pathLen 0) under this CA. */
    public CertificateAuthority issueIntermediate(String subjectDn, Validity validity) {
        KeyPair keys = newKeyPair(KEY_BITS);
        X509Certificate certificate = issue(name(subjectDn), keys.getPublic(), validity, builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        });
        return new CertificateAuthority(keys.getPrivate(), withChain(certificate));
    }

    /** Issues a TLS server certificate with the given DNS names and IP addresses as subjectAltName. */
    public Credential issueTlsServer(String commonName, List<String> dnsNames, List<InetAddress> ipAddresses,
            Validity validity) {
        List<GeneralName> altNames = new ArrayList<>();
        dnsNames.forEach(dns -> altNames.add(new GeneralName(GeneralName.dNSName, dns)));
        ipAddresses.forEach(ip -> altNames.add(new GeneralName(GeneralName.iPAddress,
                new DEROctetString(ip.getAddress()))));
        return issueEndEntity(name("CN=" + escape(commonName)), validity, builder -> {
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(altNames.toArray(GeneralName[]::new)));
        });
    }

    /** Issues a TLS client certificate (EKU clientAuth). */
    public Credential issueTlsClient(String subjectDn, Validity validity) {
        return issueEndEntity(name(subjectDn), validity, builder -> {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        });
    }

    /** Issues a document-signing certificate (keyUsage digitalSignature|nonRepudiation). */
    public Credential issueDocumentSigning(String subjectDn, Validity validity) {
        return issueEndEntity(name(subjectDn), validity, builder -> builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation)));
    }

    /**
     * Issues a JPKI-style user-authentication certificate, as on an Individual Number Card: subject
     * {@code C=JP, CN=<opaque random id>} with no personal data, keyUsage digitalSignature (critical).
     */
    public Credential issueCardAuthentication(Validity validity) {
        return issueCard(validity, KeyUsage.digitalSignature);
    }

    /** Like {@link #issueCardAuthentication} but with keyUsage keyEncipherment only: a card that must be refused. */
    public Credential issueCardWithoutDigitalSignature(Validity validity) {
        return issueCard(validity, KeyUsage.keyEncipherment);
    }

    private Credential issueCard(Validity validity, int keyUsage) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        X500Name subject = name("CN=" + HexFormat.of().withUpperCase().formatHex(id) + ", C=JP");
        return issueEndEntity(subject, validity,
                builder -> builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage)));
    }

    /** Issues a CRL of this CA listing {@code revokedSerials} (revoked at {@code thisUpdate}). */
    public X509CRL issueCrl(Instant thisUpdate, Instant nextUpdate, Collection<BigInteger> revokedSerials) {
        X509CRL crl;
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(certificate().getSubjectX500Principal(),
                    Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (BigInteger serial : revokedSerials) {
                builder.addCRLEntry(serial, Date.from(thisUpdate), 0);
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate()));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(thisUpdate.getEpochSecond())));
            crl = new JcaX509CRLConverter().getCRL(builder.build(signer(privateKey)));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("could not issue a CRL", e);
        }
        return crl;
    }

    /** This CA's certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** This CA's certificate followed by its issuers up to the root. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** This CA's key and chain, e.g. to store it as PKCS#12. */
    public Credential credential() {
        return new Credential(privateKey, chain);
    }

    private Credential issueEndEntity(X500Name subject, Validity validity, Extensions extensions) {
        KeyPair keys = newKeyPair(KEY_BITS);
        X509Certificate certificate = issue(subject, keys.getPublic(), validity, extensions);
        return new Credential(keys.getPrivate(), withChain(certificate));
    }

    private X509Certificate issue(X500Name subject, PublicKey publicKey, Validity validity, Extensions extensions) {
        X500Name issuer = X500Name.getInstance(certificate().getSubjectX500Principal().getEncoded());
        return build(issuer, privateKey, certificate(), subject, publicKey, validity, extensions);
    }

    private List<X509Certificate> withChain(X509Certificate certificate) {
        List<X509Certificate> result = new ArrayList<>();
        result.add(certificate);
        result.addAll(chain);
        return result;
    }

    private static X509Certificate build(X500Name issuer, PrivateKey signingKey, X509Certificate issuerCertificate,
            X500Name subject, PublicKey publicKey, Validity validity, Extensions extensions) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serialNumber(),
                    Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject, publicKey);
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            if (issuerCertificate != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        utils.createAuthorityKeyIdentifier(issuerCertificate));
            }
            extensions.addTo(builder);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signingKey)));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("could not issue a certificate", e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
        } catch (OperatorCreationException e) {
            throw new PkiException("no " + SIGNATURE_ALGORITHM + " signer for this key", e);
        }
    }

    /** A random positive serial number of 127 bits (RFC 5280: at most 20 octets; CA/B: at least 64 random bits). */
    private static BigInteger serialNumber() {
        BigInteger serial;
        do {
            serial = new BigInteger(127, RANDOM);
        } while (serial.bitLength() < 64);
        return serial;
    }

    static KeyPair newKeyPair(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("no RSA key pair generator", e);
        }
    }

    private static X500Name name(String rfc4514) {
        Objects.requireNonNull(rfc4514, "subjectDn");
        return X500Name.getInstance(new X500Principal(rfc4514).getEncoded());
    }

    private static String escape(String value) {
        return value.replaceAll("([\\\\,+\"<>;=#])", "\\\\$1");
    }

    @FunctionalInterface
    private interface Extensions {
        void addTo(X509v3CertificateBuilder builder) throws CertIOException;
    }
}
